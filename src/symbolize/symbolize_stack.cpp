// SPDX-License-Identifier: GPL-2.0-only
// Symbolizer::symbolize: unwind, merge with the frame-pointer chain, name.
#include <fmt/format.h>

#include "symbolize/proc_state.h"
#include "symbolize/stack_end.h"
#include "symbolize/unwind.h"

namespace sockscope::symbolize {
namespace {

// Where DWARF stopped early (a compiled Java frame without a frame pointer,
// or code without CFI) the FP chain may know more: append what lies beyond
// the last pc both agree on. FP entries are return addresses, like DWARF
// frames >= 1, so they compare directly.
bool merge_fp(UnwindResult& u, std::span<const uint64_t> fp) {
  for (size_t k = u.frames.size(); k-- > 1;) {
    for (size_t j = 0; j < fp.size(); j++) {
      if (fp[j] != u.frames[k].pc) continue;
      if (j + 1 >= fp.size()) return false;
      u.frames.resize(k + 1);
      for (size_t i = j + 1; i < fp.size(); i++)
        if (fp[i] >= 4096) u.frames.push_back({fp[i], false, 0, true});
      return true;
    }
  }
  return false;
}

}  // namespace

Stack Symbolizer::symbolize(const Sample& s) {
  ProcState& p = state(s.pid);
  Image& img = *p.image;
  uint64_t ip = s.regs ? s.regs[kDwarfRip] : (s.fp.empty() ? 0 : s.fp[0]);
  if (!img.from_proc() || !find_mapping(img.maps(), ip)) img.refresh();
  if (opts_.java) {
    if (!p.perf_map && s.nspid > 0)
      p.perf_map = std::make_unique<PerfMap>(fmt::format("{}/{}/root/tmp/perf-{}.map", opts_.proc, s.pid, s.nspid));
    p.perf_map_checked = false;  // refreshed by the first frame that needs it
    if (!p.java && is_jvm(s.pid)) p.java = JavaNames::open(img, opts_.proc);
  }
  UnwindResult u;
  bool merged = false;
  if (s.regs) {
    u = unwind(img, {s.tid, s.regs, s.copy_base, s.copy, s.holes});
    // The FP chain may go on where DWARF stopped (JIT code without CFI).
    if (cfi_at(img, u.frames.back().pc, u.frames.size() == 1) != CfiAt::kRaUndefined) merged = merge_fp(u, s.fp);
  } else {
    for (uint64_t pc : s.fp) u.frames.push_back({pc, u.frames.empty(), 0, true});
    merged = true;
  }
  Stack out;
  for (size_t i = 0; i < u.frames.size(); i++) {
    const RawFrame& r = u.frames[i];
    if (r.pc < 4096) break;  // garbage from an FP chain
    if (p.java) p.java->set_frame(r.rbp, s.copy_base, s.copy);
    Frame f = native_frame(p, r.pc, r.activation);
    f.from_fp = r.from_fp;
    out.frames.push_back(std::move(f));
  }
  out.copied = s.copy.size();
  out.held = s.stack_top > s.copy_base ? s.stack_top - s.copy_base : 0;
  judge_end(img, {s, u, merged, p.java != nullptr || is_jvm(s.pid)}, out);
  return out;
}

}  // namespace sockscope::symbolize
