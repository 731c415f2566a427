// SPDX-License-Identifier: GPL-2.0-only
// `sockscope jvm` against real JVMs (/usr/bin/java, OpenJDK 17): attach
// operations, an agent load, refusal of a non-JVM, cleanup on timeout and
// SIGINT. Needs root; skips if java/javac/jar are missing. After each test:
// no /tmp/.attach_pid* file and no child process is left.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "json_schema_support.h"
#include "support/helpers.h"

namespace sockscope::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> attach_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator("/tmp"))
    if (e.path().filename().string().rfind(".attach_pid", 0) == 0) out.push_back(e.path());
  return out;
}

// Children of this process (all threads): must be none between tests.
std::string children() {
  std::string out;
  for (const auto& t : fs::directory_iterator("/proc/self/task")) out += slurp(t.path() / "children");
  return out;
}

// Compiles tests/jvm/*.java once per run into a directory outside /tmp (the
// namespace test hides /tmp behind a tmpfs).
class JvmAttach : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!need_root().empty() || ::access("/usr/bin/java", X_OK) != 0 || ::access("/usr/bin/javac", X_OK) != 0)
      return;
    char tmpl[] = "/var/tmp/sockscope-jvm-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    std::string src = SOCKSCOPE_TESTS_DIR "/jvm/";
    auto javac = run({"javac", "-d", dir_, src + "AttachTarget.java", src + "MarkerAgent.java"});
    auto jar = run({"jar", "cfm", dir_ + "/agent.jar", src + "agent.mf", "-C", dir_, "MarkerAgent.class"});
    built_ = javac.exit_code == 0 && jar.exit_code == 0;
    if (!built_) build_log_ = javac.err + jar.err;
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (auto r = need_root(); !r.empty()) GTEST_SKIP() << r;
    if (dir_.empty()) GTEST_SKIP() << "java/javac missing: apt-get install openjdk-17-jdk-headless";
    ASSERT_TRUE(built_) << build_log_;
  }
  void TearDown() override {
    EXPECT_EQ(attach_files(), std::vector<std::string>{});
    EXPECT_EQ(children(), "");
  }
  static std::vector<std::string> java(std::vector<std::string> flags = {}) {
    std::vector<std::string> argv{"/usr/bin/java"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"-cp", dir_, "AttachTarget"});
    return argv;
  }
  static inline std::string dir_;
  static inline bool built_ = false;
  static inline std::string build_log_;
};

std::string pid_of(const Spawned& s) { return std::to_string(s.pid()); }

TEST_F(JvmAttach, Properties) {
  Spawned jvm(java());
  ASSERT_EQ(words(jvm.first_line()).at(0), "ready");
  auto r = sockscope({"jvm", "properties", pid_of(jvm)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("java.vm.specification.version=17"), std::string::npos) << r.out;
  // The listener is up now: the second attach needs no signal; detection
  // asks "getversion", which JDK 17 does not know, and falls back to v1.
  auto again = sockscope({"jvm", "properties", pid_of(jvm), "--protocol", "detect"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("java.vm.specification.version=17"), std::string::npos) << again.out;
}

TEST_F(JvmAttach, ThreadDumpAndJcmd) {
  Spawned jvm(java());
  auto dump = sockscope({"jvm", "threaddump", pid_of(jvm)});
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_NE(dump.out.find("\"sockscope-attach-worker\""), std::string::npos) << dump.out;
  auto v = sockscope({"jvm", "jcmd", pid_of(jvm), "VM.version"});
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_NE(v.out.find("JDK 17"), std::string::npos) << v.out;
  auto bad = sockscope({"jvm", "jcmd", pid_of(jvm), "No.such.command"});
  EXPECT_NE(bad.exit_code, 0);
}

// Issue 17: every jvm verb takes --json; the answer is one object a script
// can read without parsing the JVM's text: the request, the status, the output.
TEST_F(JvmAttach, JsonAnswerCarriesRequestStatusAndOutput) {
  Spawned jvm(java());
  auto v = sockscope({"jvm", "jcmd", pid_of(jvm), "VM.version", "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  auto j = nlohmann::json::parse(v.out);
  EXPECT_EQ(j["pid"], jvm.pid());
  EXPECT_EQ(j["request"], (nlohmann::json{"jcmd", "VM.version"}));
  EXPECT_EQ(j["status"], 0);
  EXPECT_EQ(j["schema"], documented_schema()) << "docs/json.md, \"Schema version\"";
  EXPECT_NE(j["output"].get<std::string>().find("JDK"), std::string::npos) << v.out;
  auto bad = sockscope({"jvm", "jcmd", pid_of(jvm), "No.such.command", "--json"});
  EXPECT_EQ(bad.exit_code, 1) << "the JVM's failure status decides the exit code, with or without --json";
  EXPECT_NE(nlohmann::json::parse(bad.out)["status"], 0) << bad.out;
  auto pm = sockscope({"jvm", "perfmap", pid_of(jvm), "--json"});
  ASSERT_EQ(pm.exit_code, 0) << pm.err;
  EXPECT_TRUE(std::filesystem::exists(nlohmann::json::parse(pm.out)["perfmap"].get<std::string>())) << pm.out;
  EXPECT_EQ(nlohmann::json::parse(pm.out)["schema"], documented_schema()) << pm.out;
}

TEST_F(JvmAttach, LoadsAJavaAgent) {
  Spawned jvm(java());
  std::string marker = dir_ + "/marker-" + pid_of(jvm);
  auto r = sockscope({"jvm", "load", pid_of(jvm), "instrument", "false", dir_ + "/agent.jar=" + marker});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(slurp(marker), "loaded");
  // A jar that does not exist: status 0, but the agent's return code is not.
  auto bad = sockscope({"jvm", "load", pid_of(jvm), "instrument", "false", dir_ + "/none.jar"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("return code"), std::string::npos) << bad.err;
}

TEST_F(JvmAttach, RefusesANonJvmBeforeSignallingIt) {
  pid_t sleeper = ::fork();
  if (sleeper == 0) {
    ::execl("/bin/sleep", "sleep", "60", nullptr);
    ::_exit(127);
  }
  ::usleep(100000);  // let it exec
  auto r = sockscope({"jvm", "threaddump", std::to_string(sleeper)});
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_NE(r.err.find("not a HotSpot JVM"), std::string::npos) << r.err;
  ::usleep(100000);
  EXPECT_EQ(::waitpid(sleeper, nullptr, WNOHANG), 0) << "sleep died: it was signalled";
  EXPECT_EQ(slurp("/proc/" + std::to_string(sleeper) + "/stat").find(") Z"), std::string::npos);
  EXPECT_FALSE(fs::exists("/tmp/.attach_pid" + std::to_string(sleeper)));
  EXPECT_FALSE(fs::exists(fs::current_path() / (".attach_pid" + std::to_string(sleeper))));
  ::kill(sleeper, SIGKILL);
  ::waitpid(sleeper, nullptr, 0);
}

TEST_F(JvmAttach, RefusesDisabledAttachWithoutSignalling) {
  // On the command line, or where ops teams put it: JAVA_TOOL_OPTIONS.
  auto in_env = java();
  in_env.insert(in_env.begin(), {"/usr/bin/env", "JAVA_TOOL_OPTIONS=-XX:+DisableAttachMechanism"});
  for (const auto& argv : {java({"-XX:+DisableAttachMechanism"}), in_env}) {
    Spawned jvm(argv);
    auto r = sockscope({"jvm", "properties", pid_of(jvm)});
    EXPECT_EQ(r.exit_code, 69) << argv[0] << ": " << r.err;
    EXPECT_NE(r.err.find("DisableAttachMechanism"), std::string::npos) << r.err;
    auto ls = sockscope({"jvm", "ls"});
    EXPECT_NE(ls.out.find("disabled"), std::string::npos) << ls.out;
  }
}

nlohmann::json ls_entry(pid_t pid) {
  auto ls = sockscope({"jvm", "ls", "--json"});
  auto doc = nlohmann::json::parse(ls.out);
  for (const auto& j : doc["jvms"])
    if (j["pid"] == pid) return j;
  return {};
}

// JDK 17: a deleted .java_pid with a running listener is recreated by the
// next trigger-file + SIGQUIT attach (AttachListener::check_socket_file).
TEST_F(JvmAttach, DeletedSocketPathIsRecreatedByTheNextAttach) {
  Spawned jvm(java());
  ASSERT_EQ(sockscope({"jvm", "properties", pid_of(jvm)}).exit_code, 0);
  EXPECT_EQ(ls_entry(jvm.pid())["attach"], "up");
  ASSERT_TRUE(fs::remove("/tmp/.java_pid" + pid_of(jvm)));
  EXPECT_EQ(ls_entry(jvm.pid())["attach"], "path-deleted");
  auto r = sockscope({"jvm", "jcmd", pid_of(jvm), "VM.uptime"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ls_entry(jvm.pid())["attach"], "up");
}

// -Xrs: HotSpot does not catch SIGQUIT (it would die of it) and starts the
// listener at launch. Once its socket is deleted, we must refuse to signal.
TEST_F(JvmAttach, NeverSignalsAJvmRunWithXrs) {
  Spawned jvm(java({"-Xrs"}));
  EXPECT_EQ(sockscope({"jvm", "properties", pid_of(jvm)}).exit_code, 0);
  ASSERT_TRUE(fs::remove("/tmp/.java_pid" + pid_of(jvm)));
  auto r = sockscope({"jvm", "properties", pid_of(jvm)});
  EXPECT_EQ(r.exit_code, 69) << r.err;
  EXPECT_NE(r.err.find("does not handle SIGQUIT"), std::string::npos) << r.err;
  EXPECT_EQ(::waitpid(jvm.pid(), nullptr, WNOHANG), 0) << "the JVM died";
}

// A stopped JVM never answers SIGQUIT: the wait must end, by timeout or by
// SIGINT, and leave no trigger file behind.
TEST_F(JvmAttach, TimeoutAndSigintCleanUp) {
  Spawned jvm(java());
  ::kill(jvm.pid(), SIGSTOP);
  auto r = sockscope({"jvm", "properties", pid_of(jvm), "--timeout", "300"});
  EXPECT_EQ(r.exit_code, 70) << r.err;
  EXPECT_NE(r.err.find("within 300 ms"), std::string::npos) << r.err;
  EXPECT_EQ(attach_files(), std::vector<std::string>{});

  pid_t cli = ::fork();
  if (cli == 0) {
    ::execl(SOCKSCOPE_BIN, "sockscope", "jvm", "properties", pid_of(jvm).c_str(), "--timeout", "20000",
            nullptr);
    ::_exit(127);
  }
  ::usleep(500000);
  bool waiting = !attach_files().empty() || fs::exists(fs::current_path() / (".attach_pid" + pid_of(jvm)));
  ::kill(cli, SIGINT);
  int st = 0;
  ::waitpid(cli, &st, 0);
  EXPECT_TRUE(waiting) << "no trigger file while waiting";
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 130) << st;
  EXPECT_FALSE(fs::exists(fs::current_path() / (".attach_pid" + pid_of(jvm))));
  ::kill(jvm.pid(), SIGCONT);  // it prints a thread dump for the pending SIGQUIT, then goes on
}

// The JVM as in a container: own pid, mount and network namespaces and a
// private /tmp. Attached from the host by its host pid.
TEST_F(JvmAttach, JvmInItsOwnPidMountAndNetNamespaces) {
  std::vector<std::string> unshare{"unshare", "--pid", "--fork", "--mount", "--net", "--mount-proc"};
  auto probe = unshare;
  probe.push_back("true");
  if (run(probe).exit_code != 0) GTEST_SKIP() << "cannot create namespaces (unshare failed)";
  auto argv = unshare;
  argv.insert(argv.end(), {"/bin/sh", "-c",
                           "mount -t tmpfs tmpfs /tmp && exec /usr/bin/java -cp " + dir_ + " AttachTarget"});
  Spawned ns(argv);
  ASSERT_EQ(ns.first_line(), "ready 1");  // pid 1 in its namespace
  std::string self = std::to_string(ns.pid());
  std::string jvm = words(slurp("/proc/" + self + "/task/" + self + "/children")).at(0);
  auto r = sockscope({"jvm", "properties", jvm});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("java.vm.specification.version=17"), std::string::npos);
  auto e = ls_entry(std::stoi(jvm));
  EXPECT_EQ(e["nspid"], 1);
  EXPECT_EQ(e["attach"], "up");
  std::string tmp = "/proc/" + jvm + "/root/tmp/";
  EXPECT_TRUE(fs::is_socket(tmp + ".java_pid1"));
  EXPECT_FALSE(fs::exists(tmp + ".attach_pid1"));
  EXPECT_FALSE(fs::exists("/tmp/.java_pid1"));  // nothing leaked to the host's /tmp
  EXPECT_EQ(sockscope({"jvm", "threaddump", jvm}).exit_code, 0);
}

// The JDK with the highest feature release under /usr/lib/jvm, if >= 24.
std::string java_24_plus() {
  std::string best;
  int best_v = 23;
  for (const auto& e : fs::directory_iterator("/usr/lib/jvm")) {
    std::string rel = slurp(e.path() / "release");
    auto pos = rel.find("JAVA_VERSION=\"");
    if (pos == std::string::npos || !fs::exists(e.path() / "bin/java")) continue;
    int v = std::atoi(rel.c_str() + pos + 14);
    if (v > best_v) best_v = v, best = e.path() / "bin/java";
  }
  return best;
}

// Protocol v2 (JDK 24+): an agent option longer than v1's 1024 bytes.
TEST_F(JvmAttach, ProtocolV2OnJdk24Plus) {
  std::string java = java_24_plus();
  if (java.empty()) GTEST_SKIP() << "no JDK 24+ under /usr/lib/jvm (v2 is covered by unit tests)";
  Spawned jvm({java, "-cp", dir_, "AttachTarget"});
  std::string marker = dir_;
  while (marker.size() < 1500) marker += "/.";
  marker += "/marker-v2";
  auto r = sockscope({"jvm", "load", pid_of(jvm), "instrument", "false", dir_ + "/agent.jar=" + marker});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(slurp(dir_ + "/marker-v2"), "loaded");
  EXPECT_EQ(sockscope({"jvm", "properties", pid_of(jvm), "--protocol", "2"}).exit_code, 0);
}

}  // namespace
}  // namespace sockscope::testing
