// SPDX-License-Identifier: GPL-2.0-only
// sockscope jvm ls | attach | threaddump | jcmd | load | properties | perfmap:
// JVMs in every namespace, and the HotSpot attach protocol (docs/jvm.md).
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <string_view>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/attach_action.h"
#include "jvm/attach.h"
#include "jvm/discover.h"
#include "render/escape.h"
#include "render/jvm.h"
#include "render/schema.h"

namespace sockscope::cli {

namespace {

void print_response_json(int pid, const std::vector<std::string>& request, int status, int protocol_version,
                         const std::string& output) {
  fmt::print("{}\n", render::dump_document(render::attach_json(pid, request, status, protocol_version, output), 2));
}

void print_perfmap_json(int pid, const std::string& path) {
  fmt::print("{}\n", render::dump_document(nlohmann::json{{"pid", pid}, {"perfmap", path}}, 2));
}

CLI::App* attach_cmd(CLI::App* jvm, const std::string& name, const std::string& help,
                     const std::shared_ptr<AttachArgs>& a, bool takes_rest) {
  auto* cmd = jvm->add_subcommand(name, help);
  cmd->add_option("PID", a->pid, "JVM process id, as seen from here")->required()->check(pid_number());
  if (takes_rest) cmd->add_option("ARGS", a->rest, "command and arguments");
  cmd->add_option("--timeout", a->timeout_ms, "ms to wait for the attach listener to start (default 6000)")
      ->check(whole_number(1, 600000, "a number of milliseconds"));
  cmd->add_option("--protocol", a->protocol, "request framing: auto, 1, 2 (JDK 24+) or detect")
      ->check(one_of({"auto", "1", "2", "detect"}));
  cmd->add_flag_callback(
      "--json",
      [a] {
        a->json = {print_response_json, print_perfmap_json};
      },
      "One JSON object: the request, the JVM's status and output (docs/json.md)");
  return cmd;
}

int run_ls(bool json) {
  auto listing = jvm::discover();
  if (json) {
    fmt::print("{}\n", render::dump_document(render::jvm_list_json(listing), 2));
    return kExitOk;
  }
  fmt::print("{}", render::jvm_list_text(listing));
  for (const auto& d : listing.diagnostics) fmt::print(stderr, "note: {}\n", render::printable(d.what));
  return kExitOk;
}

}  // namespace

void add_jvm(CLI::App& app, Action& action, std::string_view next) {
  auto* jvm = app.add_subcommand("jvm", "JVMs in every namespace, and the HotSpot attach protocol");
  jvm->require_subcommand(1);
  auto a = std::make_shared<AttachArgs>();
  // As in main(): when the next word names an operation, only it is built.
  bool known = next == "ls" || next == "perfmap";
  for (const auto& op : attach_operations()) known = known || op.name == next;
  auto wanted = [&](std::string_view name) { return !known || name == next; };

  if (wanted("ls")) {
    auto json = std::make_shared<bool>(false);
    auto* ls = jvm->add_subcommand("ls", "List JVMs: pid, pid in its namespace, user, JDK, attach listener, main");
    ls->add_flag("--json", *json, "JSON output");
    ls->callback([&action, json] { action = [json] { return run_ls(*json); }; });
  }
  for (const auto& op : attach_operations()) {
    if (!wanted(op.name)) continue;
    auto* cmd = attach_cmd(jvm, std::string(op.name), std::string(op.help), a, op.takes_rest);
    cmd->callback([&action, a, &op] { action = operation_action(op, *a); });
  }
  if (wanted("perfmap")) {
    auto* pm = attach_cmd(jvm, "perfmap", "Write /tmp/perf-<nspid>.map (JDK 17+) and print its path", a, false);
    pm->callback([&action, a] { action = [a] { return run_perfmap(*a); }; });
  }
}

}  // namespace sockscope::cli
