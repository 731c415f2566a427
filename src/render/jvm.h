// SPDX-License-Identifier: GPL-2.0-only
// `sockscope jvm ls`: the JVMs found in every namespace (jvm/discover.h), as
// a table and as JSON (docs/json.md). No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "jvm/discover.h"

namespace sockscope::render {

std::string jvm_list_text(const jvm::Listing& l);
nlohmann::json jvm_list_json(const jvm::Listing& l);

}  // namespace sockscope::render
