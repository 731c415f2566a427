// SPDX-License-Identifier: GPL-2.0-only
#include "cli/attach_action.h"

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "base/exit_codes.h"
#include "jvm/attach.h"
#include "jvm/protocol.h"

namespace sockscope::cli {

namespace {

std::string join(const std::vector<std::string>& v, size_t from) {
  std::string out;
  for (size_t i = from; i < v.size(); ++i) out += (i > from ? " " : "") + v[i];
  return out;
}

// `jvm load PID LIB [absolute] [OPTIONS]`: absolute is "true"/"false" as in
// HotSpot's load operation; a path with a slash is absolute by default.
std::vector<std::string> load_args(const std::vector<std::string>& rest) {
  std::vector<std::string> args{"load"};
  if (rest.empty()) return args;
  args.push_back(rest[0]);
  size_t i = 1;
  if (i < rest.size() && (rest[i] == "true" || rest[i] == "false")) {
    args.push_back(rest[i++]);
  } else {
    args.push_back(rest[0].find('/') != std::string::npos ? "true" : "false");
  }
  if (i < rest.size()) args.push_back(join(rest, i));
  return args;
}

constexpr AttachOperation kOperations[] = {
    {"attach", "Send one attach operation: CMD [ARGS...] (e.g. properties)", true,
     [](const AttachArgs& x) { return x.rest; }, "no attach command given",
     "sockscope jvm attach PID CMD [ARGS...], e.g. properties"},
    {"threaddump", "Thread dump (jstack)", false,
     [](const AttachArgs&) { return std::vector<std::string>{"threaddump"}; }},
    {"properties", "System properties", false,
     [](const AttachArgs&) { return std::vector<std::string>{"properties"}; }},
    {"jcmd", "A diagnostic command, as jcmd: jcmd PID VM.version", true,
     [](const AttachArgs& x) {
       return std::vector<std::string>{"jcmd", join(x.rest, 0)};
     },
     "no diagnostic command given", "sockscope jvm jcmd PID COMMAND, e.g. VM.version (help lists them)"},
    {"load", "Load an agent: LIB [true|false] [OPTIONS] (instrument false /x.jar)", true,
     [](const AttachArgs& x) { return load_args(x.rest); }, "no agent library given",
     "sockscope jvm load PID LIB [true|false] [OPTIONS], e.g. instrument false /opt/agent.jar"},
};

// The library's errno classes (jvm/attach.h) as documented exit codes.
int exit_code_for(const Error& e) {
  switch (e.sys_errno) {
    case ESRCH: return kExitNotFound;
    case ENOEXEC:
    case ENOTSUP: return kExitUnsupported;
    case EPERM:
    case EACCES: return kExitNoPrivilege;
    case EINVAL: return kExitUsage;
    case EINTR: return 130;  // as a shell reports SIGINT
    default: return kExitFailure;
  }
}

int report(const Error& e) { return fail(exit_code_for(e), e.what, e.hint); }

jvm::Protocol protocol_of(const std::string& s) {
  if (s == "1") return jvm::Protocol::kV1;
  if (s == "2") return jvm::Protocol::kV2;
  if (s == "detect") return jvm::Protocol::kDetect;
  return jvm::Protocol::kAuto;
}

// The JVM ran the operation; its status decides the exit code.
int print_response(const AttachArgs& a, const std::vector<std::string>& args,
                   const jvm::AttachResponse& r) {
  if (a.json.response) a.json.response(a.pid, args, r.status, r.protocol_version, r.output);
  else std::fwrite(r.output.data(), 1, r.output.size(), stdout);
  std::fflush(stdout);
  std::string pid = std::to_string(a.pid);
  if (r.status == jvm::kStatusBadVersion)
    return fail(kExitUnsupported, "JVM " + pid + " refused attach protocol v" +
                                      std::to_string(r.protocol_version) + " (status 101)",
                "v2 needs JDK 24+; retry with --protocol 1 (or auto)");
  if (r.status != 0)
    return fail(kExitFindings, fmt::format("JVM {} answered status {} to {}", pid, r.status, args[0]),
                "the JVM's own message is printed above");
  // JDK 9+ answers "load" with status 0 whatever the agent did; the agent's
  // return code follows in the output (async-profiler issue 885).
  if (args[0] == "load")
    if (auto rc = jvm::parse_load_result(r.output); rc && *rc != 0)
      return fail(kExitFindings, fmt::format("the agent {} failed to load in JVM {}: return code {}",
                                             args.size() > 1 ? args[1] : "", pid, *rc),
                  "check the JVM's stderr for the agent's exception (e.g. no Agent-Class in the "
                  "manifest)");
  return kExitOk;
}

}  // namespace

int fail(int code, const std::string& what, const std::string& hint) {
  fmt::print(stderr, "sockscope: {}\n", what);
  if (!hint.empty()) fmt::print(stderr, "  hint: {}\n", hint);
  return code;
}

int run_action(const Action& action) {
  try {
    return action();
  } catch (const std::exception& e) {
    return fail(kExitFailure, std::string("internal error: ") + e.what(),
                "please report this with the command line");
  }
}

int run_attach(const AttachArgs& a, const std::vector<std::string>& args) {
  jvm::AttachOptions opts;
  opts.timeout_ms = a.timeout_ms;
  opts.protocol = protocol_of(a.protocol);
  opts.forward_signals = true;
  auto r = jvm::attach(a.pid, args, opts);
  if (!r) return report(r.error());
  return print_response(a, args, *r);
}

int run_perfmap(const AttachArgs& a) {
  jvm::AttachOptions opts;
  opts.timeout_ms = a.timeout_ms;
  opts.protocol = protocol_of(a.protocol);
  opts.forward_signals = true;
  auto path = jvm::perfmap(a.pid, opts);
  if (!path) return report(path.error());
  if (a.json.perfmap) a.json.perfmap(a.pid, *path);
  else fmt::print("{}\n", *path);
  return kExitOk;
}

std::span<const AttachOperation> attach_operations() { return kOperations; }

Action operation_action(const AttachOperation& op, const AttachArgs& a) {
  return [a, &op] {
    // An empty library or command would reach the JVM as an empty string.
    bool empty = op.takes_rest && (a.rest.empty() || a.rest[0].empty());
    if (empty) return fail(kExitUsage, fmt::format("jvm {}: {}", op.name, op.missing), std::string(op.usage));
    return run_attach(a, op.request(a));
  };
}

// `jvm attach PID CMD [ARGS...]`, `jvm properties PID` and the other
// operations with no options are the calls scripts repeat. Those exact
// shapes get their action here; anything else (an option, a dash, a bad
// pid, a missing or extra word) gets none and goes through CLI11, which
// then checks and explains it.
Action plain_attach(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[1]) != "jvm") return {};
  const AttachOperation* op = nullptr;
  for (const auto& o : kOperations)
    if (o.name == argv[2]) op = &o;
  if (!op || (op->takes_rest ? argc < 5 : argc != 4)) return {};
  AttachArgs a;
  std::string_view pid = argv[3];
  auto [end, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), a.pid);
  if (ec != std::errc{} || end != pid.data() + pid.size() || a.pid <= 0) return {};
  for (int i = 4; i < argc; ++i) {
    if (argv[i][0] == '-' || argv[i][0] == '\0') return {};
    a.rest.emplace_back(argv[i]);
  }
  return operation_action(*op, a);
}

#ifdef SOCKSCOPE_PREINIT_ATTACH
namespace {

// The plain attach shapes run before C++ static initialization: glibc calls
// the executable's .preinit_array with argc and argv before any .init_array
// entry. The 22 static initializers (libstdc++'s iostream and locale set-up,
// CLI11's validators in 13 files, liblzma's CRC dispatch) cost about 0.3 ms,
// a third of a call, which made sockscope slower than jattach, a small C
// program (bench/jvm_attach_vs_jattach.sh, docs/benchmarks.md). What runs
// here (this library, jvm, procfs, model, base) has no namespace-scope
// object with a dynamic initializer (tests/build/no_static_init.sh), and
// exits here. Only with static dependencies (src/cli/CMakeLists.txt): not
// with a shared libstdc++, nor under the sanitizers, whose runtimes start
// from .preinit_array too.
void attach_before_static_init(int argc, char** argv, char**) {
  Action action = plain_attach(argc, argv);
  if (!action) return;
  std::exit(run_action(action));
}
[[gnu::section(".preinit_array"), gnu::used]] constexpr auto kPreinit = &attach_before_static_init;

}  // namespace
#endif

}  // namespace sockscope::cli
