// SPDX-License-Identifier: GPL-2.0-only
// Flame graphs of socket stacks (docs/stacks.md, "Flame graphs"): the path
// of frames one stacked event stands for, its folded line (inferno,
// speedscope, flamegraph.pl), and a self-contained interactive SVG of many.
// Pure; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/event.h"
#include "model/stack.h"

namespace sockscope::render {

// What a frame is, for its colour: the process (the comm at the root), code
// in a file, Java compiled or interpreted code, the syscall the stack was
// taken at (the kernel side, drawn as the leaf "[socket]"), and markers.
enum class FlameKind { kProcess, kNative, kJit, kInterpreted, kUnknown, kKernel, kTruncated };

struct FlameFrame {
  std::string name;  // raw bytes: escaped by each view
  FlameKind kind = FlameKind::kUnknown;
  bool operator==(const FlameFrame&) const = default;
};

// One stack, root first: comm, [truncated] when the stack does not reach the
// thread's first frame, the frames outermost first, then "[call]".
struct FlamePath {
  std::vector<FlameFrame> frames;
  uint64_t count = 1;
};

FlamePath flame_path(const Event& e, const Stack& s);

// "comm;outermost;...;leaf;[socket] 1": names printable(), ';' in a name
// as ':' (the separator); no newline.
std::string folded_text(const FlamePath& p);

// folded_text() of each path, one per line, each ending in "\n".
std::string folded_lines(const std::vector<FlamePath>& paths);

struct FlameOptions {
  std::string title = "Socket stacks";
  std::string unit = "stacks";  // what a count counts, in tooltips: "stacks", "sockets"
};

// An SVG 1.1 document drawing `paths` merged into one flame graph (root at
// the bottom, widths proportional to counts, children in name order) with
// an embedded script: click a frame to zoom into it, "Reset Zoom", "Search"
// (a regular expression: matches turn magenta and the matched share of all
// counts is shown), a tooltip per frame (<title>: name, count, share).
// Without the script (an <img>, rsvg-convert) it is a plain picture.
// Opening it as FILE.svg#search=REGEX runs that search on load.
std::string flamegraph_svg(const std::vector<FlamePath>& paths, const FlameOptions& o = {});

}  // namespace sockscope::render
