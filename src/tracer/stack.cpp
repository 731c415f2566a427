// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/stack.h"

#include <fmt/format.h>

#include <cstring>

extern "C" {
#include "events.h"
}

namespace sockscope::tracer {

static_assert(kStackCopyMax == SOCKSCOPE_STACK_MAX && kFpChainMax == SOCKSCOPE_STACK_FP_MAX,
              "abi/events.h: capture limits changed");
static_assert(kStackRegs == SOCKSCOPE_STACK_REGS, "abi/events.h: register set changed");
static_assert(offsetof(sockscope_stack, data) == SOCKSCOPE_STACK_HDR_SIZE, "abi/events.h: stack header changed");
static_assert(offsetof(sockscope_stack, kind) == offsetof(sockscope_event, kind),
              "the kind slot must sit where sockscope_event has it");

bool is_stack_record(const void* data, size_t size) {
  uint32_t kind = 0;
  if (size < offsetof(sockscope_stack, kind) + sizeof(kind)) return false;
  std::memcpy(&kind, static_cast<const char*>(data) + offsetof(sockscope_stack, kind), sizeof(kind));
  return kind == SOCKSCOPE_REC_STACK;
}

Result<RawStack> decode_stack(const void* data, size_t size) {
  if (size < SOCKSCOPE_STACK_HDR_SIZE)
    return Error{fmt::format("stack record of {} bytes, shorter than its header", size), 0,
                 "the BPF object and the binary disagree on abi/events.h: rebuild both"};
  sockscope_stack h;
  std::memcpy(&h, data, SOCKSCOPE_STACK_HDR_SIZE);
  if (h.copy_len > SOCKSCOPE_STACK_MAX || SOCKSCOPE_STACK_HDR_SIZE + size_t{h.copy_len} > size ||
      h.fp_len > SOCKSCOPE_STACK_FP_MAX)
    return Error{"stack record lengths out of range", 0, "rebuild: ABI skew"};
  RawStack r;
  r.ts_ns = h.ts_ns;
  r.tgid = h.tgid;
  r.tid = h.tid;
  r.event_kind = h.event_kind;
  r.has_regs = !(h.flags & SOCKSCOPE_STACK_NO_REGS);
  std::memcpy(r.regs.data(), h.regs, sizeof(h.regs));
  r.fp.assign(h.fp, h.fp + h.fp_len);
  r.copy_base = h.copy_base;
  auto* bytes = static_cast<const uint8_t*>(data) + SOCKSCOPE_STACK_HDR_SIZE;
  r.copy.assign(bytes, bytes + h.copy_len);
  r.holes = h.holes;
  r.stack_top = (h.flags & SOCKSCOPE_STACK_TOP_KNOWN) ? h.stack_top : 0;
  r.held = h.flags & SOCKSCOPE_STACK_HELD;
  return r;
}

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

std::string frame_text(const StackFrame& f) {
  switch (f.kind) {
    case FrameKind::kJit: return "[jit] " + f.symbol;
    case FrameKind::kInterpreted: return "[interp] " + f.symbol;
    case FrameKind::kNative:
      if (!f.symbol.empty())
        return fmt::format("{}+{:#x} ({})", f.symbol, f.offset, f.module.empty() ? "?" : f.module);
      break;
    case FrameKind::kUnknown: break;
  }
  if (f.module.empty()) return fmt::format("{:#x}", f.pc);
  return fmt::format("{:#x} ({}+{:#x})", f.pc, f.module, f.module_offset);
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
  for (size_t i = 0; i < s.frames.size(); i++)
    out += fmt::format("{}#{:<2} {}\n", indent, i, frame_text(s.frames[i]));
  if (s.truncated)
    out += indent + "[truncated: " + (s.end.empty() ? "unknown" : s.end) + "]" + (s.note.empty() ? "" : " " + s.note) + "\n";
  else if (!s.note.empty()) out += indent + s.note + "\n";
  return out;
}

std::string folded_line(const Event& e, const Stack& s) {
  std::string out = e.comm.empty() ? "?" : e.comm;
  if (s.truncated) out += ";[truncated]";
  for (size_t i = s.frames.size(); i-- > 0;) {
    const auto& f = s.frames[i];
    std::string name = f.symbol.empty() ? frame_text(f) : f.symbol;
    for (char& c : name)
      if (c == ';' || c == '\n') c = ':';
    out += ";" + name;
  }
  out += fmt::format(";[{}] 1", kind_name(e.kind));
  return out;
}

}  // namespace sockscope::tracer
