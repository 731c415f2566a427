// SPDX-License-Identifier: GPL-2.0-only
#include "cli/validate.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace sockscope::cli {

namespace {

// The whole string as a signed decimal; false for "", "12x", " 1", overflow.
bool whole(const std::string& s, int64_t& v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc{} && end == s.data() + s.size();
}

// The whole string as a number (strtod: "1.5", "1e3", "inf", "nan").
bool number(const std::string& s, double& v) {
  if (s.empty() || s.front() == ' ') return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

CLI::Validator whole_number(int64_t lo, int64_t hi, const std::string& what) {
  return CLI::Validator(
      [lo, hi, what](std::string& s) -> std::string {
        int64_t v = 0;
        if (whole(s, v) && v >= lo && v <= hi) return {};
        return fmt::format("{} is not {} ({} to {})", s, what, lo, hi);
      },
      fmt::format("{}..{}", lo, hi));
}

CLI::Validator pid_number() { return whole_number(1, kPidMax, "a process id"); }

CLI::Validator seconds(double max) {
  return CLI::Validator(
      [max](std::string& s) -> std::string {
        double v = 0;
        if (number(s, v) && std::isfinite(v) && v >= 0 && v <= max) return {};
        return fmt::format("{} is not a number of seconds from 0 to {}", s, max);
      },
      "SECONDS");
}

CLI::Validator one_of(std::initializer_list<const char*> words) {
  std::vector<std::string> list(words.begin(), words.end());
  return CLI::Validator(
      [list](std::string& s) -> std::string {
        if (std::find(list.begin(), list.end(), s) != list.end()) return {};
        std::vector<std::string_view> views(list.begin(), list.end());
        std::string near = closest(s, views);
        return fmt::format("unknown value {}: use {}{}", s, fmt::join(list, ", "),
                           near.empty() ? "" : fmt::format(" (did you mean {}?)", near));
      },
      fmt::format("{{{}}}", fmt::join(list, ",")));
}

CLI::Validator at_most_bytes(size_t n) {
  return CLI::Validator(
      [n](std::string& s) -> std::string {
        if (s.size() <= n) return {};
        return fmt::format("{} bytes, more than the {} the kernel keeps", s.size(), n);
      },
      fmt::format("at most {} bytes", n));
}

std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  size_t best_d = SIZE_MAX;
  for (auto c : candidates) {
    size_t d = distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  // One edit in a short word, two in a longer one: a typo, not another word.
  size_t allowed = word.size() <= 4 ? 1 : 2;
  if (best_d <= allowed || (!word.empty() && best.rfind(word, 0) == 0)) return std::string(best);
  return {};
}

}  // namespace sockscope::cli
