// SPDX-License-Identifier: GPL-2.0-only
// Terminal colors of the text views (`--color`, docs/cli.md). The CLI
// decides whether to color (a terminal, no NO_COLOR, TERM not dumb); the
// views only wrap text they already made printable() in SGR sequences, so a
// name's own escape bytes stay `\x1b` and never reach the terminal raw.
#pragma once

#include <string>
#include <string_view>

namespace sockscope::render {

struct Style {
  bool color = false;

  std::string bold(std::string_view text) const { return sgr("1", text); }
  std::string red(std::string_view text) const { return sgr("1;31", text); }   // blockers
  std::string yellow(std::string_view text) const { return sgr("33", text); }  // warnings
  std::string green(std::string_view text) const { return sgr("32", text); }   // ready

 private:
  std::string sgr(std::string_view code, std::string_view text) const {
    if (!color || text.empty()) return std::string(text);
    std::string out = "\x1b[";
    out.append(code).append("m").append(text).append("\x1b[0m");
    return out;
  }
};

}  // namespace sockscope::render
