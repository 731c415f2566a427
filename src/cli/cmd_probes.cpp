// SPDX-License-Identifier: GPL-2.0-only
// sockscope probes: what the kernel offers the tracer, rung by rung, and why
// a rung is absent.
#include <fmt/format.h>
#include <unistd.h>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "render/escape.h"
#include "render/probes.h"
#include "render/schema.h"
#include "tracer/features.h"

namespace sockscope::cli {
namespace {

int run_probes(bool json) {
  auto f = tracer::probe_features();
  auto chosen = tracer::choose_backend(f, Backend::kAuto);
  render::ProbesView view{f, chosen, tracer::choose_backend(f, Backend::kAuto, Ladder::kBounded),
                          chosen ? std::string() : tracer::missing_summary(f, Backend::kAuto)};
  if (json) fmt::print("{}\n", render::dump_document(render::probes_json(view), 2));
  else fmt::print("{}", render::probes_text(view));
  if (chosen) return kExitOk;
  return ::geteuid() == 0 ? kExitUnsupported : kExitNoPrivilege;
}

}  // namespace

void add_probes(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("probes", "Show which tracing methods this kernel offers, and why not");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&action, json] { action = [json] { return run_probes(*json); }; });
}

}  // namespace sockscope::cli
