// SPDX-License-Identifier: GPL-2.0-only
// Issue #19: names are attacker-controlled. Real processes with the nastiest
// comm, argv, socket paths and abstract names we can build, and every output
// of the CLI over them: JSON parses strictly and gives the exact bytes back
// (docs/json.md, "Names as bytes"), text holds no raw control byte, and a
// printed command re-parses (bash) to the original path as one word.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/escape.h"
#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using namespace std::string_literals;
using nlohmann::json;

// 15 bytes, the most a comm holds: a terminal title (OSC), a colour, a
// newline, a byte that is not UTF-8 and a command substitution.
const std::string kComm = "\x1b]0;X\x07\xff\n\x1b[31m$("s;
// Arguments of the process that inherits the sockets.
const std::vector<std::string> kArgv = {"$(id)\nforged line", "it's \"q\" `id`", "\xff\x1b]0;t\x07\\x41"};
// An abstract name: a NUL, controls, a byte that is not UTF-8.
const std::string kAbstract = "\0x\0\x1b[31m\n\xff"s;
// Path parts: a newline, a space, ';', 0xFF, quotes and $(). A sun_path holds
// at most 107 bytes; the 4 KiB path is the open file and the bound socket's
// directory (bound by a relative name from there).
const std::string kPart = "a b;\n\xff'$(id)";
constexpr int kFileFd = 50, kDeepFd = 51, kOrphanFd = 52, kAbstractFd = 53, kClientFd = 54;

void expect_safe_text(const std::string& out, const std::string& what) {
  for (size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) {
      ADD_FAILURE() << what << ": raw byte 0x" << std::hex << int(c) << " at " << std::dec << i << " in:\n"
                    << escape_text(out.substr(i > 80 ? i - 80 : 0, 160));
      return;
    }
  }
  EXPECT_TRUE(valid_utf8(out)) << what;
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos) << what << ": a C1 control";
}

// The bytes a JSON member stands for (the `_hex` twin when there is one).
std::string bytes_of(const json& o, const std::string& key) {
  if (o.contains(key + "_hex")) return from_hex(o.at(key + "_hex").get<std::string>());
  return o.at(key).get<std::string>();
}

// Strict parse (nlohmann rejects invalid UTF-8); a failure shows the text.
json parse(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    ADD_FAILURE() << what << ": " << e.what() << "\n" << escape_text(text.substr(0, 400));
    return nullptr;
  }
}

// The words bash makes of `line` (eval of `set -- line`).
std::vector<std::string> shell_words(const std::string& line) {
  auto r = run({"bash", "-c", "eval \"set -- $1\" && printf '%s\\0' \"$@\"", "_", line});
  std::vector<std::string> words;
  std::string w;
  std::istringstream in(r.out);
  while (std::getline(in, w, '\0')) words.push_back(w);
  return words;
}

// The command between the first pair of backticks after `after`.
std::string quoted_command(const std::string& text, const std::string& after) {
  size_t at = text.find(after);
  if (at == std::string::npos) return {};
  size_t open = text.find('`', at), close = text.find('`', open + 1);
  return open == std::string::npos || close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
}

int bind_listen(const std::string& name, bool abstract, int backlog = 4) {
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, name.data(), name.size());
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (abstract ? 0 : 1));
  if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(s, backlog) != 0) ::_exit(2);
  return s;
}

int connect_to(const std::string& name, bool abstract) {
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, name.data(), name.size());
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (abstract ? 0 : 1));
  if (s < 0 || ::connect(s, reinterpret_cast<sockaddr*>(&a), len) != 0) ::_exit(3);
  return s;
}

void move_fd(int from, int to) {
  if (::dup2(from, to) != to) ::_exit(4);
  ::close(from);
}

class HostileNames : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    dir_ = ::testing::TempDir() + "sockscope-hostile-" + std::to_string(::getpid());
    ASSERT_EQ(::mkdir(dir_.c_str(), 0700), 0) << dir_;
    // ~4 KiB of nested directories, made one level at a time (past PATH_MAX).
    deep_ = dir_;
    int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (int i = 0; i < 18; ++i) {
      std::string part = kPart + std::string(201, 'x') + std::to_string(i);
      parts_.push_back(part);
      deep_ += "/" + part;
      ASSERT_EQ(::mkdirat(fd, part.c_str(), 0700), 0);
      int next = ::openat(fd, part.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      ::close(fd);
      fd = next;
    }
    ::close(fd);
    ASSERT_GT(deep_.size(), 3900u);
    file_ = deep_ + "/f" + kPart;
    orphan_ = dir_ + "/" + kPart + ".sock";
    ASSERT_LT(orphan_.size(), sizeof(sockaddr_un::sun_path));
    holder_ = std::make_unique<Child>([this] { hostile_holder(); });
  }

  void TearDown() override {
    holder_.reset();
    worker_.reset();
    tour_.reset();
    if (!dir_.empty()) remove_tree(dir_);
  }

  // The process holding every hostile socket: comm set, sockets at fixed
  // fds, and a child `sh` (hostile argv) that inherits them.
  void hostile_holder() {
    ::prctl(PR_SET_NAME, kComm.c_str());
    int dir = open_deep();
    move_fd(::openat(dir, ("f" + kPart).c_str(), O_CREAT | O_RDWR, 0600), kFileFd);
    if (::fchdir(dir) != 0) ::_exit(5);
    move_fd(bind_listen(kPart, false), kDeepFd);   // relative: its directory is the 4 KiB one
    move_fd(connect_to(kPart, false), kClientFd);  // never accepted
    move_fd(bind_listen(orphan_, false), kOrphanFd);
    ::unlink(orphan_.c_str());  // doctor: an orphaned listener, `do:` names its path
    move_fd(bind_listen(kAbstract, true), kAbstractFd);
    ::close(connect_to(kAbstract, true));
    ::close(dir);
    int hold[2];
    if (::pipe(hold) != 0) ::_exit(6);
    if (::fork() == 0) {  // `read` returns when the holder dies and its end closes
      ::dup2(hold[0], 0);
      ::close(hold[1]);
      std::vector<char*> argv = {const_cast<char*>("sh"), const_cast<char*>("-c"), const_cast<char*>("read x"),
                                 const_cast<char*>("sh")};
      for (const auto& a : kArgv) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv("/bin/sh", argv.data());
      ::_exit(127);
    }
    ::close(hold[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // sh has exec'd
  }

  int open_deep() {
    int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
    for (const auto& p : parts_) {
      int next = ::openat(fd, p.c_str(), O_RDONLY | O_DIRECTORY);
      ::close(fd);
      fd = next;
    }
    return fd;
  }

  // unlinkat() level by level: the tree is deeper than PATH_MAX.
  static void remove_tree(const std::string& top) {
    std::vector<std::string> names;
    int fd = ::open(top.c_str(), O_RDONLY | O_DIRECTORY);
    std::function<void(int)> rm = [&](int d) {
      DIR* dp = ::fdopendir(::dup(d));
      std::vector<std::pair<std::string, bool>> entries;
      while (dirent* e = ::readdir(dp))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
          entries.emplace_back(e->d_name, e->d_type == DT_DIR);
      ::closedir(dp);
      for (const auto& [n, is_dir] : entries) {
        if (is_dir) {
          int sub = ::openat(d, n.c_str(), O_RDONLY | O_DIRECTORY);
          rm(sub);
          ::close(sub);
        }
        ::unlinkat(d, n.c_str(), is_dir ? AT_REMOVEDIR : 0);
      }
    };
    rm(fd);
    ::close(fd);
    ::rmdir(top.c_str());
  }

  std::string pid() const { return std::to_string(holder_->pid()); }

  // The worker of trace and watch: binds, connects and unlinks at `path` and
  // at kAbstract in a loop under kComm until its parent dies.
  pid_t start_worker(const std::string& path) {
    worker_ = std::make_unique<Child>([&] {
      if (::fork() != 0) return;
      ::close_range(3, ~0u, 0);  // not the Child's ready pipe: its parent must see it close
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::prctl(PR_SET_NAME, kComm.c_str());
      std::string abstract = kAbstract + "w";
      for (;;) {
        ::unlink(path.c_str());
        int l = bind_listen(path, false), c = connect_to(path, false);
        int a = bind_listen(abstract, true), b = connect_to(abstract, true);
        for (int s : {l, c, a, b}) ::close(s);
        ::unlink(path.c_str());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    // The worker is the Child's only child.
    std::string p = std::to_string(worker_->pid());
    auto children = read_file("/proc/" + p + "/task/" + p + "/children");
    return children.empty() ? -1 : std::stoi(children);
  }

  static std::string read_file(const std::string& path) {
    std::string out;
    if (FILE* f = std::fopen(path.c_str(), "r")) {
      char buf[256];
      size_t n = std::fread(buf, 1, sizeof(buf), f);
      out.assign(buf, n);
      std::fclose(f);
    }
    return out;
  }

  // `sh` with kArgv looping over tests/progs/event_tour in `dir`: the argv
  // shows in the lineage of each touch of dir/tour.sock.
  void start_tour(const std::string& dir) {
    ::mkdir(dir.c_str(), 0700);
    tour_ = std::make_unique<Child>([&] {
      if (::fork() == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        std::vector<std::string> args = {"sh", "-c",
                                         "while :; do \"$0\" \"$1\" </dev/null >/dev/null; sleep 0.05; done",
                                         std::string(SOCKSCOPE_PROGS_DIR) + "/event_tour", dir};
        args.insert(args.end(), kArgv.begin(), kArgv.end());
        std::vector<char*> argv;
        argv.reserve(args.size() + 1);
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv("/bin/sh", argv.data());
        ::_exit(127);
      }
    });
  }

  std::string dir_, deep_, file_, orphan_;
  std::vector<std::string> parts_;
  std::unique_ptr<Child> holder_, worker_, tour_;
};

// A socket of `doc` held by `pid` at fd `fd`.
const json* socket_at(const json& sockets, int pid, int fd) {
  for (const auto& s : sockets)
    for (const auto& o : s["owners"])
      if (o["pid"] == pid && o["fd"] == fd) return &s;
  return nullptr;
}

TEST_F(HostileNames, LsTextEscapesEveryField) {
  auto all = sockscope({"ls"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  expect_safe_text(all.out, "ls");
  auto r = sockscope({"ls", "-p", pid()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_safe_text(r.out, "ls -p");
  EXPECT_NE(r.out.find(escape_text(kComm) + "[" + pid() + "]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(escape_text(orphan_)), std::string::npos) << r.out;
  // The relatively bound listener's own row (the orphan's path holds kPart too).
  std::string row = line_with(r.out, "[" + pid() + "]:" + std::to_string(kDeepFd));
  ASSERT_FALSE(row.empty()) << r.out;
  EXPECT_NE(row.find(" " + escape_text(kPart) + " "), std::string::npos) << row;
  EXPECT_EQ(unescape_text(escape_text(orphan_)), orphan_);
}

TEST_F(HostileNames, LsJsonIsValidAndGivesTheBytesBack) {
  auto all = sockscope({"ls", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  json doc = parse(all.out, "ls --json");
  ASSERT_TRUE(doc.is_object());
  int p = holder_->pid();
  const json* deep = socket_at(doc["sockets"], p, kDeepFd);
  ASSERT_TRUE(deep) << "the holder's listener in the system-wide list";
  EXPECT_EQ(bytes_of(*deep, "path"), kPart);
  for (const auto& o : (*deep)["owners"])
    if (o["pid"] == p) {
      EXPECT_EQ(bytes_of(o, "comm"), kComm);
    }
  const json* orphan = socket_at(doc["sockets"], p, kOrphanFd);
  ASSERT_TRUE(orphan);
  EXPECT_EQ(bytes_of(*orphan, "path"), orphan_);
  const json* abs = socket_at(doc["sockets"], p, kAbstractFd);
  ASSERT_TRUE(abs);
  EXPECT_TRUE((*abs)["abstract"].get<bool>());
  // The inventory names an abstract socket as ss does: '@', and '@' for each NUL.
  EXPECT_EQ(bytes_of(*abs, "path"), "@x@\x1b[31m\n\xff"s);
  // The sh child holds them too, under its own name.
  bool sh = false;
  for (const auto& o : (*deep)["owners"]) sh = sh || o["comm"] == "sh";
  EXPECT_TRUE(sh) << (*deep)["owners"].dump();
}

TEST_F(HostileNames, FdShowsTheFourKilobytePathSafely) {
  auto t = sockscope({"fd", pid(), std::to_string(kFileFd)});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  expect_safe_text(t.out, "fd file");
  EXPECT_NE(t.out.find(escape_text(file_)), std::string::npos) << escape_text(t.out.substr(0, 300));
  auto j = sockscope({"fd", pid(), std::to_string(kFileFd), "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json doc = parse(j.out, "fd --json");
  EXPECT_EQ(bytes_of(doc, "target"), file_);
  EXPECT_EQ(bytes_of(doc, "comm"), kComm);

  for (int fd : {kDeepFd, kAbstractFd, kClientFd}) {
    auto s = sockscope({"fd", pid(), std::to_string(fd)});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    expect_safe_text(s.out, "fd " + std::to_string(fd));
    auto sj = sockscope({"fd", pid(), std::to_string(fd), "--json"});
    EXPECT_EQ(sj.exit_code, 0) << sj.err;
    json d = parse(sj.out, "fd --json " + std::to_string(fd));
    if (fd == kDeepFd) {
      EXPECT_EQ(bytes_of(d["socket"], "path"), kPart);
    }
  }
}

TEST_F(HostileNames, DoctorQuotesTheCommandItPrints) {
  auto t = sockscope({"doctor", pid(), "--interval", "0.2"});
  EXPECT_EQ(t.exit_code, 1) << "findings: " << t.err;
  expect_safe_text(t.out, "doctor");
  std::string cmd = quoted_command(t.out, "[orphaned-listener]");
  ASSERT_FALSE(cmd.empty()) << t.out;
  auto words = shell_words(cmd);
  ASSERT_EQ(words.size(), 3u) << cmd;
  EXPECT_EQ(words[2], orphan_) << cmd;
  EXPECT_EQ(run({"bash", "-n", "-c", cmd}).exit_code, 0) << cmd;

  auto j = sockscope({"doctor", pid(), "--interval", "0.2", "--json"});
  EXPECT_EQ(j.exit_code, 1) << j.err;
  json doc = parse(j.out, "doctor --json");
  bool found = false;
  for (const auto& f : doc["findings"]) {
    if (f["check"] != "orphaned-listener") continue;
    found = true;
    EXPECT_NE(bytes_of(f, "what").find(orphan_), std::string::npos);
    auto w = shell_words(quoted_command(f["todo"].get<std::string>(), "find"));
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[2], orphan_);
    for (const auto& h : f["holders"])
      if (h["pid"] == holder_->pid()) {
        EXPECT_EQ(bytes_of(h, "comm"), kComm);
      }
  }
  EXPECT_TRUE(found) << j.out;
}

TEST_F(HostileNames, CheckpointTextAndJson) {
  auto t = sockscope({"checkpoint", pid()});
  EXPECT_NE(t.exit_code, 70) << t.err;
  expect_safe_text(t.out, "checkpoint");
  EXPECT_NE(t.out.find(escape_text(kComm)), std::string::npos) << t.out;
  auto j = sockscope({"checkpoint", pid(), "--json"});
  EXPECT_NE(j.exit_code, 70) << j.err;
  json doc = parse(j.out, "checkpoint --json");
  ASSERT_TRUE(doc.is_object());
  std::string all = j.out;
  EXPECT_EQ(all.find('\xff'), std::string::npos);
  bool comm = false;
  for (const auto& f : doc["findings"])
    if (f.contains("comm_hex")) comm = comm || from_hex(f["comm_hex"].get<std::string>()) == kComm;
  if (doc.contains("comm_hex")) comm = comm || from_hex(doc["comm_hex"].get<std::string>()) == kComm;
  EXPECT_TRUE(comm) << j.out.substr(0, 2000);
}

TEST_F(HostileNames, TraceWhileTheHostileProcessWorks) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  std::string path = dir_ + "/w" + kPart;
  pid_t w = start_worker(path);
  ASSERT_GT(w, 0);
  auto j = sockscope({"trace", "--json", "--pid", std::to_string(w), "--duration", "1.5"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  std::istringstream lines(j.out);
  bool comm = false, bound = false, abstract = false;
  for (std::string line; std::getline(lines, line);) {
    json e = parse(line, "trace --json line");
    if (!e.contains("event")) continue;
    comm = comm || bytes_of(e, "comm") == kComm;
    if (e.contains("address")) {
      bound = bound || bytes_of(e, "address") == path;
      abstract = abstract || bytes_of(e, "address") == "@" + kAbstract.substr(1) + "w";
    }
  }
  EXPECT_TRUE(comm && bound && abstract) << comm << bound << abstract << escape_text(j.out.substr(0, 1000));

  auto t = sockscope({"trace", "--pid", std::to_string(w), "--duration", "1"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  expect_safe_text(t.out, "trace");
  EXPECT_NE(t.out.find(escape_text(path)), std::string::npos) << t.out.substr(0, 1000);
}

TEST_F(HostileNames, WatchWhileTheHostileProcessWorks) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  std::string path = dir_ + "/w" + kPart, tour = dir_ + "/t" + kPart;
  ASSERT_GT(start_worker(path), 0);
  start_tour(tour);
  auto j = sockscope({"watch", path, tour + "/tour.sock", "--json", "--duration", "1.5"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  std::istringstream lines(j.out);
  size_t touches = 0, argv_seen = 0;
  for (std::string line; std::getline(lines, line);) {
    json e = parse(line, "watch --json line");
    if (!e.contains("watched_path")) continue;
    ++touches;
    std::string watched = bytes_of(e, "watched_path");
    EXPECT_TRUE(watched == path || watched == tour + "/tour.sock") << escape_text(watched);
    if (watched == path) {
      EXPECT_EQ(bytes_of(e, "comm"), kComm);
    }
    for (const auto& p : e["lineage"]) {
      if (p["comm"] != "sh") continue;
      std::vector<std::string> argv;
      for (size_t i = 0; i < p["argv"].size(); ++i)
        argv.push_back(p.contains("argv_hex") && !p["argv_hex"][i].is_null()
                           ? from_hex(p["argv_hex"][i].get<std::string>())
                           : p["argv"][i].get<std::string>());
      ASSERT_GE(argv.size(), kArgv.size());
      EXPECT_TRUE(std::equal(kArgv.begin(), kArgv.end(), argv.end() - kArgv.size()));
      ++argv_seen;
    }
  }
  EXPECT_GT(touches, 0u) << j.err;
  EXPECT_GT(argv_seen, 0u) << "the tour's sh in a lineage";

  auto t = sockscope({"watch", path, tour + "/tour.sock", "--duration", "1"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  expect_safe_text(t.out, "watch");
  EXPECT_NE(t.out.find(escape_text(path)), std::string::npos) << t.out.substr(0, 1000);
  // sh's argv is shown as shell words (cut at 160 bytes: past kArgv here).
  EXPECT_NE(t.out.find("sh -c 'while :; do"), std::string::npos) << t.out.substr(0, 2000);
}

}  // namespace
}  // namespace sockscope::testing
