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
// One folded line for flame graphs: "comm;outermost;...;leaf 1".
std::string folded_line(const Event& e, const Stack& s);

}  // namespace sockscope::render
