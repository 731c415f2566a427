// SPDX-License-Identifier: GPL-2.0-only
// Views of the `sockscope run` report (model/run_report.h): the text report,
// its JSON (docs/json.md) and folded stacks for flame graphs. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "model/run_report.h"
#include "render/flame.h"

namespace sockscope::render {

std::string report_text(const RunReport& r, const Clock& clock);
nlohmann::json report_json(const RunReport& r, const Clock& clock);
// One flame path (flame.h) per event that carries a stack, per socket in
// creation order, creation first.
std::vector<FlamePath> report_flame_paths(const RunReport& r);
// One folded line (folded_line) per event that carries a stack, in the same
// order; each line ends in "\n".
std::string report_folded(const RunReport& r);

}  // namespace sockscope::render
