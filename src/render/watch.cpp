// SPDX-License-Identifier: GPL-2.0-only
#include "render/watch.h"

#include <fmt/format.h>

#include "render/escape.h"
#include "render/schema.h"

namespace sockscope::render {
std::string command_text(const lineage::ProcNode& p) {
  // Shell words (printable: shell_quote() leaves no control byte), so that
  // an argument with a space or a newline cannot pass for two or forge a line.
  std::string cmd;
  for (const auto& a : p.argv) cmd += (cmd.empty() ? "" : " ") + shell_quote(a);
  if (p.argv.empty()) cmd = p.exe.empty() ? "[" + printable(p.comm) + "]" : printable(p.exe);
  if (cmd.size() <= 160) return cmd;
  size_t cut = 157;
  while (cut > 0 && (static_cast<unsigned char>(cmd[cut]) & 0xc0) == 0x80) --cut;  // not inside a character
  return cmd.substr(0, cut) + "...";
}

namespace {

std::string inode_text(uint64_t ino) { return ino ? std::to_string(ino) : "none"; }

std::string node_text(const lineage::ProcNode& p) {
  std::string pid = p.nspid && p.nspid != p.pid ? fmt::format("{}/{}", p.pid, p.nspid) : std::to_string(p.pid);
  return fmt::format("{}[{}] {}{}", printable(p.comm), pid, command_text(p), p.exited ? " (exited)" : "");
}

}  // namespace

std::string touch_head_text(const watch::Touch& t, const Clock& clock) {
  const auto& e = t.event;
  // A rename names both ends, whichever of them is the watched path.
  std::string what = e.kind == EventKind::kRename && !e.path2.empty() ? printable(e.path) + " -> " + printable(e.path2)
                                                                      : printable(t.path);
  std::string out = fmt::format("{} {} {} {} by {}", clock.text(e.ts_ns), kind_name(e.kind), what,
                                render::result_text(e), render::who(e));
  if (t.ino_before != t.ino_after)
    out += fmt::format(" (path inode {} -> {})", inode_text(t.ino_before), inode_text(t.ino_after));
  else if (t.ino_before) out += fmt::format(" (path inode {})", t.ino_before);
  return out + "\n";
}

std::string lineage_text(const std::vector<lineage::ProcNode>& chain) {
  std::string out;
  for (size_t i = 0; i < chain.size(); ++i)
    out += fmt::format("    {} {}\n", i == 0 ? "process" : "  from ", node_text(chain[i]));
  if (!chain.empty() && !chain[0].cgroup.empty()) {
    out += "    cgroup  " + printable(chain[0].cgroup);
    if (!chain[0].container.empty()) out += " (container " + printable(chain[0].container.substr(0, 12)) + ")";
    out += "\n";
  }
  return out;
}

std::string lineage_seen_text(const watch::Touch& t) {
  return fmt::format("    process {}[{}] (lineage as above)\n", printable(t.event.comm), t.event.tgid);
}

std::string touch_text(const watch::Touch& t, const Clock& clock) {
  return touch_head_text(t, clock) + lineage_text(t.lineage);
}

nlohmann::json lineage_json(const std::vector<lineage::ProcNode>& chain) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& p : chain)
    a.push_back({{"pid", p.pid},
                 {"nspid", p.nspid},
                 {"ppid", p.ppid},
                 {"comm", p.comm},
                 {"exe", p.exe},
                 {"argv", p.argv},
                 {"cgroup", p.cgroup},
                 {"container", p.container.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.container)},
                 {"exited", p.exited}});
  return a;
}

std::string touch_json_line(const watch::Touch& t, const Clock& clock, const std::string& lineage_json_text) {
  nlohmann::json j = document(render::event_json(t.event, clock));  // a stream line: with "schema"
  j["watched_path"] = t.path;
  j["inode_before"] = t.ino_before ? nlohmann::json(t.ino_before) : nlohmann::json(nullptr);
  j["inode_after"] = t.ino_after ? nlohmann::json(t.ino_after) : nlohmann::json(nullptr);
  std::string line = dump(std::move(j));
  if (lineage_json_text.empty()) return line;
  line.pop_back();  // the closing brace
  return line + ",\"lineage\":" + lineage_json_text + "}";
}

nlohmann::json touch_json(const watch::Touch& t, const Clock& clock) {
  nlohmann::json j = render::event_json(t.event, clock);
  j["watched_path"] = t.path;
  j["inode_before"] = t.ino_before ? nlohmann::json(t.ino_before) : nlohmann::json(nullptr);
  j["inode_after"] = t.ino_after ? nlohmann::json(t.ino_after) : nlohmann::json(nullptr);
  j["lineage"] = lineage_json(t.lineage);
  return j;
}

}  // namespace sockscope::render
