// SPDX-License-Identifier: GPL-2.0-only
// sockscope jvm ls | attach | threaddump | jcmd | load | properties | perfmap:
// JVMs in every namespace, and the HotSpot attach protocol (docs/jvm.md).
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/attach_action.h"
#include "jvm/attach.h"
#include "jvm/discover.h"
#include "render/table.h"

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
