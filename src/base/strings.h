// SPDX-License-Identifier: GPL-2.0-only
// Small parsing helpers shared by the /proc and CLI code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope {

// Parses a whole decimal string; nullopt on anything else (sign, spaces, overflow).
std::optional<uint64_t> parse_u64(std::string_view s);

// Reads a whole small file (a /proc entry); nullopt if it cannot be opened.
std::optional<std::string> read_small_file(const std::string& path);

// NUL-separated /proc text (cmdline, environ) into words; a trailing NUL
// ends the last word rather than starting an empty one.
std::vector<std::string> split_nul(const std::string& text);

// readlink(2) into a string; nullopt on failure (errno is kept).
std::optional<std::string> read_link(const std::string& path);

// The C string in a fixed-size field that need not be NUL-terminated (kernel
// records: a comm, a path, a perf record's file name).
std::string c_string(const char* p, size_t cap);

// Inode number inside "socket:[123]" / "pipe:[123]" / "net:[123]"; nullopt otherwise.
std::optional<uint64_t> bracketed_inode(std::string_view link, std::string_view kind);

// The kernel's escaping of paths in mountinfo (fs/proc_namespace.c,
// mangle()): space, tab, newline and backslash as \ooo, and back. Used
// for one-line-per-entry text files too (a fixture's netns.txt).
std::string octal_escape(std::string_view s);
std::string octal_unescape(std::string_view s);

// "512K", "64M", "1G" or bytes; nullopt on anything else.
std::optional<uint64_t> parse_size(std::string_view s);
// "90s", "30m", "12h", "7d" (or seconds) in nanoseconds; nullopt otherwise.
std::optional<int64_t> parse_duration_ns(std::string_view s);

}  // namespace sockscope
