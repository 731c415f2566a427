// SPDX-License-Identifier: GPL-2.0-only
// sockscope ls: every socket of every network namespace, joined with holders and peers.
#include <fmt/format.h>
#include <unistd.h>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/common.h"
#include "inventory/filter.h"
#include "render/inventory.h"

namespace sockscope::cli {

void add_ls(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("ls", "List sockets across all network namespaces, with holders and peers");
  auto f = std::make_shared<inventory::Filter>();
  auto common = add_common(cmd);
  cmd->add_option("-p,--pid", f->pids, "Only sockets held by this process (repeatable)")->check(pid_number());
  cmd->add_flag("--unix", f->unix_only, "Only unix sockets");
  cmd->add_flag("--inet", f->inet_only, "Only TCP/UDP sockets");
  cmd->add_flag("--listening", f->listening, "Only listeners");
  cmd->add_option("--path", f->path_globs, "Only unix sockets whose path matches this glob (repeatable)");
  cmd->callback([&action, f, common] {
    action = [f, common]() -> int {
      if (common->replay.empty())
        if (int rc = check_pids(f->pids); rc != kExitOk) return rc;
      inventory::Options opts;
      opts.unix_sockets = f->unix_only || !f->inet_only;
      opts.inet_sockets = (f->inet_only || !f->unix_only) && f->path_globs.empty();
      auto inv = build_inventory(*common, opts);
      auto rows = inventory::select(inv, *f);
      if (common->json)
        fmt::print("{}", render::ls_json(inv, rows));
      else
        fmt::print("{}", render::ls_text(inv, rows));
      return kExitOk;
    };
  });
}

}  // namespace sockscope::cli
