// SPDX-License-Identifier: GPL-2.0-only
// `sockscope checkpoint` for people: the verdicts first, then each finding
// with the messages the user will meet, in order, and what to do.
#include <fmt/format.h>

#include "render/checkpoint_report.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/history.h"
#include "render/inventory.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

using checkpoint::Verdict;

const char* label(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "note";
    case Verdict::kWarn: return "warning";
    case Verdict::kBlock: return "BLOCKER";
  }
  return "?";
}

// label() in the verdict's color.
std::string styled_label(Verdict v, const Style& style) {
  if (v == Verdict::kBlock) return style.red(label(v));
  return v == Verdict::kWarn ? style.yellow(label(v)) : std::string(label(v));
}

// readiness_name() in its color.
std::string styled_readiness(Verdict v, const Style& style) {
  if (v == Verdict::kBlock) return style.red(readiness_name(v));
  return v == Verdict::kWarn ? style.yellow(readiness_name(v)) : style.green(readiness_name(v));
}

std::string engine_label(const std::string& engine) {
  if (engine == "crac") return "CRaC JVM check";
  return engine == "criu" ? "criu dump" : engine;
}

std::string verdicts_line(const checkpoint::Report& r, const checkpoint::Finding& f) {
  std::string out = fmt::format("criu: {}", checkpoint::verdict_name(f.criu.verdict));
  if (!r.criu_options.empty()) {
    out += fmt::format("; criu {}: {}", printable(r.criu_options), checkpoint::verdict_name(f.criu_opts.verdict));
    if (f.criu_opts.verdict == Verdict::kWarn && !f.criu_opts.message.empty())
      out += " (" + printable(f.criu_opts.message) + ")";
  }
  if (f.crac) out += fmt::format("; CRaC JVM check: {}", checkpoint::verdict_name(f.crac->verdict));
  return out;
}

std::string origin_text(const checkpoint::Origin& o) {
  std::string out;
  if (!o.role.empty()) out += printable(o.role);
  std::string holders = owners_text(o.peer_holders, 4);
  if (!holders.empty()) out += (out.empty() ? "" : ": ") + holders;
  if (!o.peer_path.empty()) out += (out.empty() ? "" : ", ") + printable(o.peer_path);
  if (o.peer_inode) out += fmt::format(" (peer socket:[{}])", o.peer_inode);
  return out;
}

// "  created: 2026-12-06 ... by java[42/43] via socket(unix/stream)" and
// the creation stack, from the recorder's history; or why there is none.
std::string created_text(const checkpoint::Origin& o, StackDetail stacks) {
  if (!o.no_record.empty()) return "  created: no record: " + o.no_record + "\n";
  if (!o.created) return {};
  const Event& e = *o.created;
  std::string out = fmt::format("  created: {} by {}[{}/{}] via {}({})\n", wall_text(o.created_wall_ns),
                                printable(e.comm), e.tgid, e.tid, kind_name(e.kind), family_type(e.family, e.type));
  if (e.stack) out += stack_text(*e.stack, "      ", stacks);
  return out;
}

std::string finding_text(const checkpoint::Report& r, const checkpoint::Finding& f, StackDetail stacks,
                         const Style& style) {
  std::string who = f.comm.empty() ? fmt::format("pid {}", f.pid) : fmt::format("{}[{}]", printable(f.comm), f.pid);
  std::string out = fmt::format("\n[{}] {} {}{} {}: {}\n", styled_label(f.severity(), style), f.rule, who,
                                f.fd >= 0 ? fmt::format(" fd {}", f.fd) : "", printable(f.object), printable(f.title));
  if (!f.messages.empty()) out += "  you will see:\n";
  for (const auto& s : f.messages) out += fmt::format("    {}: {}\n", engine_label(s.engine), printable(s.text));
  if (!f.plain.empty()) out += "  why: " + printable(f.plain) + "\n";
  if (auto o = origin_text(f.origin); !o.empty()) out += "  other end: " + o + "\n";
  out += created_text(f.origin, stacks);
  out += "  verdict: " + verdicts_line(r, f) + "\n";
  for (const auto& m : f.remedy) out += "  do: " + printable_command(m) + "\n";
  return out;
}

// Findings that say the same thing about the same process.
bool same_group(const checkpoint::Finding& a, const checkpoint::Finding& b) {
  return a.rule == b.rule && a.pid == b.pid && a.title == b.title && a.criu.verdict == b.criu.verdict &&
         a.criu_opts.verdict == b.criu_opts.verdict &&
         (a.crac ? a.crac->verdict : Verdict::kOk) == (b.crac ? b.crac->verdict : Verdict::kOk);
}

// "  ... and 1997 more [BLOCKER] N3 like these: fd 15 socket:[7301], ..."
std::string rest_of_group_text(const std::vector<const checkpoint::Finding*>& rest, const Style& style) {
  constexpr size_t kListed = 8;
  const auto& f = *rest.front();
  std::string out =
      fmt::format("\n  ... and {} more [{}] {} like these:", rest.size(), styled_label(f.severity(), style), f.rule);
  for (size_t i = 0; i < rest.size() && i < kListed; i++) {
    const auto& g = *rest[i];
    out += fmt::format("{} {}{}", i ? "," : "", g.fd >= 0 ? fmt::format("fd {} ", g.fd) : "", printable(g.object));
  }
  if (rest.size() > kListed) out += ", ...";
  return out + "\n  (every one: --all or --json)\n";
}

// Each group's first view.examples findings in full, then one line for the rest.
std::string findings_text(const checkpoint::Report& r, const CheckpointView& view) {
  std::vector<bool> done(r.findings.size());
  std::string out;
  for (size_t i = 0; i < r.findings.size(); i++) {
    if (done[i]) continue;
    std::vector<const checkpoint::Finding*> rest;
    size_t shown = 0;
    for (size_t j = i; j < r.findings.size(); j++) {
      if (done[j] || !same_group(r.findings[i], r.findings[j])) continue;
      done[j] = true;
      if (view.examples == 0 || shown < view.examples) {
        out += finding_text(r, r.findings[j], view.stacks, view.style);
        shown++;
      } else {
        rest.push_back(&r.findings[j]);
      }
    }
    if (!rest.empty()) out += rest_of_group_text(rest, view.style);
  }
  return out;
}

}  // namespace

std::string checkpoint_text(const checkpoint::Report& r, const CheckpointView& view) {
  const Style& st = view.style;
  std::string head =
      fmt::format("checkpoint of {}[{}], {} process(es) in the tree:", printable(r.comm), r.target, r.tree.size());
  for (int p : r.tree) head += fmt::format(" {}", p);
  std::string out = st.bold(head) + "\n";
  out += fmt::format("  criu dump: {}\n", styled_readiness(r.criu, st));
  if (!r.criu_options.empty())
    out += fmt::format("  criu dump {}: {}\n", printable(r.criu_options), styled_readiness(r.criu_opts, st));
  if (r.crac_applies) out += fmt::format("  CRaC JVM check: {}\n", styled_readiness(r.crac, st));
  out += fmt::format("{} {}\n", st.bold("verdict:"), styled_readiness(r.overall(), st));
  out += findings_text(r, view);
  return out + diagnostics_text(r.diagnostics, st);
}

}  // namespace sockscope::render
