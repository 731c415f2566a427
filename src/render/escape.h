// SPDX-License-Identifier: GPL-2.0-only
// The one escaping layer of every view. Names, paths, comm, argv and
// addresses are bytes someone else chose (prctl(PR_SET_NAME), bind()), and
// they reach a root user's terminal and every JSON consumer:
// - text: printable() on each such field as it goes into a line (\xNN for
//   control bytes, the backslash, bytes that are not UTF-8; base/escape.h);
// - JSON: every document leaves through dump(), which gives each string that
//   is not UTF-8 a `<key>_hex` sibling with its exact bytes (docs/json.md,
//   "Names as bytes") and never throws;
// - printed commands: shell_quote() (base/escape.h), applied by whoever
//   writes the command (doctor, checkpoint);
// - pictures: dot_label() for Graphviz, xml_text() for SVG, both printable()
//   first, so a name shows as it does in the text views.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/escape.h"

namespace sockscope::render {

// One field of a text line, terminal-safe and reversible (unescape_text()).
inline std::string printable(std::string_view bytes) { return escape_text(bytes); }

// Advice that holds a shell command (doctor's "do:", checkpoint remedies),
// whose names the rule already shell_quote()d: as printable() but with the
// backslash kept, since $'\xNN' quoting is made of them.
std::string printable_command(std::string_view text);

// A DOT double-quoted string (a Graphviz label) of `lines`, raw bytes each:
// printable(), then `\` and `"` escaped and `&` as `&amp;` (Graphviz reads
// HTML entities in every label: "&lt;" would draw a "<"), lines joined by
// DOT's `\n`.
std::string dot_label(const std::vector<std::string>& lines);

// Raw bytes as XML character data or attribute value: printable() (XML 1.0
// allows no control characters and needs UTF-8), then & < > " ' as entities.
std::string xml_text(std::string_view bytes);
// The second half of xml_text(), for text printable() already made (and then
// cut, as a flame graph label is).
std::string xml_escape(std::string_view printable_text);

// Makes every string in `j` valid UTF-8 without losing a byte: a string
// member `k` that is not UTF-8 becomes utf8_replaced() and gains a member
// `k_hex` (its bytes in hex); an array member `k` holding such strings gains
// `k_hex`, an array as long, null where the element was valid.
void make_json_safe(nlohmann::json& j);

// make_json_safe() then dump(); what every JSON output goes through.
// `indent` as nlohmann's (-1: one line).
std::string dump(nlohmann::json j, int indent = -1);

}  // namespace sockscope::render
