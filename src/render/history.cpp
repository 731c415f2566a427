// SPDX-License-Identifier: GPL-2.0-only
#include "render/history.h"

#include <fmt/format.h>
#include <time.h>

#include "base/strings.h"
#include "model/socket.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

using nlohmann::json;

const char* creation_call(EventKind k) {
  switch (k) {
    case EventKind::kSocketpair: return "socketpair";
    case EventKind::kAccept: return "accept";
    default: return "socket";
  }
}

std::string creation_line(const history::SocketHistory& h) {
  if (!h.created) {
    std::string holders;
    if (h.snapshot)
      for (const auto& o : h.snapshot->holders)
        holders += fmt::format("{}{}[{}] fd {}", holders.empty() ? "" : ", ", printable(o.comm), o.pid, o.fd);
    return fmt::format("existed when the recorder started ({}); its creator was not recorded{}",
                       wall_text(h.created_wall_ns), holders.empty() ? "" : "; held then by " + holders);
  }
  const Event& e = h.created->event;
  std::string line =
      fmt::format("created {} by {}[{}/{}] via {}({}) = fd {}", wall_text(h.created->wall_ns), printable(e.comm),
                  e.tgid, e.tid, creation_call(e.kind), family_type(e.family, e.type), e.fd);
  if (h.creator) line += fmt::format("\n  process: {} ({})", argv_text(h.creator->argv), printable(h.creator->exe));
  return line;
}

}  // namespace

json argv_json(const std::string& argv) {
  json words = json::array();
  for (auto& w : split_nul(argv)) words.push_back(w);
  return words;
}

std::string argv_text(const std::string& argv) {
  std::string out;
  size_t start = 0;
  while (start < argv.size()) {
    size_t end = argv.find('\0', start);
    if (end == std::string::npos) end = argv.size();
    if (!out.empty()) out += ' ';
    out += printable_command(shell_quote(std::string_view(argv).substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string wall_text(int64_t wall_ns) { return history::wall_text(wall_ns); }

json utc_json(int64_t wall_ns) { return wall_ns ? json(rfc3339(wall_ns)) : json(nullptr); }

std::vector<FlamePath> history_flame_paths(const std::vector<history::SocketHistory>& rows) {
  std::vector<FlamePath> out;
  for (const auto& h : rows)
    if (h.created && h.created->event.stack) out.push_back(flame_path(h.created->event, *h.created->event.stack));
  return out;
}

std::string history_text(const history::SocketHistory& h, const Clock& clock, const std::string& indent,
                         StackDetail detail) {
  std::string out;
  std::string first = creation_line(h);
  size_t pos = 0;
  while (pos <= first.size()) {  // the process line is indented like the rest
    size_t nl = first.find('\n', pos);
    out += indent + first.substr(pos, nl == std::string::npos ? nl : nl - pos) + "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  for (const auto& r : h.events) out += indent + "then " + event_line(r.event, clock) + "\n";
  if (h.created && h.created->event.stack) {
    out += indent + "creation stack:\n";
    out += stack_text(*h.created->event.stack, indent + "    ", detail);
  } else if (h.created) {
    out += indent + "creation stack: not recorded (the recorder ran without stacks)\n";
  }
  return out;
}

json history_json(const history::SocketHistory& h, const Clock& clock) {
  json j{{"inode", h.inode},
         {"boot_id", h.boot_id},
         {"created_ns", h.created_wall_ns},
         {"created", wall_text(h.created_wall_ns)},
         {"created_utc", utc_json(h.created_wall_ns)},
         {"from_snapshot", h.from_snapshot},
         {"closed_ns", h.closed_wall_ns},
         {"closed_utc", utc_json(h.closed_wall_ns)}};
  if (h.cookie) j["cookie"] = h.cookie;
  if (h.created) {
    j["creation"] = event_json(h.created->event, clock);  // with stack, stack_end (docs/json.md)
  }
  if (h.creator)
    j["creator"] = {{"pid", h.creator->pid},
                    {"ppid", h.creator->ppid},
                    {"comm", h.creator->comm},
                    {"exe", h.creator->exe},
                    {"argv", argv_json(h.creator->argv)},
                    {"cgroup", h.creator->cgroup},
                    {"netns", h.creator->netns}};
  if (h.snapshot) {
    json holders = json::array();
    for (const auto& o : h.snapshot->holders) holders.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
    j["snapshot"] = {{"holders", holders}, {"address", h.snapshot->address}, {"peer_inode", h.snapshot->peer_ino}};
  }
  json events = json::array();
  for (const auto& r : h.events) events.push_back(event_json(r.event, clock));
  j["events"] = events;
  return j;
}

std::string missing_text(const history::Explanation& e) { return history::describe(e); }

json missing_json(const history::Explanation& e) {
  static const char* codes[] = {"no_database", "not_running", "lost", "other_boot", "unknown"};
  json gaps = json::array();
  for (const auto& g : e.gaps)
    gaps.push_back({{"from_ns", g.from_wall_ns},
                    {"from_utc", utc_json(g.from_wall_ns)},
                    {"to_ns", g.to_wall_ns},
                    {"to_utc", utc_json(g.to_wall_ns)},
                    {"lost", g.lost},
                    {"cause", g.cause}});
  return {{"why", codes[static_cast<int>(e.why)]}, {"text", missing_text(e)}, {"gaps", gaps}};
}

std::string answer_text(const history::Answer& a, const Clock& clock, StackDetail detail) {
  std::string head = a.where.how.empty() ? "history:" : fmt::format("history ({}):", a.where.how);
  if (!a.error.empty()) return fmt::format("{} cannot read: {}\n", head, a.error);
  if (a.found) return head + "\n" + history_text(*a.found, clock, "  ", detail);
  if (a.missing) return fmt::format("{} no record: {}\n", head, missing_text(*a.missing));
  return {};
}

json answer_json(const history::Answer& a, const Clock& clock) {
  json j{{"database", a.where.path}, {"found_by", a.where.how}};
  if (!a.error.empty()) j["error"] = a.error;
  if (a.found) j["record"] = history_json(*a.found, clock);
  if (a.missing) j["missing"] = missing_json(*a.missing);
  return j;
}

std::string status_text(const history::Status& s, const history::Located& where) {
  std::string out = fmt::format("database: {} ({})\n", printable(s.path), where.how);
  out += where.recorder_pid ? fmt::format("recorder: running, pid {}", where.recorder_pid) : "recorder: not running";
  if (s.last_session && where.recorder_pid) out += ", since " + wall_text(s.last_session->started_wall_ns);
  else if (s.last_session) out += ", last ran until " + wall_text(s.last_session->last_wall_ns);
  out += "\n";
  out += fmt::format("size: {} bytes (schema v{})\n", s.file_bytes, s.schema_version);
  out += fmt::format("stored: {} events, {} sockets, {} distinct stacks\n", s.events, s.sockets, s.stacks);
  out += fmt::format("lost: {} events in recorded gaps; {} events could not be stored\n", s.lost, s.not_stored);
  return out;
}

json status_json(const history::Status& s, const history::Located& where) {
  json j{{"database", s.path},
         {"found_by", where.how},
         {"running", where.recorder_pid != 0},
         {"schema_version", s.schema_version},
         {"bytes", s.file_bytes},
         {"events", s.events},
         {"sockets", s.sockets},
         {"stacks", s.stacks},
         {"lost", s.lost},
         {"not_stored", s.not_stored}};
  if (where.recorder_pid) j["pid"] = where.recorder_pid;
  if (s.last_session)
    j["session"] = {{"pid", s.last_session->pid},
                    {"started_ns", s.last_session->started_wall_ns},
                    {"started_utc", utc_json(s.last_session->started_wall_ns)},
                    {"last_ns", s.last_session->last_wall_ns},
                    {"last_utc", utc_json(s.last_session->last_wall_ns)},
                    {"stopped_ns", s.last_session->stopped_wall_ns},
                    {"stopped_utc", utc_json(s.last_session->stopped_wall_ns)}};
  return j;
}

}  // namespace sockscope::render
