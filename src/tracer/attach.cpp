// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/attach.h"

#include <fmt/format.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#include "base/strings.h"
#include "tracer/tracefs.h"

namespace sockscope::tracer {
namespace {

constexpr std::string_view kTpPrefix = "tracepoint/";

// "tracepoint/syscalls/sys_enter_bind" -> "events/syscalls/sys_enter_bind/id"
std::string id_file(std::string_view section) {
  return "events/" + std::string(section.substr(kTpPrefix.size())) + "/id";
}

std::string_view first_line(const std::string& s) {
  std::string_view v(s);
  return v.substr(0, v.find('\n'));
}

bool is_tracepoint(bpf_program* p) {
  return std::string_view(bpf_program__section_name(p)).rfind(kTpPrefix, 0) == 0;
}

// A tracepoint perf event; BPF attached to it runs on every CPU, so one
// event on CPU 0 is enough (as libbpf's own attach_tracepoint does).
Result<int> open_tracepoint(uint64_t id) {
  perf_event_attr attr{};
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.size = sizeof(attr);
  attr.config = id;
  long fd = ::syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return sys_error("perf_event_open(tracepoint)", errno);
  return static_cast<int>(fd);
}

Result<Ok> attach_tracepoint(bpf_program* p, const TracefsFiles& ids, Links& links) {
  std::string file = id_file(bpf_program__section_name(p));
  auto it = ids.files.find(file);
  auto id = it == ids.files.end() || !it->second ? std::nullopt
                                                  : parse_u64(first_line(*it->second));
  if (!id)
    return Error{fmt::format("tracepoint {} not found in tracefs", file), EOPNOTSUPP,
                 "try another rung: --backend raw_syscalls"};
  auto fd = open_tracepoint(*id);
  if (!fd) return fd.error().context(file);
  bpf_link* l = bpf_program__attach_perf_event(p, *fd);
  if (!l) {
    int err = errno;
    ::close(*fd);
    return sys_error(fmt::format("attaching {} to {}", bpf_program__name(p), file), err);
  }
  links.add(l);
  return Ok{};
}

}  // namespace

Links& Links::operator=(Links&& o) noexcept {
  if (this != &o) {
    reset();
    links_ = std::move(o.links_);
    o.links_.clear();
  }
  return *this;
}

// Detaching a perf-event link waits for an RCU tasks-trace grace period
// (perf_event_detach_bpf_prog() calls synchronize_rcu_tasks_trace()), about
// 70 ms here. One thread per link lets those waits share grace periods: the
// 36 tracepoints of the tracepoint rung detach in ~0.1 s instead of ~2.5 s.
void Links::reset() {
  std::vector<std::thread> threads;
  threads.reserve(links_.size());
  for (auto* l : links_) {
    try {
      threads.emplace_back([l] { bpf_link__destroy(l); });
    } catch (const std::system_error&) {  // no thread to spare: detach here
      bpf_link__destroy(l);
    }
  }
  for (auto& t : threads) t.join();
  links_.clear();
}

Result<Links> attach_all(bpf_object* obj, std::string& tracefs_how) {
  std::vector<std::string> files;
  bpf_program* p;
  bpf_object__for_each_program(p, obj) {
    if (bpf_program__autoload(p) && is_tracepoint(p)) files.push_back(id_file(bpf_program__section_name(p)));
  }
  TracefsFiles ids;
  tracefs_how = "not used (raw tracepoints)";
  if (!files.empty()) {
    auto r = read_tracefs(files);
    if (!r) return r.error();
    ids = std::move(*r);
    tracefs_how = ids.how;
  }
  Links links;
  bpf_object__for_each_program(p, obj) {
    if (!bpf_program__autoload(p)) continue;
    if (is_tracepoint(p)) {
      if (auto ok = attach_tracepoint(p, ids, links); !ok) return ok.error();
      continue;
    }
    bpf_link* l = bpf_program__attach(p);
    if (!l) return sys_error(fmt::format("attaching {} ({})", bpf_program__name(p),
                                         bpf_program__section_name(p)), errno);
    links.add(l);
  }
  return links;
}

}  // namespace sockscope::tracer
