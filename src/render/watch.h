// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON for `sockscope watch` touches. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tracer/format.h"
#include "watch/watcher.h"

namespace sockscope::render {

// A few lines: the event with the inode change, then the process lineage.
std::string touch_text(const watch::Touch& t, const tracer::Clock& clock);
nlohmann::json touch_json(const watch::Touch& t, const tracer::Clock& clock);
nlohmann::json lineage_json(const std::vector<lineage::ProcNode>& chain);

}  // namespace sockscope::render
