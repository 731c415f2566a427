// SPDX-License-Identifier: GPL-2.0-only
// --stacks for `run` and `trace`: the glue that feeds the tracer's raw stack
// records and module-map journal to src/symbolize and puts the frames back
// on the events (tracer and symbolize do not know each other).
#pragma once

#include <cstdint>
#include <set>

#include "model/event.h"
#include "symbolize/symbolizer.h"
#include "tracer/tracer.h"

namespace sockscope::run {

// What the user asked of stacks (cli/stacks.cpp maps the flags).
struct StackOptions {
  bool stacks = false;
  bool close = false;
  bool folded = false;
  bool java_perfmap = false;
  bool hold = false;
  bool create_only = false;  // stacks of socket, socketpair, accept only (the recorder)
  uint32_t bytes = 32768;    // docs/benchmarks.md "How deep creation stacks are"
};
class StackGlue {
 public:
  explicit StackGlue(const StackOptions& a) : args_(a) {}
  // Sets the tracer options; the tracer then calls back on each stack record
  // and module-map journal record.
  void configure(tracer::Options& o);
  // Once the tracer is open: whether its module-map journal runs (if not,
  // says so on stderr: processes are then read from /proc alone).
  void started(const tracer::Tracer& t);
  // Process lifecycle (first sight, exec, exit) and, if the event carries a
  // raw stack, its symbolized frames in e.stack.
  void on_event(Event& e);

 private:
  void maybe_perfmap(const Event& e, const Stack& s);
  void on_maps(const tracer::MapsRecord& r);
  StackOptions args_;
  bool journal_ = false;  // the journal, not exec/exit events, drives process images
  symbolize::Symbolizer sym_;
  std::set<uint32_t> seen_, perfmap_asked_;
};
}  // namespace sockscope::run
