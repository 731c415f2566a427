// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON for `sockscope watch` touches. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "render/event.h"
#include "watch/watcher.h"

namespace sockscope::render {

// A few lines: the event with the inode change, then the process lineage.
std::string touch_text(const watch::Touch& t, const Clock& clock);
// Its parts: the event line; the lineage lines; and the one line that
// stands for a lineage already shown for the same process (`watch` prints a
// process's lineage once, and again only when it changed: issue 17).
std::string touch_head_text(const watch::Touch& t, const Clock& clock);
std::string lineage_text(const std::vector<lineage::ProcNode>& chain);
std::string lineage_seen_text(const watch::Touch& t);
nlohmann::json touch_json(const watch::Touch& t, const Clock& clock);
// The same as one JSON line, with the lineage array given already rendered;
// an empty text leaves the "lineage" key out (Touch::lineage_new is false:
// an earlier line gave it).
std::string touch_json_line(const watch::Touch& t, const Clock& clock, const std::string& lineage_json_text);
nlohmann::json lineage_json(const std::vector<lineage::ProcNode>& chain);
// A process's command line for one text line: cut at 160 characters (an
// environment blob passed as argv is common); JSON keeps it whole.
std::string command_text(const lineage::ProcNode& p);

}  // namespace sockscope::render
