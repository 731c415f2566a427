// SPDX-License-Identifier: GPL-2.0-only
// `sockscope jvm ls`: the JVMs found in every namespace (jvm/discover.h), as
// a table and as JSON (docs/json.md). No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "jvm/discover.h"

namespace sockscope::render {

std::string jvm_list_text(const jvm::Listing& l);
nlohmann::json jvm_list_json(const jvm::Listing& l);
// `jvm attach|threaddump|properties|jcmd|load PID ... --json`: the request,
// the JVM's status and its output (bytes, as render::dump keeps them).
nlohmann::json attach_json(int pid, const std::vector<std::string>& request, int status, int protocol_version,
                           const std::string& output);

}  // namespace sockscope::render
