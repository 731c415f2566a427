// SPDX-License-Identifier: GPL-2.0-only
// Attaching a loaded bpf_object (internal to src/tracer: names libbpf types).
#pragma once

#include <bpf/libbpf.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace sockscope::tracer {

// Owns bpf_links; destroying it detaches everything.
class Links {
 public:
  Links() = default;
  Links(Links&& o) noexcept : links_(std::move(o.links_)) { o.links_.clear(); }
  Links& operator=(Links&& o) noexcept;
  Links(const Links&) = delete;
  Links& operator=(const Links&) = delete;
  ~Links() { reset(); }
  void add(bpf_link* l) { links_.push_back(l); }
  void reset();
  size_t size() const { return links_.size(); }

 private:
  std::vector<bpf_link*> links_;
};

// Attaches every program of `obj` that is set to load. "tracepoint/CAT/NAME"
// programs are attached with perf_event_open() on ids read by read_tracefs()
// (so an unmounted tracefs is fine); the rest through bpf_program__attach().
// `tracefs_how` receives how tracefs was read.
Result<Links> attach_all(bpf_object* obj, std::string& tracefs_how);

}  // namespace sockscope::tracer
