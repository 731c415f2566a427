// SPDX-License-Identifier: GPL-2.0-only
// sockscope jvm ls | attach | threaddump | jcmd | load | properties | perfmap:
// JVMs in every namespace, and the HotSpot attach protocol (docs/jvm.md).
#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "jvm/attach.h"
#include "jvm/discover.h"
#include "render/table.h"

namespace sockscope::cli {

namespace {

struct AttachArgs {
  int pid = 0;
  std::vector<std::string> rest;
  int timeout_ms = 6000;
  std::string protocol = "auto";
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
  std::fwrite(r.output.data(), 1, r.output.size(), stdout);
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

int run_attach(const AttachArgs& a, const std::vector<std::string>& args) {
  jvm::AttachOptions opts;
  opts.timeout_ms = a.timeout_ms;
  opts.protocol = protocol_of(a.protocol);
  opts.forward_signals = true;
  auto r = jvm::attach(a.pid, args, opts);
  if (!r) return report(r.error());
  return print_response(a, args, *r);
}

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

int run_perfmap(const AttachArgs& a) {
  jvm::AttachOptions opts;
  opts.timeout_ms = a.timeout_ms;
  opts.protocol = protocol_of(a.protocol);
  opts.forward_signals = true;
  auto path = jvm::perfmap(a.pid, opts);
  if (!path) return report(path.error());
  fmt::print("{}\n", *path);
  return kExitOk;
}

CLI::App* attach_cmd(CLI::App* jvm, const std::string& name, const std::string& help,
                     const std::shared_ptr<AttachArgs>& a, bool takes_rest) {
  auto* cmd = jvm->add_subcommand(name, help);
  cmd->add_option("PID", a->pid, "JVM process id, as seen from here")->required()->check(CLI::PositiveNumber);
  if (takes_rest) cmd->add_option("ARGS", a->rest, "command and arguments");
  cmd->add_option("--timeout", a->timeout_ms, "ms to wait for the attach listener to start (default 6000)")
      ->check(CLI::Range(1, 600000));
  cmd->add_option("--protocol", a->protocol, "request framing: auto, 1, 2 (JDK 24+) or detect")
      ->check(CLI::IsMember({"auto", "1", "2", "detect"}));
  return cmd;
}

int run_ls(bool json) {
  auto listing = jvm::discover();
  if (json) {
    auto arr = nlohmann::json::array();
    for (const auto& j : listing.jvms)
      arr.push_back({{"pid", j.target.pid}, {"nspid", j.target.nspid}, {"user", j.user},
                     {"uid", j.target.euid}, {"main", j.main}, {"jdk", j.target.version},
                     {"java_home", j.target.java_home}, {"libjvm", j.target.libjvm},
                     {"attach", jvm::listener_state_name(j.listener)},
                     {"attach_disabled", j.target.attach_disabled}, {"hsperfdata", j.hsperfdata}});
    auto diags = nlohmann::json::array();
    for (const auto& d : listing.diagnostics) diags.push_back({{"pid", d.pid}, {"what", d.what}, {"hint", d.hint}});
    fmt::print("{}\n", nlohmann::json{{"jvms", arr}, {"diagnostics", diags}}.dump(2));
    return kExitOk;
  }
  render::Table t({"PID", "NSPID", "USER", "JDK", "ATTACH", "MAIN"});
  for (const auto& j : listing.jvms)
    t.add({std::to_string(j.target.pid), std::to_string(j.target.nspid), j.user,
           j.target.version.empty() ? "?" : j.target.version,
           j.target.attach_disabled ? "disabled" : jvm::listener_state_name(j.listener), j.main});
  fmt::print("{}", t.str());
  for (const auto& d : listing.diagnostics) fmt::print(stderr, "note: {}\n", d.what);
  return kExitOk;
}

}  // namespace

// `jvm attach PID CMD [ARGS...]`, `jvm properties PID` and `jvm threaddump
// PID` with no options are the calls scripts repeat, and main.cpp runs them
// before static initialization, where CLI11 cannot be used (its validators
// are not yet constructed). Those exact shapes get their action here; anything else (an option, a dash, a bad pid)
// gets none and goes through CLI11, which then checks and explains it.
Action plain_attach(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[1]) != "jvm") return {};
  std::string_view op = argv[2];
  bool takes_rest = op == "attach";
  if (!takes_rest && op != "properties" && op != "threaddump") return {};
  if (takes_rest ? argc < 5 : argc != 4) return {};
  AttachArgs a;
  std::string_view pid = argv[3];
  auto [end, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), a.pid);
  if (ec != std::errc{} || end != pid.data() + pid.size() || a.pid <= 0) return {};
  std::vector<std::string> args;
  for (int i = 4; i < argc; ++i) {
    if (argv[i][0] == '-' || argv[i][0] == '\0') return {};
    args.emplace_back(argv[i]);
  }
  if (!takes_rest) args.emplace_back(op);
  return [a, args = std::move(args)] { return run_attach(a, args); };
}

void add_jvm(CLI::App& app, Action& action, std::string_view next) {
  auto* jvm = app.add_subcommand("jvm", "JVMs in every namespace, and the HotSpot attach protocol");
  jvm->require_subcommand(1);
  auto a = std::make_shared<AttachArgs>();
  // An attach operation: its name, help, whether it takes ARGS, and the
  // request it sends.
  using Request = std::vector<std::string> (*)(const AttachArgs&);
  struct Operation {
    std::string_view name, help;
    bool takes_rest;
    Request request;
  };
  static constexpr Operation kOperations[] = {
      {"attach", "Send one attach operation: CMD [ARGS...] (e.g. properties)", true,
       [](const AttachArgs& x) { return x.rest; }},
      {"threaddump", "Thread dump (jstack)", false,
       [](const AttachArgs&) { return std::vector<std::string>{"threaddump"}; }},
      {"properties", "System properties", false,
       [](const AttachArgs&) { return std::vector<std::string>{"properties"}; }},
      {"jcmd", "A diagnostic command, as jcmd: jcmd PID VM.version", true,
       [](const AttachArgs& x) { return std::vector<std::string>{"jcmd", join(x.rest, 0)}; }},
      {"load", "Load an agent: LIB [true|false] [OPTIONS] (instrument false /x.jar)", true,
       [](const AttachArgs& x) { return load_args(x.rest); }},
  };
  // As in main(): when the next word names an operation, only it is built.
  bool known = next == "ls" || next == "perfmap";
  for (const auto& op : kOperations) known = known || op.name == next;
  auto wanted = [&](std::string_view name) { return !known || name == next; };

  if (wanted("ls")) {
    auto json = std::make_shared<bool>(false);
    auto* ls = jvm->add_subcommand("ls", "List JVMs: pid, pid in its namespace, user, JDK, attach listener, main");
    ls->add_flag("--json", *json, "JSON output");
    ls->callback([&action, json] { action = [json] { return run_ls(*json); }; });
  }
  for (const auto& op : kOperations) {
    if (!wanted(op.name)) continue;
    auto* cmd = attach_cmd(jvm, std::string(op.name), std::string(op.help), a, op.takes_rest);
    Request request = op.request;
    cmd->callback([&action, a, request] {
      action = [a, request] {
        auto v = request(*a);
        if (v.empty() || v[0].empty()) return fail(kExitUsage, "no attach command given", "e.g. properties");
        return run_attach(*a, v);
      };
    });
  }
  if (wanted("perfmap")) {
    auto* pm = attach_cmd(jvm, "perfmap", "Write /tmp/perf-<nspid>.map (JDK 17+) and print its path", a, false);
    pm->callback([&action, a] { action = [a] { return run_perfmap(*a); }; });
  }
}

}  // namespace sockscope::cli
