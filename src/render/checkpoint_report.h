// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON views of a checkpoint report (`sockscope checkpoint`); the
// JSON fields are documented in docs/checkpoint.md. No I/O: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "checkpoint/finding.h"
#include "render/stack.h"
#include "render/style.h"

namespace sockscope::render {

// What the text view shows of a large report: findings of one rule about one
// process with the same verdicts are a group (2,000 TCP connections are one
// rule 2,000 times); the first `examples` of a group are shown in full and
// the rest on one line. examples == 0 shows every finding in full (--all).
struct CheckpointView {
  StackDetail stacks = StackDetail::kCut;
  size_t examples = 3;
  Style style;  // --color: blockers red, warnings yellow, the verdict bold
};
std::string checkpoint_text(const checkpoint::Report& r, const CheckpointView& view);
nlohmann::json checkpoint_json(const checkpoint::Report& r);

// "ready", "ready_with_warnings", "blocked".
const char* readiness_name(checkpoint::Verdict v);

}  // namespace sockscope::render
