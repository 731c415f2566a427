// SPDX-License-Identifier: GPL-2.0-only
// `sockscope run` against the scenarios of tracer_scenario_test.cpp: each
// event kind is triggered by a real syscall, then its fields are asserted.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string self_exe() { return fs::read_symlink("/proc/self/exe"); }

// Skips unless `sockscope probes` finds a usable rung (root, BTF, ringbuf).
// Runs a scenario under `sockscope run --json`; returns the report and facts.
struct Scenario {
  json report;
  std::map<std::string, long long> facts;
  int exit_code = -1;
  std::string err;
};

Scenario run_scenario(const std::string& name, const std::string& backend = "auto") {
  fs::path dir = fs::temp_directory_path() / ("sockscope-tracer-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string facts = (dir / "facts").string();
  ::setenv("SOCKSCOPE_TRACER_SCENARIO", name.c_str(), 1);
  ::setenv("SOCKSCOPE_TRACER_FACTS", facts.c_str(), 1);
  ::setenv("SOCKSCOPE_TRACER_DIR", dir.c_str(), 1);
  auto r = sockscope({"run", "--json", "--backend", backend, "--", self_exe()});
  ::unsetenv("SOCKSCOPE_TRACER_SCENARIO");
  Scenario s;
  s.exit_code = r.exit_code;
  s.err = r.err;
  s.report = json::parse(r.out, nullptr, false);
  std::ifstream in(facts);
  std::string k;
  long long v;
  while (in >> k >> v) s.facts[k] = v;
  fs::remove_all(dir);
  return s;
}

const json* socket_by_inode(const json& report, long long ino) {
  for (const auto& s : report["sockets"])
    if (s["inode"].get<long long>() == ino) return &s;
  return nullptr;
}

const json* event_of(const json& sock, const std::string& kind) {
  for (const auto& e : sock["events"])
    if (e["event"] == kind) return &e;
  return nullptr;
}

// Each rung's events against what the program itself knows it did (its
// facts: inodes, fds, paths). Comparing the rungs with each other alone
// would pass a bug of the decoder they share.
class TracerRunOn : public ::testing::TestWithParam<std::string> {};

TEST_P(TracerRunOn, EveryEventKindWithItsFields) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  auto s = run_scenario("all", GetParam());
  EXPECT_EQ(s.report["backend"], GetParam());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  ASSERT_FALSE(s.report.is_discarded()) << s.err;
  auto& f = s.facts;
  ASSERT_TRUE(f.count("srv_ino")) << "scenario did not run";
  long long pid = f["pid"];

  const json* srv = socket_by_inode(s.report, f["srv_ino"]);
  ASSERT_NE(srv, nullptr) << s.report.dump(2);
  EXPECT_EQ((*srv)["created"]["event"], "socket");
  EXPECT_EQ((*srv)["created"]["pid"].get<long long>(), pid);
  EXPECT_EQ((*srv)["created"]["fd"].get<long long>(), f["srv_fd"]);
  EXPECT_EQ((*srv)["family"], "unix");
  EXPECT_EQ((*srv)["type"], "stream");
  ASSERT_NE(event_of(*srv, "bind"), nullptr);
  EXPECT_NE((*event_of(*srv, "bind"))["address"].get<std::string>().find("/srv.sock"), std::string::npos);
  EXPECT_NE(event_of(*srv, "listen"), nullptr);
  EXPECT_NE(event_of(*srv, "close"), nullptr);
  EXPECT_FALSE((*srv)["open_at_exit"].get<bool>());

  const json* cli = socket_by_inode(s.report, f["cli_ino"]);
  ASSERT_NE(cli, nullptr);
  ASSERT_NE(event_of(*cli, "connect"), nullptr);
  EXPECT_EQ((*event_of(*cli, "connect"))["ret"], 0);
  EXPECT_NE(event_of(*cli, "sendmsg"), nullptr);

  const json* acc = socket_by_inode(s.report, f["acc_ino"]);
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ((*acc)["created"]["event"], "accept");
  EXPECT_EQ((*acc)["created"]["inode2"].get<long long>(), f["srv_ino"]);  // the listener
  EXPECT_EQ((*acc)["created"]["peer_inode"].get<long long>(), f["cli_ino"]);
  EXPECT_NE(event_of(*acc, "shutdown"), nullptr);
  const json* recv = event_of(*acc, "recvmsg");
  ASSERT_NE(recv, nullptr);
  EXPECT_EQ((*recv)["scm_fds"][0].get<long long>(), f["got_fd"]);
  EXPECT_EQ((*recv)["scm_inodes"][0].get<long long>(), f["pair0_ino"]);

  const json* pair = socket_by_inode(s.report, f["pair1_ino"]);
  ASSERT_NE(pair, nullptr);
  EXPECT_EQ((*pair)["created"]["event"], "socketpair");
  EXPECT_EQ((*pair)["type"], "dgram");

  bool refused = false;
  for (const auto& so : s.report["sockets"])
    for (const auto& e : so["events"])
      if (e["event"] == "connect" && e.value("errno", "") == "ENOENT") refused = true;
  EXPECT_TRUE(refused) << "connect to a missing path must carry ENOENT";

  std::vector<std::string> path_kinds;
  for (const auto& e : s.report["path_events"]) path_kinds.push_back(e["event"]);
  EXPECT_EQ(path_kinds, (std::vector<std::string>{"rename", "unlink"}));

  bool child_seen = false;
  for (const auto& p : s.report["processes"])
    if (p["pid"].get<long long>() == f["child"]) child_seen = p.contains("exit_status");
  EXPECT_TRUE(child_seen) << "fork child and its exit";
  EXPECT_EQ(s.report["stats"]["lost"], 0);
}

INSTANTIATE_TEST_SUITE_P(Rungs, TracerRunOn, ::testing::Values("tracepoint", "raw_syscalls"),
                         [](const auto& info) { return info.param; });

// The two rungs this kernel has must produce the same events.
TEST(TracerRun, TracepointAndRawSyscallsAgree) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  auto shape = [](const json& report) {
    std::vector<std::string> out;
    for (const auto& s : report["sockets"]) {
      out.push_back(s["created"]["event"].get<std::string>() + " " + s["family"].get<std::string>() + "/" +
                    s["type"].get<std::string>());
      for (const auto& e : s["events"])
        out.push_back(e["event"].get<std::string>() + " fd=" + e.value("fd", json(-1)).dump() +
                      " ret=" + e["ret"].dump() + " errno=" + e.value("errno", ""));
    }
    return out;
  };
  auto tp = run_scenario("all", "tracepoint");
  auto raw = run_scenario("all", "raw_syscalls");
  ASSERT_EQ(tp.exit_code, 0) << tp.err;
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(tp.report["backend"], "tracepoint");
  EXPECT_EQ(raw.report["backend"], "raw_syscalls");
  EXPECT_FALSE(shape(tp.report).empty());
  EXPECT_EQ(shape(tp.report), shape(raw.report));
}

TEST(TracerRun, CatchesASocketMadeBeforeExec) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  auto s = run_scenario("pre_exec");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const json* sock = socket_by_inode(s.report, s.facts["pre_exec_ino"]);
  ASSERT_NE(sock, nullptr) << s.report.dump(2);
  EXPECT_EQ((*sock)["created"]["pid"].get<long long>(), s.facts["pid"]);
  EXPECT_TRUE((*sock)["open_at_exit"].get<bool>()) << "inherited by /bin/true, never closed";
  bool exec_true = false;
  for (const auto& p : s.report["processes"])
    for (const auto& x : p["execs"]) exec_true |= x == "/bin/true";
  EXPECT_TRUE(exec_true);
}

// close() is read from the fd table, so fds made by dup*/fcntl or inherited
// at fork are reported too, and only the last one is flagged as releasing
// the socket (flags 1 = SOCKSCOPE_CLOSE_LAST).
TEST(TracerRun, ClosesOfDuplicatedAndInheritedFds) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  for (const char* backend : {"tracepoint", "raw_syscalls"}) {
    auto s = run_scenario("dups", backend);
    ASSERT_EQ(s.exit_code, 0) << s.err;
    auto& f = s.facts;
    ASSERT_TRUE(f.count("child")) << "scenario did not run";
    auto closes = [&](const json& sock) {
      std::vector<std::string> out;
      for (const auto& e : sock["events"])
        if (e["event"] == "close")
          out.push_back(fmt::format("{}/{} last={}", e["pid"].get<long long>() == f["child"] ? "child" : "parent",
                                    e["fd"].get<int>(), e.value("flags", 0)));
      return out;
    };
    const json* p0 = socket_by_inode(s.report, f["pair0_ino"]);
    ASSERT_NE(p0, nullptr) << s.report.dump(2);
    std::string fd0 = std::to_string(f["pair0_fd"]);
    EXPECT_EQ(closes(*p0), (std::vector<std::string>{fmt::format("parent/{} last=0", f["dup_fd"]), "parent/40 last=0",
                                                     "parent/41 last=0", "parent/50 last=0", "parent/60 last=0",
                                                     "parent/" + fd0 + " last=1"}))
        << backend;
    EXPECT_FALSE((*p0)["open_at_exit"].get<bool>());
    const json* p1 = socket_by_inode(s.report, f["pair1_ino"]);
    ASSERT_NE(p1, nullptr);
    std::string fd1 = std::to_string(f["pair1_fd"]);
    EXPECT_EQ(closes(*p1), (std::vector<std::string>{"child/" + fd1 + " last=0", "parent/" + fd1 + " last=1"}))
        << backend;
    EXPECT_FALSE((*p1)["open_at_exit"].get<bool>());
    const json* kept = socket_by_inode(s.report, f["kept_ino"]);
    ASSERT_NE(kept, nullptr);
    EXPECT_TRUE((*kept)["open_at_exit"].get<bool>()) << "closing a copy leaves the socket open\n" << kept->dump(2);
  }
}

TEST(TracerRun, ExitsWithTheChildsCode) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  auto s = run_scenario("exit7");
  EXPECT_EQ(s.exit_code, 7) << s.err;
}

// The shell's codes for a command that cannot start (issue #19: 127 for all).
TEST(TracerRun, CommandThatCannotStartGetsTheShellsCode) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  auto missing = sockscope({"run", "--", "/nonexistent/sockscope-no-such-command"});
  EXPECT_EQ(missing.exit_code, 127) << missing.err;
  auto not_runnable = sockscope({"run", "--", "/etc/passwd"});
  EXPECT_EQ(not_runnable.exit_code, 126) << not_runnable.err;
  EXPECT_NE(not_runnable.err.find("cannot run /etc/passwd: Permission denied"), std::string::npos) << not_runnable.err;
}

// -o keeps the report apart from the command's own stdout (issue #19).
TEST(TracerRun, ReportToAFileLeavesStdoutToTheCommand) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  char tmpl[] = "/tmp/sockscope-run-o-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string file = dir + "/report.json";
  auto r = sockscope({"run", "--json", "-o", file, "--", "sh", "-c", "echo from-the-command"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from-the-command\n");
  std::ifstream in(file);
  json report = json::parse(in, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << file;
  EXPECT_EQ(report["exit_code"], 0) << report.dump(2);

  auto bad = sockscope({"run", "-o", dir + "/no/such/dir/report", "--", "touch", dir + "/ran"});
  EXPECT_EQ(bad.exit_code, 73) << bad.err;
  EXPECT_NE(bad.err.find("hint:"), std::string::npos) << bad.err;
  EXPECT_NE(::access((dir + "/ran").c_str(), F_OK), 0) << "the command ran although the report had nowhere to go";
  run({"rm", "-rf", dir});
}

}  // namespace
}  // namespace sockscope::testing
