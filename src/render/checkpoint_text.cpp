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
std::string created_text(const checkpoint::Origin& o) {
  if (!o.no_record.empty()) return "  created: no record: " + o.no_record + "\n";
  if (!o.created) return {};
  const Event& e = *o.created;
  std::string out = fmt::format("  created: {} by {}[{}/{}] via {}({})\n", wall_text(o.created_wall_ns),
                                printable(e.comm), e.tgid, e.tid, kind_name(e.kind), family_type(e.family, e.type));
  if (e.stack) out += stack_text(*e.stack, "      ");
  return out;
}

std::string finding_text(const checkpoint::Report& r, const checkpoint::Finding& f) {
  std::string who = f.comm.empty() ? fmt::format("pid {}", f.pid) : fmt::format("{}[{}]", printable(f.comm), f.pid);
  std::string out = fmt::format("\n[{}] {} {}{} {}: {}\n", label(f.severity()), f.rule, who,
                                f.fd >= 0 ? fmt::format(" fd {}", f.fd) : "", printable(f.object), printable(f.title));
  if (!f.messages.empty()) out += "  you will see:\n";
  for (const auto& s : f.messages) out += fmt::format("    {}: {}\n", engine_label(s.engine), printable(s.text));
  if (!f.plain.empty()) out += "  why: " + printable(f.plain) + "\n";
  if (auto o = origin_text(f.origin); !o.empty()) out += "  other end: " + o + "\n";
  out += created_text(f.origin);
  out += "  verdict: " + verdicts_line(r, f) + "\n";
  for (const auto& m : f.remedy) out += "  do: " + printable_command(m) + "\n";
  return out;
}

}  // namespace

std::string checkpoint_text(const checkpoint::Report& r) {
  std::string out =
      fmt::format("checkpoint of {}[{}], {} process(es) in the tree:", printable(r.comm), r.target, r.tree.size());
  for (int p : r.tree) out += fmt::format(" {}", p);
  out += "\n";
  out += fmt::format("  criu dump: {}\n", readiness_name(r.criu));
  if (!r.criu_options.empty())
    out += fmt::format("  criu dump {}: {}\n", printable(r.criu_options), readiness_name(r.criu_opts));
  if (r.crac_applies) out += fmt::format("  CRaC JVM check: {}\n", readiness_name(r.crac));
  out += fmt::format("verdict: {}\n", readiness_name(r.overall()));
  for (const auto& f : r.findings) out += finding_text(r, f);
  return out + diagnostics_text(r.diagnostics);
}

}  // namespace sockscope::render
