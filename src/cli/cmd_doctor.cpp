// SPDX-License-Identifier: GPL-2.0-only
// sockscope doctor [PID...]: static checks; exit 0 when clean, 1 with findings.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/common.h"
#include "collect/doctor_history.h"
#include "doctor/doctor.h"
#include "render/doctor.h"
#include "render/escape.h"
#include "render/schema.h"

namespace sockscope::cli {

void add_doctor(CLI::App& app, Action& action) {
  auto* cmd =
      app.add_subcommand("doctor", "Find orphaned listeners, deleted JVM attach sockets, slow accepts, closed peers");
  auto opts = std::make_shared<doctor::Options>();
  auto interval = std::make_shared<double>(1.0);
  auto db = std::make_shared<std::string>();
  auto common = add_common(cmd);
  cmd->add_option("PID", opts->pids, "Only these processes (default: the whole machine)")->check(pid_number());
  cmd->add_option("--interval", *interval,
                  "Seconds between the two looks that tell a slow accept (0: one look, no slow-accept check)")
      ->check(seconds(60));
  cmd->add_option("--db", *db,
                  "Recorder history database, for who changed a listener's path (default: the running recorder's)");
  cmd->callback([&action, opts, interval, common, db] {
    action = [opts, interval, common, db]() -> int {
      if (common->replay.empty())
        if (int rc = check_pids(opts->pids); rc != kExitOk) return rc;
      inventory::Options inv_opts;
      inv_opts.inet_sockets = false;
      std::optional<inventory::Inventory> earlier;
      if (*interval > 0 && common->replay.empty()) {
        earlier = build_inventory(*common, inv_opts);
        std::this_thread::sleep_for(std::chrono::duration<double>(*interval));
      }
      auto now = build_inventory(*common, inv_opts);
      auto findings = doctor::examine(now, earlier ? &*earlier : nullptr, *opts);
      render::Lineages lineages;
      if (common->replay.empty()) {
        // The history is of this machine and boot: not for a replayed inventory.
        collect::add_path_history(findings, *db);
        lineage::ProcessTable procs;
        for (const auto& f : findings)
          for (const auto* who : {&f.holders, &f.related})
            if (!who->empty()) lineages[who->front().pid] = procs.ancestry(who->front().pid);
      }
      if (common->json)
        fmt::print("{}\n", render::dump_document(render::doctor_json(findings, now.diagnostics, lineages), 2));
      else fmt::print("{}", render::doctor_text(findings, now.diagnostics, lineages, text_style(common->color)));
      return findings.empty() ? kExitOk : kExitFindings;
    };
  });
}

}  // namespace sockscope::cli
