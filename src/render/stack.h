// SPDX-License-Identifier: GPL-2.0-only
// Views of a symbolized stack (model/stack.h): one frame as text, the frames
// as JSON (docs/json.md), indented text lines, and folded lines for flame
// graphs. Pure; no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/event.h"
#include "model/stack.h"

namespace sockscope::render {

// "__socket+0xb (libc.so.6)", "[jit] void Foo.bar()", "[interp] Foo.bar()V",
// "0x7f00deadbeef (libfoo.so+0x1234)".
std::string frame_text(const Frame& f);
nlohmann::json stack_json(const Stack& s);
// Indented lines, one per frame ("    #0 __socket+0xb (libc.so.6)\n"...).
std::string stack_text(const Stack& s, const std::string& indent);
// How much of a stack the text views show. kCut: the frames a reader needs
// first (cut_stack below); kFull: every frame (--full-stack).
enum class StackDetail { kCut, kFull };

// The frames that answer "which code made this socket": from the leaf
// through the system libraries (libc, the NSS modules, the loader) that
// made the call, the first `context` frames of the code that called them,
// and the outermost `outer` frames, which show where the thread began (and
// that the stack reaches it). Returns the index ranges kept, leaf first;
// one range when nothing is worth eliding.
struct KeptFrames {
  size_t inner_end = 0;    // frames [0, inner_end) kept
  size_t outer_begin = 0;  // frames [outer_begin, size) kept; == inner_end: nothing elided
};
KeptFrames cut_stack(const Stack& s, size_t context = 3, size_t outer = 2);
// stack_text, or with kCut one line in place of the elided frames
// ("... 14 frames in libjvm.so, libjli.so (--full-stack shows them)").
std::string stack_text(const Stack& s, const std::string& indent, StackDetail detail);

// One folded line for flame graphs: "comm;outermost;...;leaf 1".
std::string folded_line(const Event& e, const Stack& s);

}  // namespace sockscope::render
