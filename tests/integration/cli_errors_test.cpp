// SPDX-License-Identifier: GPL-2.0-only
// Bad input gets a clear message and a documented exit code (docs/cli.md).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <nlohmann/json.hpp>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

constexpr int kUsage = 64, kNotFound = 66, kNoPrivilege = 77;

// A pid that is not running: past the last pid the kernel may hand out.
std::string absent_pid() { return "4194304"; }

TEST(CliErrors, UnknownOptionIsAUsageError) {
  auto r = sockscope({"ls", "--no-such-option"});
  EXPECT_EQ(r.exit_code, kUsage);
  EXPECT_NE(r.err.find("no-such-option"), std::string::npos) << r.err;
}

TEST(CliErrors, NoSuchProcess) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  for (const auto& args :
       {std::vector<std::string>{"fd", absent_pid(), "0"}, std::vector<std::string>{"ls", "-p", absent_pid()}}) {
    auto r = sockscope(args);
    EXPECT_EQ(r.exit_code, kNotFound);
    EXPECT_NE(r.err.find("no process " + absent_pid()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint:"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(CliErrors, FdNotOpen) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {});
  auto r = sockscope({"fd", std::to_string(c.pid()), "1000"});
  EXPECT_EQ(r.exit_code, kNotFound);
  EXPECT_NE(r.err.find("has no fd 1000"), std::string::npos) << r.err;
}

TEST(CliErrors, NotRootCannotReadAnotherUsersProcess) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] { ::socket(AF_UNIX, SOCK_STREAM, 0); });
  auto r = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SOCKSCOPE_BIN, "fd",
                std::to_string(c.pid()), "3"});
  EXPECT_EQ(r.exit_code, kNoPrivilege) << r.out << r.err;
  EXPECT_NE(r.err.find("run as root"), std::string::npos) << r.err;
}

TEST(CliErrors, HidepidHidesTheProcess) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {});
  // A private /proc with hidepid=invisible in a private mount namespace.
  std::string script = "mount -t proc -o hidepid=invisible proc /proc && exec setpriv --reuid=65534 "
                       "--regid=65534 --clear-groups " SOCKSCOPE_BIN " fd " +
                       std::to_string(c.pid()) + " 0";
  auto r = run({"unshare", "--mount", "--propagation", "private", "sh", "-c", script});
  EXPECT_EQ(r.exit_code, kNotFound) << r.out << r.err;
  EXPECT_NE(r.err.find("hidepid"), std::string::npos) << r.err;
}

TEST(CliErrors, NotRootListingStillWorksWithDiagnostics) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] { ::socket(AF_UNIX, SOCK_STREAM, 0); });
  auto r =
      run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SOCKSCOPE_BIN, "ls", "--unix", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"diagnostics\""), std::string::npos);
  EXPECT_NE(r.out.find("cannot"), std::string::npos) << "unreadable processes must be reported";
}

// Issue #19 item 2: without privilege `ls` still dumps its own network
// namespace (no setns(), as `ss` does), and says in one line what it could
// not read instead of one warning per process.
TEST(CliErrors, NotRootListsItsOwnNamespaceAndSaysWhatIsHidden) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {  // root's listener, in our network namespace
    int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::string name = "sockscope-nonroot-" + std::to_string(::getpid());
    std::memcpy(a.sun_path + 1, name.data(), name.size());
    // A failure ends the child before it is ready: Child aborts the test.
    if (::bind(s, reinterpret_cast<sockaddr*>(&a),
               static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())) != 0 ||
        ::listen(s, 1) != 0)
      ::_exit(1);
  });
  auto r = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", SOCKSCOPE_BIN, "ls",
                "--unix", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out.substr(0, 400);
  bool found = false;
  for (const auto& s : doc["sockets"])
    found = found || s.dump().find("sockscope-nonroot-" + std::to_string(c.pid())) != std::string::npos;
  EXPECT_TRUE(found) << "root's listener in our own namespace is listed, without its holder";
  size_t hidden_lines = 0;
  for (const auto& d : doc["diagnostics"]) {
    std::string what = d.dump();
    EXPECT_EQ(what.find("cannot enter"), std::string::npos) << what;
    hidden_lines += what.find("cannot be read without privilege") != std::string::npos;
  }
  EXPECT_EQ(hidden_lines, 1u) << doc["diagnostics"].dump(2);
  EXPECT_LT(doc["diagnostics"].size(), 10u) << "one line for the processes of other users, not one each";
}

// BPF commands name the capability that is missing, exit 77 (not "the
// kernel lacks a ring buffer", exit 69).
TEST(CliErrors, NotRootTracingNamesTheMissingCapabilities) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  for (std::vector<std::string> args : {std::vector<std::string>{"trace", "--duration", "0"},
                                        std::vector<std::string>{"watch", "/tmp/x.sock", "--duration", "0"},
                                        std::vector<std::string>{"run", "--", "true"}}) {
    std::vector<std::string> argv = {"setpriv",        "--reuid=65534",   "--regid=65534",
                                     "--clear-groups", "--inh-caps=-all", SOCKSCOPE_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run(argv);
    EXPECT_EQ(r.exit_code, kNoPrivilege) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("lacks CAP_BPF and CAP_PERFMON"), std::string::npos) << args[0] << ": " << r.err;
  }
}

// Without privilege the kernel is not to blame: 6.18 has a BPF ring buffer,
// and `probes` must say that privilege is what is missing (exit 77).
TEST(CliErrors, NotRootProbesBlamesPrivilegeNotTheKernel) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  auto r =
      run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", SOCKSCOPE_BIN, "probes"});
  EXPECT_EQ(r.exit_code, 77) << r.out << r.err;
  EXPECT_NE(r.out.find("without privilege: run as root"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("needs Linux 5.8"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("absent     \n"), std::string::npos) << "every absent rung says why:\n" << r.out;
}

// --- Argument validation (docs/cli.md, "Argument errors"): every row of the
// table is one test. None of these runs as far as BPF or a JVM: the command
// line is refused first.

// The documented form: "sockscope: WHAT" then "  hint: WHAT TO DO", exit 64,
// nothing on stdout, no CLI11 range with DBL_MAX's 300 digits.
CommandResult expect_usage(const std::vector<std::string>& args, const std::string& says) {
  auto r = sockscope(args);
  std::string line = fmt::format("{}", fmt::join(args, " "));
  EXPECT_EQ(r.exit_code, kUsage) << line << "\n" << r.err;
  EXPECT_EQ(r.err.rfind("sockscope: ", 0), 0u) << line << "\n" << r.err;
  EXPECT_NE(r.err.find("\n  hint: "), std::string::npos) << line << "\n" << r.err;
  EXPECT_NE(r.err.find(says), std::string::npos) << line << "\n" << r.err;
  EXPECT_LT(r.err.size(), 400u) << line << "\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << line << "\n" << r.out;
  return r;
}

TEST(CliErrors, DurationMustBeFiniteSecondsForTraceAndWatch) {
  for (std::string d : {"-1", "inf", "nan", "1e300", "-0.5", "10s", ""}) {
    expect_usage({"trace", "--duration", d}, "--duration: " + d + " is not a number of seconds from 0 to");
    expect_usage({"watch", "/tmp/sockscope-none.sock", "--duration", d},
                 "--duration: " + d + " is not a number of seconds");
  }
}

TEST(CliErrors, TraceCommLongerThanTheKernelKeeps) {
  expect_usage({"trace", "--comm", "a-comm-of-16-byt"}, "--comm: 16 bytes, more than the 15 the kernel keeps");
  expect_usage({"trace", "--comm", std::string(30, 'x')}, "--comm: 30 bytes");
}

TEST(CliErrors, NegativeDescriptorNumber) {
  expect_usage({"trace", "--fd", "-5"}, "--fd: -5 is not a descriptor number (0 to 2147483647)");
  expect_usage({"fd", "1", "-5"}, "FD: -5 is not a descriptor number");
}

// A pid that does not exist is an answer, as for ls and fd, and it is given
// before the tracer opens (the test would need root otherwise).
TEST(CliErrors, TracePidThatDoesNotExist) {
  auto r = sockscope({"trace", "--pid", absent_pid(), "--duration", "0"});
  EXPECT_EQ(r.exit_code, kNotFound) << r.err;
  EXPECT_NE(r.err.find("sockscope: no process " + absent_pid()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint:"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("tracing with backend"), std::string::npos) << "the tracer opened:\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliErrors, JvmOperationsWithoutTheirArgument) {
  expect_usage({"jvm", "load", absent_pid()}, "jvm load: no agent library given");
  expect_usage({"jvm", "load", absent_pid(), ""}, "jvm load: no agent library given");
  expect_usage({"jvm", "jcmd", absent_pid()}, "jvm jcmd: no diagnostic command given");
  expect_usage({"jvm", "attach", absent_pid()}, "jvm attach: no attach command given");
}

TEST(CliErrors, CriuOptionWithABadValue) {
  expect_usage({"checkpoint", absent_pid(), "--criu-opts", "--ghost-limit banana"},
               "--criu-opts: --ghost-limit banana: not a size");
  expect_usage({"checkpoint", absent_pid(), "--criu-opts", "--tcp-close --ghost-limit=12Q"},
               "--ghost-limit 12Q: not a size");
  expect_usage({"checkpoint", absent_pid(), "--criu-opts", "--ghost-limit"}, "--ghost-limit: no size given");
  expect_usage({"checkpoint", absent_pid(), "--criu-opts", "--external"}, "--external: no id given");
}

TEST(CliErrors, BadPidIsShortAndSaysWhatAPidIs) {
  const std::vector<std::vector<std::string>> lines = {
      {"checkpoint", "0"},
      {"jvm", "properties", "0"},
      {"jvm", "attach", "-3", "properties"},
      {"ls", "-p", "0"},
      {"ls", "-p", "abc"},
      {"trace", "--pid", "4194305"},
      {"watch", "--ns-of", "0", "/x"},
      {"doctor", "0"},
      {"history", "--pid", "99999999999999999999"},
      {"record", "/tmp/sockscope-never-made", "-p", "0"},
  };
  for (const auto& args : lines) {
    auto r = expect_usage(args, "is not a process id (1 to 4194304)");
    EXPECT_EQ(r.err.find("1797693"), std::string::npos) << r.err;
  }
}

TEST(CliErrors, OtherNumbersOutOfRange) {
  expect_usage({"doctor", "--interval", "nan"}, "--interval: nan is not a number of seconds from 0 to 60");
  expect_usage({"doctor", "--interval", "61"}, "--interval: 61 is not a number of seconds");
  expect_usage({"jvm", "properties", "1", "--timeout", "0"}, "--timeout: 0 is not a number of milliseconds");
  expect_usage({"trace", "--stack-size", "100"}, "--stack-size: 100 is not a number of bytes");
  expect_usage({"history", "--limit", "-1"}, "--limit: -1 is not a number of sockets");
  // After 2262-04-11 nanoseconds since 1970 overflow: refused, not wrapped.
  for (const char* t : {"2999-01-01 00:00", "1969-12-31 00:00", "yesterday", "10 m"})
    expect_usage({"history", "--since", t},
                 std::string("--since: ") + t + " is not a duration ago nor a local time from 1970 to 2262");
}

TEST(CliErrors, EnumeratedValues) {
  expect_usage({"trace", "--backend", "kprobes"},
               "--backend: unknown value kprobes: use auto, tracepoint, raw_syscalls, kprobe (did you mean kprobe?)");
  expect_usage({"trace", "--family", "unixx"}, "--family: unknown value unixx: use unix, inet, inet6");
  expect_usage({"jvm", "properties", "1", "--protocol", "3"}, "--protocol: unknown value 3: use auto, 1, 2, detect");
  expect_usage({"ls", "--color=alwys"}, "--color: unknown value alwys: use auto, always, never (did you mean always?)");
  expect_usage({"checkpoint", "1", "--color", "sometimes"},
               "--color: unknown value sometimes: use auto, always, never");
}

TEST(CliErrors, UnknownCommandSaysDidYouMean) {
  expect_usage({"lss"}, "unknown command lss; did you mean ls?");
  expect_usage({"chekpoint", "1"}, "unknown command chekpoint; did you mean checkpoint?");
  auto r = expect_usage({"xyzzy"}, "unknown command xyzzy");
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  expect_usage({"jvm", "atach", "1", "properties"}, "unknown jvm operation atach; did you mean attach?");
  // A control byte in the word is printed escaped, not raw.
  r = expect_usage({"l\x1b]0;x\x07"}, "unknown command l\\x1b");
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
}

TEST(CliErrors, ReplayOfADirectoryThatIsNoFixture) {
  char tmpl[] = "/tmp/sockscope-no-fixture-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  expect_usage({"ls", "--replay", dir}, "is not a recorded fixture (no proc/)");
  ::rmdir(dir.c_str());
}

TEST(CliErrors, OtherParseErrorsUseTheSameForm) {
  expect_usage({"ls", "--no-such-option"}, "no-such-option");
  expect_usage({"checkpoint"}, "PID is required");
  expect_usage({"jvm", "properties", "1", "--timeout"}, "--timeout");
  expect_usage({}, "subcommand");
}

}  // namespace
}  // namespace sockscope::testing
