// SPDX-License-Identifier: GPL-2.0-only
#include "render/event.h"

#include <fmt/format.h>

#include <cstring>
#include <iterator>
#include <string_view>
#include <utility>

#include "model/socket.h"
#include "render/escape.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

// One event line is built in one buffer: at 400,000 events/s the reader's
// cost was mostly temporary strings (bench/tracer_storm.sh).
class Line {
 public:
  explicit Line(fmt::memory_buffer& out) : out_(out), start_(out.size()) {}
  // Appends a space-separated part.
  template <typename... T>
  void add(fmt::format_string<T...> f, T&&... args) {
    if (out_.size() > start_) out_.push_back(' ');
    fmt::format_to(std::back_inserter(out_), f, std::forward<T>(args)...);
  }
  void add_text(std::string_view text) {
    if (!text.empty()) add("{}", text);
  }

 private:
  fmt::memory_buffer& out_;
  size_t start_;
};

void add_inodes(Line& l, const Event& e) {
  std::string s;
  for (size_t i = 0; i < e.fds.size(); i++) {
    if (i) s += ",";
    s += std::to_string(e.fds[i]);
    if (e.fd_inos[i]) s += fmt::format("(ino {})", e.fd_inos[i]);
  }
  if (e.fds_total > e.fds.size()) s += fmt::format(",+{} more", e.fds_total - e.fds.size());
  l.add("scm_rights=[{}]", s);
}

// "SIGQUIT -> java[4242] delivered" (result names: TRACE_SIGNAL_* in
// include/trace/events/signal.h).
void add_signal(Line& l, const Event& e) {
  static const char* results[] = {"delivered", "ignored", "already-pending", "overflow-fail", "lose-info"};
  const char* abbrev = ::sigabbrev_np(static_cast<int>(e.flags));
  std::string sig = abbrev ? std::string("SIG") + abbrev : std::to_string(e.flags);
  std::string result = e.ret >= 0 && e.ret < 5 ? results[e.ret] : std::to_string(e.ret);
  l.add("{} -> {}[{}] {}", sig, printable(e.path), e.child_tgid, result);
}

// The kind-specific middle of a line.
void add_details(fmt::memory_buffer& out, const Event& e) {
  Line l(out);
  switch (e.kind) {
    case EventKind::kFork: return l.add("child={}", e.child_tgid);
    case EventKind::kExit:
      if (e.exit_status & 0x7f) return l.add("signal={}", e.exit_status & 0x7f);
      return l.add("status={}", (e.exit_status >> 8) & 0xff);
    case EventKind::kExec:
    case EventKind::kUnlink: return l.add_text(printable(e.path));
    case EventKind::kSignal: return add_signal(l, e);
    case EventKind::kRename: return l.add("{} -> {}", printable(e.path), printable(e.path2));
    case EventKind::kSocketpair:
      l.add("fds={},{}", e.fd, e.fd2);
      if (e.sock_ino) l.add("ino={},{}", e.sock_ino, e.sock_ino2);
      break;
    case EventKind::kAccept:
      l.add("fd={}", e.fd);
      if (e.sock_ino) l.add("ino={}", e.sock_ino);
      l.add("listener={}", e.fd2);
      if (e.sock_ino2) l.add("(ino {})", e.sock_ino2);
      break;
    default:
      l.add("fd={}", e.fd);
      if (e.sock_ino) l.add("ino={}", e.sock_ino);
  }
  l.add_text(family_type(e.family, e.type));
  l.add_text(printable(e.address));
  if (e.peer_ino) l.add("peer={}", e.peer_ino);
  if (!e.fds.empty()) add_inodes(l, e);
  if (e.kind == EventKind::kShutdown) l.add("how={}", e.flags);
  if (e.released()) l.add_text("last");
}

}  // namespace

std::string errno_name(int err) {
  const char* n = ::strerrorname_np(err);  // glibc 2.32+
  return n ? n : fmt::format("E{}", err);
}

std::string family_type(int family, int type) {
  if (!family) return {};
  std::string f = family_name(family);
  if (f == "other") f = fmt::format("af{}", family);
  if (!type) return f;
  return f + "/" + type_name(type);
}

std::string who(const Event& e) {
  if (e.nspid && e.nspid != e.tgid) return fmt::format("{}[{}/{}]", printable(e.comm), e.tgid, e.nspid);
  return fmt::format("{}[{}]", printable(e.comm), e.tgid);
}

std::string result_text(const Event& e) {
  if (e.kind == EventKind::kFork || e.kind == EventKind::kExit || e.kind == EventKind::kSignal) return {};
  if (e.failed()) return fmt::format("= -1 {}", errno_name(e.error()));
  return fmt::format("= {}", e.ret);
}

std::string event_line(const Event& e, const Clock& clock) {
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "{} {} {} ", clock.text(e.ts_ns), who(e), kind_name(e.kind));
  add_details(out, e);
  if (auto r = result_text(e); !r.empty()) fmt::format_to(std::back_inserter(out), " {}", r);
  return fmt::to_string(out);
}

nlohmann::json event_json(const Event& e, const Clock& clock) {
  nlohmann::json j = {
      {"time", clock.iso(e.ts_ns)},
      {"ts_ns", e.ts_ns},
      {"event", kind_name(e.kind)},
      {"pid", e.tgid},
      {"tid", e.tid},
      {"nspid", e.nspid},
      {"ppid", e.ppid},
      {"uid", e.uid},
      {"comm", e.comm},
      {"cgroup_id", e.cgroup_id},
      {"netns", e.netns},
      {"mntns", e.mntns},
  };
  if (e.kind == EventKind::kFork) j["child"] = e.child_tgid;
  if (e.kind == EventKind::kExit) j["exit_status"] = e.exit_status;
  if (e.kind == EventKind::kSignal) {
    const char* abbrev = ::sigabbrev_np(static_cast<int>(e.flags));
    j["signal"] = abbrev ? std::string("SIG") + abbrev : std::to_string(e.flags);
    j["target"] = {{"pid", e.child_tgid}, {"comm", e.path}};
    j["result"] = e.ret;
    return j;
  }
  if (e.stack) {  // --stacks (model/stack.h)
    j["stack"] = stack_json(*e.stack);
    j["stack_complete"] = !e.stack->truncated;
    j["stack_truncated"] = e.stack->truncated;
    j["stack_end"] = e.stack->end;
    if (!e.stack->note.empty()) j["stack_note"] = e.stack->note;
    j["stack_copied"] = e.stack->copied;
    if (e.stack->held) j["stack_held"] = e.stack->held;
  }
  if (e.fd >= 0) j["fd"] = e.fd;
  if (e.fd2 >= 0 || e.fd2 == -100) j["fd2"] = e.fd2;
  if (e.sock_ino) j["inode"] = e.sock_ino;
  if (e.sock_ino2) j[e.kind == EventKind::kBind ? "path_inode" : "inode2"] = e.sock_ino2;
  if (e.peer_ino) j["peer_inode"] = e.peer_ino;
  if (e.family) j["family"] = family_type(e.family, 0);
  if (e.type) j["type"] = type_name(e.type);
  if (!e.address.empty()) j["address"] = e.address;
  if (!e.path.empty()) j["path"] = e.path;
  if (!e.path2.empty()) j["path2"] = e.path2;
  if (!e.fds.empty()) {
    j["scm_fds"] = e.fds;
    j["scm_inodes"] = e.fd_inos;
    j["scm_fds_total"] = e.fds_total;
  }
  if (e.flags) j["flags"] = e.flags;
  if (e.kind != EventKind::kFork && e.kind != EventKind::kExit) {
    j["ret"] = e.ret;
    if (e.failed()) j["errno"] = errno_name(e.error());
  }
  return j;
}

std::string stats_text(const TraceStats& s) {
  auto text = fmt::format("lost events: {} (ring buffer full {}, args map full {}, undecodable {})", s.lost(),
                          s.ringbuf_full, s.args_full, s.bad_records);
  if (s.maps_lost)
    text +=
        fmt::format("; module-map records lost: {} (some stacks of exited processes may lack symbols)", s.maps_lost);
  return text;
}

nlohmann::json stats_json(const TraceStats& s) {
  return {{"lost", s.lost()},
          {"ringbuf_full", s.ringbuf_full},
          {"args_map_full", s.args_full},
          {"undecodable", s.bad_records},
          {"maps_records_lost", s.maps_lost}};
}

}  // namespace sockscope::render
