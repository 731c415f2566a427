// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON for `sockscope doctor` findings. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <map>

#include "doctor/doctor.h"
#include "lineage/process_table.h"

namespace sockscope::render {

// Ancestry of the processes findings name (holders and related), by pid.
using Lineages = std::map<int, std::vector<lineage::ProcNode>>;

std::string doctor_text(const std::vector<doctor::Finding>& findings,
                        const std::vector<Diagnostic>& diags, const Lineages& lineages = {});
nlohmann::json doctor_json(const std::vector<doctor::Finding>& findings,
                           const std::vector<Diagnostic>& diags, const Lineages& lineages = {});

}  // namespace sockscope::render
