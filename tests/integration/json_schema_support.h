// SPDX-License-Identifier: GPL-2.0-only
// The schema version docs/json.md states ("Schema version: N"), which every
// JSON document and stream line must carry as `schema`: a bump in the code
// without one in the doc (or the reverse) fails the tests that use this.
#pragma once

#include <fstream>
#include <regex>
#include <string>

namespace sockscope::testing {

// -1 when docs/json.md states none.
inline int documented_schema() {
  std::ifstream in(SOCKSCOPE_TESTS_DIR "/../docs/json.md");
  const std::string prefix = "Schema version: ";
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return std::stoi(line.substr(prefix.size()));
  return -1;
}

// "2026-12-07T15:36:26.123456789Z": RFC 3339, UTC, nine digits.
inline bool is_rfc3339_ns(const std::string& s) {
  static const std::regex re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)");
  return std::regex_match(s, re);
}

}  // namespace sockscope::testing
