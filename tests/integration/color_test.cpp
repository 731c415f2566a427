// SPDX-License-Identifier: GPL-2.0-only
// Issue 17: `--color=auto|always|never` (docs/cli.md, "Colors"). A blocker
// is red with always, plain with never and with auto into a pipe or under
// NO_COLOR or TERM=dumb (auto on a terminal is checked under script(1)'s
// pty); a hostile name keeps its escapes as `\x1b` text in colored output;
// JSON never has color. A bad value: CliErrors.EnumeratedValues.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "checkpoint_support.h"
#include "support/helpers.h"

namespace sockscope::testing {
namespace {

// A colour sequence as a comm: it must reach the terminal as text.
const std::string kComm = "\x1b[31mevil";
const std::string kRed = "\x1b[1;31m";

bool has_escape(const std::string& s) { return s.find('\x1b') != std::string::npos; }

class TextColor : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    char tmpl[] = "/tmp/sockscope-color-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    std::string path = dir_ + "/server.sock";
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
    ASSERT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ASSERT_EQ(::listen(listener_, 8), 0);
    // Connected to a listener outside its tree: CRIU's U1 blocker.
    scenario_ = std::make_unique<Scenario>([a] {
      ::prctl(PR_SET_NAME, kComm.c_str());
      int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof(a)) != 0) std::abort();
    });
    accepted_ = ::accept(listener_, nullptr, nullptr);
  }
  void TearDown() override {
    scenario_.reset();
    if (accepted_ >= 0) ::close(accepted_);
    if (listener_ >= 0) ::close(listener_);
    if (!dir_.empty()) run({"rm", "-rf", dir_});
  }
  std::string pid() const { return std::to_string(scenario_->pid()); }
  // `sockscope ARGS` on a pseudo-terminal (script(1)) under `env ENV`.
  CommandResult on_tty(const std::vector<std::string>& env, const std::string& args) {
    std::vector<std::string> argv{"env"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.insert(argv.end(), {"script", "-qec", std::string(SOCKSCOPE_BIN) + " " + args, "/dev/null"});
    return run(argv);
  }

  std::string dir_;
  int listener_ = -1, accepted_ = -1;
  std::unique_ptr<Scenario> scenario_;
};

TEST_F(TextColor, AlwaysColorsTheBlockerAndKeepsTheNameEscaped) {
  auto r = sockscope({"checkpoint", pid(), "--color=always"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find(kRed + "BLOCKER\x1b[0m"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\x1b[31mevil"), std::string::npos) << "the name as text:\n" << r.out;
  EXPECT_EQ(r.out.find(kComm), std::string::npos) << "the name's own escape reached the terminal";
}

TEST_F(TextColor, NeverAndAutoIntoAPipeHaveNone) {
  for (const char* mode : {"--color=never", "--color=auto"}) {
    auto r = sockscope({"checkpoint", pid(), mode});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("BLOCKER"), std::string::npos) << r.out;
    EXPECT_FALSE(has_escape(r.out)) << mode << ":\n" << r.out;
  }
  EXPECT_FALSE(has_escape(sockscope({"checkpoint", pid()}).out)) << "auto is the default";
}

TEST_F(TextColor, AutoColorsATerminalUnlessNoColorOrDumb) {
  if (::access("/usr/bin/script", X_OK) != 0) GTEST_SKIP() << "no script(1) for a pseudo-terminal";
  std::string args = "checkpoint " + pid() + " --color=auto";
  auto tty = on_tty({"-u", "NO_COLOR", "TERM=xterm"}, args);
  EXPECT_NE(tty.out.find(kRed + "BLOCKER"), std::string::npos) << tty.out << tty.err;
  auto no_color = on_tty({"NO_COLOR=1", "TERM=xterm"}, args);
  EXPECT_NE(no_color.out.find("BLOCKER"), std::string::npos) << no_color.out << no_color.err;
  EXPECT_FALSE(has_escape(no_color.out)) << "NO_COLOR:\n" << no_color.out;
  auto dumb = on_tty({"-u", "NO_COLOR", "TERM=dumb"}, args);
  EXPECT_NE(dumb.out.find("BLOCKER"), std::string::npos) << dumb.out << dumb.err;
  EXPECT_FALSE(has_escape(dumb.out)) << "TERM=dumb:\n" << dumb.out;
}

TEST_F(TextColor, LsAndFdHeadingsAreBoldAndJsonNeverColored) {
  auto ls = sockscope({"ls", "-p", pid(), "--color=always"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_EQ(ls.out.rfind("\x1b[1mNETNS", 0), 0u) << ls.out;
  EXPECT_NE(ls.out.find("\\x1b[31mevil"), std::string::npos) << ls.out;
  EXPECT_EQ(ls.out.find(kComm), std::string::npos) << ls.out;
  auto fd = sockscope({"fd", pid(), "0", "--color=always"});
  EXPECT_EQ(fd.out.rfind("\x1b[1mpid ", 0), 0u) << fd.out << fd.err;
  EXPECT_EQ(fd.out.find(kComm), std::string::npos) << fd.out;
  for (const auto& args : std::vector<std::vector<std::string>>{{"ls", "-p", pid(), "--json", "--color=always"},
                                                                {"fd", pid(), "0", "--json", "--color=always"},
                                                                {"doctor", "--json", "--color=always"},
                                                                {"checkpoint", pid(), "--json", "--color=always"}}) {
    auto r = sockscope(args);
    EXPECT_FALSE(has_escape(r.out)) << args[0] << ": raw ESC in JSON";
  }
}

}  // namespace
}  // namespace sockscope::testing
