// SPDX-License-Identifier: GPL-2.0-only
// `sockscope checkpoint --json`; schema in docs/checkpoint.md.
#include "render/checkpoint_report.h"
#include "render/event.h"
#include "render/history.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

using nlohmann::json;
using checkpoint::Verdict;

json owners(const std::vector<Owner>& os) {
  json a = json::array();
  for (const auto& o : os) a.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
  return a;
}

json outcome(const checkpoint::Outcome& o) {
  return {{"verdict", checkpoint::verdict_name(o.verdict)},
          {"message", o.message.empty() ? json(nullptr) : json(o.message)}};
}

// The creation stack's frames as text, leaf first; empty without a record.
json origin_stack(const checkpoint::Origin& o) {
  json frames = json::array();
  if (o.created && o.created->stack)
    for (const auto& f : o.created->stack->frames) frames.push_back(frame_text(f));
  return frames;
}

json finding(const checkpoint::Finding& f) {
  json messages = json::array();
  for (const auto& s : f.messages) messages.push_back({{"engine", s.engine}, {"text", s.text}});
  const auto& o = f.origin;
  json origin = {{"role", o.role.empty() ? json(nullptr) : json(o.role)},
                 {"peer_path", o.peer_path.empty() ? json(nullptr) : json(o.peer_path)},
                 {"peer_inode", o.peer_inode ? json(o.peer_inode) : json(nullptr)},
                 {"peer_holders", owners(o.peer_holders)},
                 {"origin_stack", origin_stack(o)}};
  if (o.created) {
    Clock clock;
    origin["created"] = event_json(*o.created, clock);
    origin["created"]["wall_ns"] = o.created_wall_ns;
    origin["created"]["wall_utc"] = utc_json(o.created_wall_ns);  // with stack, stack_end (docs/json.md)
  }
  if (!o.no_record.empty()) origin["no_record"] = o.no_record;
  return {{"rule", f.rule},
          {"severity", checkpoint::verdict_name(f.severity())},
          {"title", f.title},
          {"pid", f.pid},
          {"fd", f.fd >= 0 ? json(f.fd) : json(nullptr)},
          {"comm", f.comm},
          {"object", f.object},
          {"inode", f.inode ? json(f.inode) : json(nullptr)},
          {"messages", messages},
          {"plain", f.plain},
          {"origin", origin},
          {"remedy", f.remedy},
          {"verdicts", {{"criu", outcome(f.criu)},
                        {"criu_with_options", outcome(f.criu_opts)},
                        {"crac", f.crac ? outcome(*f.crac) : json(nullptr)}}}};
}

}  // namespace

const char* readiness_name(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "ready";
    case Verdict::kWarn: return "ready_with_warnings";
    case Verdict::kBlock: return "blocked";
  }
  return "?";
}

json checkpoint_json(const checkpoint::Report& r) {
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding(f));
  json diags = json::array();
  for (const auto& d : r.diagnostics) {
    json j = {{"message", d.what}, {"hint", d.hint}};
    if (d.pid) j["pid"] = d.pid;
    diags.push_back(j);
  }
  json crac = {{"applies", r.crac_applies},
               {"verdict", r.crac_applies ? json(readiness_name(r.crac)) : json(nullptr)},
               {"engine", r.crac_engine.empty() ? json(nullptr) : json(r.crac_engine)}};
  return {{"pid", r.target},
          {"comm", r.comm},
          {"tree", r.tree},
          {"verdict", readiness_name(r.overall())},
          {"engines", {{"criu", {{"verdict", readiness_name(r.criu)}}},
                       {"criu_with_options", {{"verdict", readiness_name(r.criu_opts)},
                                              {"options", r.criu_options},
                                              {"crac_criu_opts", r.crac_criu_opts}}},
                       {"crac", crac}}},
          {"findings", findings},
          {"diagnostics", diags}};
}

}  // namespace sockscope::render
