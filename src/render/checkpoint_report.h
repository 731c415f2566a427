// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON views of a checkpoint report (`sockscope checkpoint`); the
// JSON fields are documented in docs/checkpoint.md. No I/O: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "checkpoint/finding.h"

namespace sockscope::render {

std::string checkpoint_text(const checkpoint::Report& r);
nlohmann::json checkpoint_json(const checkpoint::Report& r);

// "ready", "ready_with_warnings", "blocked".
const char* readiness_name(checkpoint::Verdict v);

}  // namespace sockscope::render
