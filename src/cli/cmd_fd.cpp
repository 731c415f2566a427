// SPDX-License-Identifier: GPL-2.0-only
// sockscope fd PID FD: what this descriptor is and who is on the other end.
#include <fmt/format.h>
#include <unistd.h>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/common.h"
#include "inventory/explain.h"
#include "render/escape.h"
#include "render/inventory.h"

namespace sockscope::cli {

void add_fd(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("fd", "Explain one descriptor of a process: what it is, its peer, the peer's role");
  auto pid = std::make_shared<int>(0);
  auto fd = std::make_shared<int>(-1);
  auto common = add_common(cmd);
  cmd->add_option("PID", *pid, "Process id (as seen from here)")->required()->check(CLI::PositiveNumber);
  cmd->add_option("FD", *fd, "Descriptor number")->required()->check(CLI::NonNegativeNumber);
  cmd->callback([&action, pid, fd, common] {
    action = [pid, fd, common]() -> int {
      if (common->replay.empty())
        if (int rc = check_pids({*pid}); rc != kExitOk) return rc;
      auto inv = build_inventory(*common, {});
      auto e = inventory::explain_fd(inv, *pid, *fd);
      if (!e)
        return fail(kExitNotFound, fmt::format("process {} has no fd {}", *pid, *fd),
                    fmt::format("list its descriptors with `ls -l /proc/{}/fd`", *pid));
      if (common->json)
        fmt::print("{}\n", render::dump(render::fd_json(inv, *e), 2));
      else
        fmt::print("{}", render::fd_text(inv, *e));
      return kExitOk;
    };
  });
}

}  // namespace sockscope::cli
