// SPDX-License-Identifier: GPL-2.0-only
// The version of every JSON output (docs/json.md, "Schema version"): each
// top-level document and each line of a JSON stream carries
// `"schema": kJsonSchema`. A removed or renamed key, or a key whose meaning
// changes, bumps it; an added key does not. No I/O: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "render/escape.h"

namespace sockscope::render {

constexpr int kJsonSchema = 1;
constexpr const char* kJsonSchemaKey = "schema";

// `j` (an object) with the schema key set: what a command prints as one
// document or one stream line.
inline nlohmann::json document(nlohmann::json j) {
  j[kJsonSchemaKey] = kJsonSchema;
  return j;
}

// dump() of document(j).
inline std::string dump_document(nlohmann::json j, int indent = -1) { return dump(document(std::move(j)), indent); }

}  // namespace sockscope::render
