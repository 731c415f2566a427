// SPDX-License-Identifier: GPL-2.0-only
// CLI11 validators for every numeric and enumerated argument, with short
// messages (CLI11's own Range prints DBL_MAX in 300 digits and lets NaN
// through). A failing check becomes `sockscope: NAME: MESSAGE` and exit 64
// (main.cpp, docs/cli.md "Argument errors"). Functions, not objects: no
// static initializers (see attach_action.h).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::cli {

// The largest pid Linux hands out (PID_MAX_LIMIT on 64-bit).
inline constexpr int64_t kPidMax = 4194304;
// --duration's bound: a year. Without --duration the command runs until Ctrl-C.
inline constexpr double kDurationMax = 365.0 * 24 * 3600;

// A process id, 1..kPidMax.
CLI::Validator pid_number();
// A whole number in [lo, hi]; `what` names it in the message ("a descriptor number").
CLI::Validator whole_number(int64_t lo, int64_t hi, const std::string& what);
// A finite number of seconds in [0, max] (rejects inf, nan, -1, 1e300).
CLI::Validator seconds(double max);
// One of these words.
CLI::Validator one_of(std::initializer_list<const char*> words);
// At most `n` bytes (the kernel's comm is 15 bytes and a NUL).
CLI::Validator at_most_bytes(size_t n);

// The candidate closest to `word` by edit distance, if close enough to be a
// typo ("lss" -> "ls"); empty otherwise.
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace sockscope::cli
