// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON for `sockscope doctor` findings. No I/O.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "doctor/doctor.h"
#include "lineage/process_table.h"
#include "render/style.h"

namespace sockscope::render {

// Ancestry of the processes findings name (holders and related), by pid.
using Lineages = std::map<int, std::vector<lineage::ProcNode>>;

// `style`: each finding's check yellow and its headline bold (--color).
std::string doctor_text(const std::vector<doctor::Finding>& findings, const std::vector<Diagnostic>& diags,
                        const Lineages& lineages = {}, const Style& style = {});
nlohmann::json doctor_json(const std::vector<doctor::Finding>& findings,
                           const std::vector<Diagnostic>& diags, const Lineages& lineages = {});

}  // namespace sockscope::render
