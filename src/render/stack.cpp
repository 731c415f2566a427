// SPDX-License-Identifier: GPL-2.0-only
#include "render/stack.h"

#include <fmt/format.h>

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

}  // namespace

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
  std::string out;
  for (size_t i = 0; i < s.frames.size(); i++) out += fmt::format("{}#{:<2} {}\n", indent, i, frame_text(s.frames[i]));
  if (s.truncated)
    out += indent + "[truncated: " + (s.end.empty() ? "unknown" : s.end) + "]" + (s.note.empty() ? "" : " " + s.note) +
           "\n";
  else if (!s.note.empty()) out += indent + s.note + "\n";
  return out;
}

std::string folded_line(const Event& e, const Stack& s) { return folded_text(flame_path(e, s)); }

}  // namespace sockscope::render
