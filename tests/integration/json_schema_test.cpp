// SPDX-License-Identifier: GPL-2.0-only
// Issue 17: every `--json` output carries the schema version docs/json.md
// states, each document once and each line of a stream (trace, watch), and
// its times come as RFC 3339 beside the raw nanoseconds. Real processes,
// sockets, a real recorder and the tracer on this machine.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "json_schema_support.h"
#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

int listen_at(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || ::listen(fd, 8) != 0) std::abort();
  return fd;
}

// One document: the whole of stdout parses as an object with the schema.
json expect_document(const CommandResult& r, const std::string& what) {
  auto j = json::parse(r.out, nullptr, false);
  EXPECT_TRUE(j.is_object()) << what << ": not one JSON object:\n" << r.out << r.err;
  if (!j.is_object()) return j;
  EXPECT_EQ(j.value("schema", -1), documented_schema()) << what << ":\n" << r.out.substr(0, 400);
  return j;
}

// A stream: every line parses as an object with the schema; the lines.
std::vector<json> expect_lines(const CommandResult& r, const std::string& what) {
  std::vector<json> out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line, nullptr, false);
    EXPECT_TRUE(j.is_object()) << what << ": not a JSON object: " << line;
    if (!j.is_object()) continue;
    EXPECT_EQ(j.value("schema", -1), documented_schema()) << what << ": " << line;
    out.push_back(std::move(j));
  }
  return out;
}

// A process that binds, listens on, closes and unlinks `path` every 20 ms
// for 30 s (killed before): events for trace, watch and the recorder.
class Churner {
 public:
  explicit Churner(const std::string& path) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      for (int i = 0; i < 1500; ++i) {
        ::close(listen_at(path));
        ::unlink(path.c_str());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ::_exit(0);
    }
  }
  ~Churner() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  Churner(const Churner&) = delete;
  Churner& operator=(const Churner&) = delete;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

class JsonSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    ASSERT_GT(documented_schema(), 0) << "docs/json.md states no \"Schema version: N\" line";
    char tmpl[] = "/tmp/sockscope-schema-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override {
    if (!dir_.empty()) run({"rm", "-rf", dir_});
  }
  std::string dir_;
};

TEST_F(JsonSchema, EveryInventoryDocumentCarriesTheDocumentedVersion) {
  std::string path = dir_ + "/server.sock";
  Child c([&] {
    int l = listen_at(path);
    int pair[2];
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    if (::dup2(l, 40) < 0 || ::dup2(pair[0], 41) < 0) std::abort();
  });
  std::string pid = std::to_string(c.pid());

  auto ls = expect_document(sockscope({"ls", "--json"}), "ls --json");
  EXPECT_TRUE(ls.contains("sockets"));
  expect_document(sockscope({"ls", "-p", pid, "--format", "json"}), "ls --format json");
  auto fd = expect_document(sockscope({"fd", pid, "40", "--json"}), "fd --json");
  EXPECT_EQ(fd.value("kind", ""), "socket");
  std::string ino = std::to_string(socket_inode(c.pid(), 41));
  expect_document(sockscope({"fd", "socket:[" + ino + "]", "--json"}), "fd socket:[N] --json");
  expect_document(sockscope({"checkpoint", pid, "--json"}), "checkpoint --json");
  expect_document(sockscope({"doctor", pid, "--json"}), "doctor --json");
  expect_document(sockscope({"doctor", "--json"}), "doctor --json (machine)");
  expect_document(sockscope({"jvm", "ls", "--json"}), "jvm ls --json");
}

TEST_F(JsonSchema, ProbesAndRunReportCarryIt) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  expect_document(sockscope({"probes", "--json"}), "probes --json");
  std::string path = dir_ + "/run.sock";
  auto r = sockscope({"run", "--json", "--", "python3", "-c",
                      "import socket; s = socket.socket(socket.AF_UNIX); s.bind('" + path + "'); s.listen()"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_document(r, "run --json");
}

TEST_F(JsonSchema, EveryLineOfTraceAndWatchCarriesItWithRfc3339Times) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  std::string path = dir_ + "/churn.sock";
  Churner churn(path);
  auto trace = sockscope({"trace", "--pid", std::to_string(churn.pid()), "--json", "--duration", "1.5"});
  ASSERT_EQ(trace.exit_code, 0) << trace.err;
  auto lines = expect_lines(trace, "trace --json");
  ASSERT_GE(lines.size(), 2u) << "events, then the stats line:\n" << trace.out;
  EXPECT_TRUE(lines.back().contains("stats")) << lines.back();
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_TRUE(is_rfc3339_ns(lines[i].value("time", ""))) << lines[i];
    EXPECT_TRUE(lines[i]["ts_ns"].is_number()) << lines[i];
  }

  auto watch = sockscope({"watch", path, "--json", "--duration", "1.5"});
  ASSERT_EQ(watch.exit_code, 0) << watch.err;
  auto touches = expect_lines(watch, "watch --json");
  ASSERT_GE(touches.size(), 2u) << "touches, then the stats line:\n" << watch.out;
  EXPECT_EQ(touches.front().value("watched_path", ""), path) << touches.front();
  EXPECT_TRUE(is_rfc3339_ns(touches.front().value("time", ""))) << touches.front();
}

// The recorder's database: `recorder status --json` and `history --json`.
TEST_F(JsonSchema, RecorderStatusAndHistoryCarryItWithRfc3339Times) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  std::string db = dir_ + "/history.db", run_dir = dir_ + "/run", path = dir_ + "/rec.sock";
  ::mkdir(run_dir.c_str(), 0700);
  pid_t rec = ::fork();
  if (rec == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(SOCKSCOPE_BIN, "sockscope", "recorder", "--foreground", "--no-stacks", "--db", db.c_str(), "--run-dir",
            run_dir.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  json status;
  {
    Churner churn(path);
    for (int i = 0; i < 300; ++i) {  // up to 30 s for the recorder to start and store a socket
      auto st = sockscope({"recorder", "status", "--db", db, "--json"});
      if (st.exit_code == 0) status = expect_document(st, "recorder status --json");
      if (status.is_object() && status.value("sockets", 0) > 0 && status.contains("session")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ::kill(rec, SIGTERM);
  EXPECT_EQ(wait_exit(rec, 20000), 0) << "the recorder stops cleanly on SIGTERM";
  ASSERT_TRUE(status.is_object() && status.contains("session")) << status;
  EXPECT_TRUE(is_rfc3339_ns(status["session"].value("started_utc", ""))) << status;

  auto h = sockscope({"history", "--db", db, "--json"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  auto doc = expect_document(h, "history --json");
  ASSERT_FALSE(doc["sockets"].empty()) << h.out.substr(0, 400);
  const auto& rec0 = doc["sockets"][0];
  EXPECT_TRUE(rec0["created_ns"].is_number()) << rec0;
  EXPECT_TRUE(is_rfc3339_ns(rec0.value("created_utc", ""))) << rec0;

  // The same record answers `--since 1h` (a duration back from now), and
  // a start in the future leaves nothing.
  auto hour = sockscope({"history", "--db", db, "--since", "1h", "--json"});
  ASSERT_EQ(hour.exit_code, 0) << hour.err;
  EXPECT_EQ(expect_document(hour, "history --since 1h --json")["sockets"].size(), doc["sockets"].size());
  auto later = sockscope({"history", "--db", db, "--since", "2200-01-01 00:00", "--json"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_TRUE(expect_document(later, "history --since 2200 --json")["sockets"].empty());
}

}  // namespace
}  // namespace sockscope::testing
