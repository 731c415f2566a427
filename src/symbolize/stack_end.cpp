// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/stack_end.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>

#include "symbolize/image.h"

namespace sockscope::symbolize {
namespace {

struct End {
  const char* code;
  std::string note;
};

// Names that only a thread's first frame has, for modules without CFI at
// that pc (musl, static binaries built without unwind tables).
bool first_frame_name(std::string_view s) {
  return s == "_start" || s == "__clone3" || s == "clone3" || s == "__clone" || s == "clone";
}

std::string where(const Frame& f) {
  if (!f.symbol.empty()) return fmt::format("{} ({})", f.symbol, f.module.empty() ? "anonymous code" : f.module);
  if (!f.module.empty()) return fmt::format("{}+{:#x}", f.module, f.module_offset);
  return fmt::format("{:#x}", f.pc);
}

std::string kib(uint64_t bytes) { return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024); }

End copy_ended(const EndFacts& x, const Frame& last) {
  const Sample& s = x.sample;
  uint64_t have = s.copy.size();
  uint64_t want = s.stack_top > s.copy_base ? s.stack_top - s.copy_base : x.unwind.fail_addr + 8 - s.copy_base;
  std::string need = s.stack_top > s.copy_base ? fmt::format("the stack holds {} from sp's page to its top", kib(want))
                                               : fmt::format("at least {} were needed", kib(want));
  std::string fix = s.copy_max == 0 || want <= s.copy_max  // 0: the capture did not say
                        ? fmt::format("run with --stack-size {}", (want + 4095) / 4096 * 4096)
                        : fmt::format("that is more than --stack-size's maximum of {} KiB", s.copy_max / 1024);
  return {"copy_ended", fmt::format("the stack copy ({}) ended after {}: {}; {}", kib(have), where(last), need, fix)};
}

// The first file-backed frame whose pc no CFI covers: the unwinder guessed
// past it (libdw's x86_64 fallback follows rbp), so that module is the cause.
std::optional<End> missing_cfi(Image& img, const Stack& out) {
  for (size_t i = 0; i < out.frames.size(); i++) {
    const Frame& f = out.frames[i];
    if (f.module.empty() || f.from_fp) continue;
    CfiAt c = cfi_at(img, f.pc, i == 0);
    if (c == CfiAt::kNoCfi)
      return End{"no_cfi", fmt::format("{} has no unwind information (no .eh_frame, no debuginfo) for {}: install "
                                       "its debug symbols, or rebuild it with -fasynchronous-unwind-tables",
                                       f.module, where(f))};
    if (c == CfiAt::kNoFde)
      return End{"no_cfi", fmt::format("{} has unwind information, but none covers {} (+{:#x}): hand-written or "
                                       "generated code; its debuginfo may have it",
                                       f.module, where(f), f.module_offset)};
    if (c == CfiAt::kNoModule)
      return End{"module_unreadable",
                 fmt::format("{} could not be read at {} (deleted, or in a mount namespace sockscope cannot enter)",
                             f.module, where(f))};
  }
  return std::nullopt;
}

End after_last(Image& img, const EndFacts& x, const Stack& out) {
  const Frame& last = out.frames.back();
  const UnwindResult& u = x.unwind;
  if (u.depth_limit || out.frames.size() >= kMaxFrames)
    return {"depth_limit", fmt::format("sockscope unwinds at most {} frames", kMaxFrames)};
  // A module on the way without CFI (or unreadable) is the cause, whatever
  // rbp-chasing found after it.
  if (auto e = missing_cfi(img, out)) return *e;
  // Anonymous code has no CFI: only a frame pointer leads out of it.
  if (last.module.empty()) {
    if (x.jvm)
      return {"jit_no_fp", "a compiled Java frame without a frame pointer cut the stack: run the JVM with "
                           "-XX:+PreserveFramePointer (and --java-perfmap for names)"};
    return {"no_module", fmt::format("{} is in no mapped file (generated code without a frame pointer)", where(last))};
  }
  if (x.fp_merged)
    return x.sample.fp_max != 0 && x.sample.fp.size() >= x.sample.fp_max
               ? End{"depth_limit", fmt::format("the frame-pointer chain is limited to {} entries "
                                                "(perf_event_max_stack)", x.sample.fp_max)}
               : End{"fp_chain_broken", fmt::format("the frame-pointer chain ended at {}: code on the way does not "
                                                    "keep rbp as a frame pointer", where(last))};
  using F = UnwindResult::Fail;
  const Sample& s = x.sample;
  if (u.fail == F::kPastCopy && !(s.stack_top && u.fail_addr >= s.stack_top)) return copy_ended(x, last);
  if (u.fail == F::kHole)
    return {"page_not_resident", fmt::format("the stack page at {:#x} was not in memory (swapped out) when the "
                                             "event fired; the unwind stopped after {}",
                                             u.fail_addr & ~uint64_t{4095}, where(last))};
  if (u.fail != F::kNone)
    return {"bad_unwind", fmt::format("unwinding {} led to {:#x}, outside the thread's stack", where(last), u.fail_addr)};
  return {"bad_unwind", fmt::format("the unwind stopped after {}: {}", where(last),
                                    u.error.empty() ? "no caller could be found" : u.error)};
}

}  // namespace

void judge_end(Image& img, const EndFacts& x, Stack& out) {
  out.truncated = true;
  if (out.frames.empty()) {
    out.end = "no_registers";
    out.note = "the kernel gave no user registers for this thread";
    return;
  }
  const Frame& last = out.frames.back();
  if (cfi_at(img, last.pc, out.frames.size() == 1) == CfiAt::kRaUndefined || first_frame_name(last.symbol)) {
    out.truncated = false;
    out.end = "first_frame";
    out.note.clear();
    return;
  }
  End e = after_last(img, x, out);
  out.end = e.code;
  out.note = std::move(e.note);
}

}  // namespace sockscope::symbolize
