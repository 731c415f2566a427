// SPDX-License-Identifier: GPL-2.0-only
// sockscope ls: every socket of every network namespace, joined with holders and peers.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/common.h"
#include "cli/pictures.h"
#include "cli/validate.h"
#include "inventory/filter.h"
#include "render/escape.h"
#include "render/inventory.h"

namespace sockscope::cli {
namespace {

// `--json` is `--format json`, kept from before --format existed.
std::optional<std::string> chosen_format(const CommonOptions& c, const std::string& format) {
  if (!c.json) return format.empty() ? "text" : format;
  if (format.empty() || format == "json") return "json";
  fail(kExitUsage, "--json cannot go with --format " + format + " (--json is --format json)", "give one of them");
  return std::nullopt;
}

int print_rows(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows, const std::string& format,
               const std::string& color) {
  if (format == "json") fmt::print("{}", render::ls_json(inv, rows));
  if (format == "text") fmt::print("{}", render::ls_text(inv, rows, text_style(color)));
  if (format == "json" || format == "text") return kExitOk;
  std::string picture = render::ls_dot(inv, rows);
  if (format == "svg") {
    auto svg = graphviz_svg(picture);
    if (!svg)
      return fail(svg.error().sys_errno == ENOENT ? kExitUnsupported : kExitFailure, svg.error().what,
                  svg.error().hint);
    picture = std::move(*svg);
  }
  fmt::print("{}", picture);
  // A picture has no room for them; on stderr they keep stdout one document.
  fmt::print(stderr, "{}", render::diagnostics_text(inv.diagnostics));
  return kExitOk;
}

}  // namespace

void add_ls(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("ls", "List sockets across all network namespaces, with holders and peers");
  auto f = std::make_shared<inventory::Filter>();
  auto common = add_common(cmd);
  cmd->add_option("-p,--pid", f->pids, "Only sockets held by this process (repeatable)")->check(pid_number());
  cmd->add_flag("--unix", f->unix_only, "Only unix sockets");
  cmd->add_flag("--inet", f->inet_only, "Only TCP/UDP sockets");
  cmd->add_flag("--listening", f->listening, "Only listeners");
  cmd->add_option("--path", f->path_globs, "Only unix sockets whose path matches this glob (repeatable)");
  auto format = std::make_shared<std::string>();
  cmd->add_option("--format", *format,
                  "text (default), json (as --json), dot (Graphviz), svg (drawn by Graphviz's dot, which must be "
                  "installed)")
      ->check(one_of({"text", "json", "dot", "svg"}));
  cmd->callback([&action, f, common, format] {
    action = [f, common, format]() -> int {
      auto chosen = chosen_format(*common, *format);
      if (!chosen) return kExitUsage;
      if (common->replay.empty())
        if (int rc = check_pids(f->pids); rc != kExitOk) return rc;
      inventory::Options opts;
      opts.unix_sockets = f->unix_only || !f->inet_only;
      opts.inet_sockets = (f->inet_only || !f->unix_only) && f->path_globs.empty();
      auto inv = build_inventory(*common, opts);
      auto rows = inventory::select(inv, *f);
      return print_rows(inv, rows, *chosen, common->color);
    };
  });
}

}  // namespace sockscope::cli
