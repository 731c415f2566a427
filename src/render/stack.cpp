// SPDX-License-Identifier: GPL-2.0-only
#include "render/stack.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "render/escape.h"
#include "render/flame.h"

namespace sockscope::render {

namespace {

const char* kind_tag(FrameKind k) {
  switch (k) {
    case FrameKind::kNative: return "native";
    case FrameKind::kJit: return "jit";
    case FrameKind::kInterpreted: return "interp";
    case FrameKind::kUnknown: break;
  }
  return "unknown";
}

// Libraries that carry a call for the code above them rather than decide
// it: the C library (its several historical file names), the dynamic
// loader, and what glibc loads on its own behalf (NSS modules and the
// libraries they use, such as sssd's client libraries and libresolv).
bool is_system_library(const std::string& module) {
  static const char* const kPrefixes[] = {"libc.so", "libc-",   "libpthread", "ld-linux", "ld64.so",
                                          "libdl",   "libnss_", "libresolv",  "libsss_",  "libnsl"};
  for (const char* p : kPrefixes)
    if (module.rfind(p, 0) == 0) return true;
  return false;
}

// "    #3 getpwuid_r+0x121 (libc.so.6)" for frames [begin, end).
std::string frame_lines(const Stack& s, const std::string& indent, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; i++) out += fmt::format("{}#{:<2} {}\n", indent, i, frame_text(s.frames[i]));
  return out;
}

// Why the stack ends where it does, when it does not reach the thread's start.
std::string end_line(const Stack& s, const std::string& indent) {
  if (s.truncated)
    return indent + "[truncated: " + (s.end.empty() ? "unknown" : s.end) + "]" + (s.note.empty() ? "" : " " + s.note) +
           "\n";
  return s.note.empty() ? "" : indent + s.note + "\n";
}

}  // namespace

KeptFrames cut_stack(const Stack& s, size_t context, size_t outer) {
  size_t n = s.frames.size();
  size_t caller = 0;  // the first frame of the code that called the system libraries
  while (caller < n && is_system_library(s.frames[caller].module)) caller++;
  size_t inner_end = std::min(n, caller + 1 + context);
  size_t outer_begin = n > outer ? n - outer : 0;
  // An elision must hide more than the line that announces it would cost.
  if (outer_begin < inner_end + 3) return {n, n};
  return {inner_end, outer_begin};
}

std::string frame_text(const Frame& f) {
  // Symbols and module paths come from the traced process (perf map files,
  // its ELF files): printable() both.
  std::string symbol = printable(f.symbol), module = printable(f.module);
  switch (f.kind) {
    case FrameKind::kJit: return "[jit] " + symbol;
    case FrameKind::kInterpreted: return "[interp] " + symbol;
    case FrameKind::kNative:
      if (!f.symbol.empty()) return fmt::format("{}+{:#x} ({})", symbol, f.offset, module.empty() ? "?" : module);
      break;
    case FrameKind::kUnknown: break;
  }
  if (f.module.empty()) return fmt::format("{:#x}", f.pc);
  return fmt::format("{:#x} ({}+{:#x})", f.pc, module, f.module_offset);
}

nlohmann::json stack_json(const Stack& s) {
  nlohmann::json frames = nlohmann::json::array();
  for (const auto& f : s.frames) {
    nlohmann::json j = {{"kind", kind_tag(f.kind)}, {"pc", fmt::format("{:#x}", f.pc)}};
    if (!f.symbol.empty()) j["symbol"] = f.symbol;
    if (f.kind == FrameKind::kNative && !f.symbol.empty()) j["offset"] = f.offset;
    if (!f.module.empty()) {
      j["module"] = f.module;
      j["module_offset"] = fmt::format("{:#x}", f.module_offset);
    }
    if (!f.build_id.empty()) j["build_id"] = f.build_id;
    if (f.from_fp) j["from_fp"] = true;
    frames.push_back(std::move(j));
  }
  return frames;
}

std::string stack_text(const Stack& s, const std::string& indent) {
  return frame_lines(s, indent, 0, s.frames.size()) + end_line(s, indent);
}

std::string stack_text(const Stack& s, const std::string& indent, StackDetail detail) {
  KeptFrames k = cut_stack(s);
  if (detail == StackDetail::kFull || k.inner_end == k.outer_begin) return stack_text(s, indent);
  std::string out = frame_lines(s, indent, 0, k.inner_end);
  std::vector<std::string> modules;
  for (size_t i = k.inner_end; i < k.outer_begin; i++) {
    const std::string& m = s.frames[i].module.empty() ? kind_tag(s.frames[i].kind) : s.frames[i].module;
    if (std::find(modules.begin(), modules.end(), m) == modules.end()) modules.push_back(m);
  }
  std::string where;
  for (size_t i = 0; i < modules.size() && i < 3; i++) where += (i ? ", " : "") + printable(modules[i]);
  if (modules.size() > 3) where += ", ...";
  out += fmt::format("{}... {} frames in {} (--full-stack shows them)\n", indent, k.outer_begin - k.inner_end, where);
  return out + frame_lines(s, indent, k.outer_begin, s.frames.size()) + end_line(s, indent);
}

std::string folded_line(const Event& e, const Stack& s) { return folded_text(flame_path(e, s)); }

}  // namespace sockscope::render
