// SPDX-License-Identifier: GPL-2.0-only
// sockscope record DIR: save what `ls` reads, for replay in tests (--replay DIR).
#include <fmt/format.h>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "inventory/record.h"
#include "render/inventory.h"

namespace sockscope::cli {

void add_record(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("record", "Record /proc and sock_diag data as a replayable fixture");
  auto dir = std::make_shared<std::string>();
  auto pids = std::make_shared<std::vector<int>>();
  cmd->add_option("DIR", *dir, "Directory to write (must not exist)")->required()->check(CLI::NonexistentPath);
  cmd->add_option("-p,--pid", *pids, "Snapshot only these processes (repeatable)")->check(pid_number());
  cmd->callback([&action, dir, pids] {
    action = [dir, pids]() -> int {
      auto r = inventory::record(*dir, *pids);
      if (!r) return fail(kExitFailure, r.error().what, r.error().hint);
      fmt::print(stderr, "{}", render::diagnostics_text(*r));
      fmt::print("recorded {}{}\n", *dir, r->empty() ? "" : fmt::format(" ({} left out: see the warnings)", r->size()));
      return kExitOk;
    };
  });
}

}  // namespace sockscope::cli
