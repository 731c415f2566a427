// SPDX-License-Identifier: GPL-2.0-only
// Unix sockets bound to relative paths (issue #21, items 3 and 7): a name
// starting with '@' is a filesystem name unless its first byte is NUL, and a
// relative path is checked through the holder's cwd, or said to be
// uncheckable. Real processes chdir() and bind(); the bound inode is checked
// against stat(2) of the file the kernel made.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kRelativeFd = 100, kAbstractFd = 101;

// A listening unix socket bound to `name` ('\0' first: abstract), kept at
// fd `at` (runs in the child, which closed every inherited fd above 2).
void listen_at(const std::string& name, int at) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, name.data(), name.size());
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(s, 4) != 0) ::_exit(1);
  if (::dup2(s, at) != at) ::_exit(1);
  ::close(s);
}

void enter(const fs::path& dir) {
  if (::chdir(dir.c_str()) != 0) ::_exit(1);
}

uint64_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

class RelativePathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    dir_ = fs::path(::testing::TempDir()) / ("sockscope-relative-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "bound");
    fs::create_directories(dir_ / "elsewhere");
  }
  void TearDown() override {
    child_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // The socket at `fd` of the child, from `ls --unix --json -p PID`.
  json ls_socket(int fd) {
    auto r = sockscope({"ls", "--unix", "--json", "-p", std::to_string(child_->pid())});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json doc = json::parse(r.out);
    for (const auto& s : doc["sockets"])
      if (s["inode"] == socket_inode(child_->pid(), fd)) return s;
    ADD_FAILURE() << "fd " << fd << " of the child is missing:\n" << r.out;
    return json::object();
  }

  CommandResult fd(int fd, bool as_json) {
    std::vector<std::string> args = {"fd", std::to_string(child_->pid()), std::to_string(fd)};
    if (as_json) args.emplace_back("--json");
    auto r = sockscope(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  }

  fs::path dir_;
  std::unique_ptr<Child> child_;
};

TEST_F(RelativePathsTest, AtSignFilesystemNameIsNotAbstract) {
  std::string abstract = "sockscope-rel-" + std::to_string(::getpid());
  child_ = std::make_unique<Child>([&] {
    enter(dir_ / "bound");
    listen_at("@x", kRelativeFd);
    listen_at(std::string(1, '\0') + abstract, kAbstractFd);
  });
  uint64_t file = inode_of(dir_ / "bound" / "@x");
  ASSERT_NE(file, 0u) << "bind() made no file " << (dir_ / "bound" / "@x");

  json s = ls_socket(kRelativeFd);
  EXPECT_EQ(s["abstract"], false) << s.dump();
  EXPECT_EQ(s["path"], "./@x") << s.dump();
  EXPECT_EQ(s["bound_inode"], file) << s.dump();
  EXPECT_EQ(s["path_state"], "current") << s.dump();
  EXPECT_EQ(s["resolved_path"], (dir_ / "bound" / "@x").string()) << s.dump();

  json a = ls_socket(kAbstractFd);
  EXPECT_EQ(a["abstract"], true) << a.dump();
  EXPECT_EQ(a["path"], "@" + abstract) << a.dump();
  EXPECT_TRUE(a["bound_inode"].is_null()) << a.dump();
  EXPECT_EQ(a["path_state"], "none") << a.dump();

  json e = json::parse(fd(kRelativeFd, true).out);
  EXPECT_EQ(e["socket"]["abstract"], false) << e.dump();
  EXPECT_EQ(e["socket"]["path"], "./@x") << e.dump();
  auto text = fd(kRelativeFd, false).out;
  EXPECT_NE(text.find("local ./@x (at " + (dir_ / "bound" / "@x").string() + ")"), std::string::npos) << text;
}

TEST_F(RelativePathsTest, RelativePathIsResolvedThroughTheHoldersCwd) {
  child_ = std::make_unique<Child>([&] {
    enter(dir_ / "bound");
    listen_at("rel.sock", kRelativeFd);
  });
  json s = ls_socket(kRelativeFd);
  EXPECT_EQ(s["path"], "rel.sock") << s.dump();
  EXPECT_EQ(s["bound_inode"], inode_of(dir_ / "bound" / "rel.sock")) << s.dump();
  EXPECT_EQ(s["path_state"], "current") << s.dump();
  EXPECT_EQ(s["resolved_path"], (dir_ / "bound" / "rel.sock").string()) << s.dump();
}

// After the binder leaves the directory, its cwd no longer says where the
// path was resolved: the state says so instead of "none" or a guess.
TEST_F(RelativePathsTest, RelativePathAfterChdirCannotBeChecked) {
  child_ = std::make_unique<Child>([&] {
    enter(dir_ / "bound");
    listen_at("rel.sock", kRelativeFd);
    enter(dir_ / "elsewhere");
  });
  json s = ls_socket(kRelativeFd);
  EXPECT_EQ(s["path"], "rel.sock") << s.dump();
  EXPECT_EQ(s["bound_inode"], inode_of(dir_ / "bound" / "rel.sock")) << s.dump();
  EXPECT_EQ(s["path_state"], "relative") << s.dump();
  EXPECT_TRUE(s["resolved_path"].is_null()) << s.dump();

  auto r = sockscope({"ls", "--unix", "-p", std::to_string(child_->pid())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rel.sock (relative: the binder's cwd is unknown)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sockscope::testing
