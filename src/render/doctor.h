// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON for `sockscope doctor` findings. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "doctor/doctor.h"

namespace sockscope::render {

std::string doctor_text(const std::vector<doctor::Finding>& findings,
                        const std::vector<Diagnostic>& diags);
nlohmann::json doctor_json(const std::vector<doctor::Finding>& findings,
                           const std::vector<Diagnostic>& diags);

}  // namespace sockscope::render
