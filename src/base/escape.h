// SPDX-License-Identifier: GPL-2.0-only
// Byte-exact escaping of names that someone else controls (comm, argv, socket
// paths, abstract names): for a terminal, for a shell, for JSON. Names are
// bytes, never assumed UTF-8. Pure; render/escape.h builds the views on it,
// and the rule libraries (doctor, checkpoint) quote the commands they print.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sockscope {

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates).
bool valid_utf8(std::string_view s);

// `s` with every byte that is not part of a well-formed UTF-8 sequence as
// U+FFFD: what a JSON string can carry (the exact bytes go in a *_hex field).
std::string utf8_replaced(std::string_view s);

// Lower-case hex of every byte ("2f74ff").
std::string to_hex(std::string_view s);
// The bytes back; empty on odd length or a non-hex digit.
std::string from_hex(std::string_view hex);

// One terminal-safe line: printable ASCII and well-formed UTF-8 of printable
// characters stay; every other byte is \xNN (two lower-case hex digits): C0
// controls, DEL, the backslash itself, bytes that are not UTF-8, and the
// UTF-8 of C1 controls (U+0080-U+009F), line/paragraph separators and bidi
// controls (U+200E/F, U+2028-U+202E, U+2066-U+2069), byte by byte.
// Reversible by unescape_text().
std::string escape_text(std::string_view s);
std::string unescape_text(std::string_view s);

// One shell word that re-parses to exactly `s`: as it is when made only of
// [A-Za-z0-9_@%+=:,./-]; else in single quotes (' as '\''); else, when it
// holds a byte escape_text() escapes (other than the backslash), as $'...'
// with \xNN (bash, zsh, ksh, busybox sh, POSIX.1-2024), so that no raw control
// byte reaches the terminal.
std::string shell_quote(std::string_view s);

}  // namespace sockscope
