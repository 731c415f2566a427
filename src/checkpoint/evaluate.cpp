// SPDX-License-Identifier: GPL-2.0-only
#include "checkpoint/evaluate.h"

#include <algorithm>

#include "base/exit_codes.h"
#include "checkpoint/context.h"

namespace sockscope::checkpoint {
namespace {

Verdict worst(Verdict a, Verdict b) { return std::max(a, b); }

// Rulebook 1: the JVM's check runs first, then CRIU; a user following
// CRIU's advice meets the next message (rules put those in order), and the
// options they gave decide last.
void finalize(Finding& f, const CriuOptions& opts) {
  std::vector<Step> steps;
  if (f.crac && f.crac->verdict != Verdict::kOk) steps.push_back({"crac", f.crac->message});
  steps.insert(steps.end(), f.messages.begin(), f.messages.end());
  f.messages = std::move(steps);
  if (!opts.empty() && f.criu_opts.verdict == Verdict::kBlock) add_step(f, "criu " + opts.text, f.criu_opts);
}

int rank(const Finding& f) { return static_cast<int>(f.severity()); }

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "ok";
    case Verdict::kWarn: return "warn";
    case Verdict::kBlock: return "block";
  }
  return "?";
}

Verdict Finding::severity() const { return worst(criu_opts.verdict, crac ? crac->verdict : Verdict::kOk); }

// With -XX:CRaCEngine=warp no CRIU runs (rulebook 1.6): only the JVM decides.
Verdict Report::overall() const {
  if (crac_applies && crac_engine == "warp") return crac;
  return crac_applies ? worst(criu_opts, crac) : criu_opts;
}

Report evaluate(const Facts& facts, const Settings& settings) {
  CriuOptions opts = merge(settings.given, parse_criu_options(facts.crac_criu_opts));
  Context ctx(facts, opts);
  Report r;
  r.target = facts.target;
  for (const auto& t : facts.tree) r.tree.push_back(t.pid);
  r.comm = facts.tree.empty() ? std::string() : facts.tree.front().comm;
  r.criu_options = opts.text;
  r.crac_criu_opts = facts.crac_criu_opts;
  r.crac_applies = facts.jvm.is_jvm && (facts.jvm.crac_flags || settings.force_crac);
  r.crac_engine = facts.jvm.engine;
  tree_rules(ctx, r.findings);
  unix_rules(ctx, r.findings);
  inet_rules(ctx, r.findings);
  other_socket_rules(ctx, r.findings);
  file_rules(ctx, r.findings);
  lock_rules(ctx, r.findings);
  map_rules(ctx, r.findings);
  if (r.crac_applies) jvm_rules(ctx, r.findings);
  for (auto& f : r.findings) {
    finalize(f, opts);
    r.criu = worst(r.criu, f.criu.verdict);
    r.criu_opts = worst(r.criu_opts, f.criu_opts.verdict);
    if (f.crac) r.crac = worst(r.crac, f.crac->verdict);
  }
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    if (rank(a) != rank(b)) return rank(a) > rank(b);
    return a.pid != b.pid ? a.pid < b.pid : a.fd < b.fd;
  });
  r.diagnostics = facts.diagnostics;
  return r;
}

int exit_code(const Report& r) {
  switch (r.overall()) {
    case Verdict::kBlock: return kExitFindings;
    case Verdict::kWarn: return kExitWarnings;
    case Verdict::kOk: return kExitOk;
  }
  return kExitOk;
}

}  // namespace sockscope::checkpoint
