// SPDX-License-Identifier: GPL-2.0-only
#include "checkpoint/parse.h"

#include <cstdio>
#include <sstream>

#include "base/strings.h"

namespace sockscope::checkpoint {
namespace {

constexpr std::string_view kDeleted = " (deleted)";

std::optional<uint64_t> parse_hex(const std::string& s) {
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return v;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// "-XX:Name=value" -> value when the flag is Name.
std::optional<std::string> xx_value(const std::string& arg, const std::string& name) {
  std::string prefix = "-XX:" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return std::nullopt;
  return arg.substr(prefix.size());
}

}  // namespace

std::optional<MapFact> parse_maps_line(const std::string& line) {
  // 7f1c2a000000-7f1c2a021000 r--s 00000000 00:1a 12345      /var/cache/nscd/passwd
  std::istringstream in(line);
  std::string range, perms, offset, dev, inode;
  if (!(in >> range >> perms >> offset >> dev >> inode)) return std::nullopt;
  std::string path;
  std::getline(in, path);
  size_t first = path.find_first_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  path = path.substr(first);
  if (path[0] != '/') return std::nullopt;  // [heap], [vdso], anon_inode:...
  size_t dash = range.find('-');
  auto start = parse_hex(range.substr(0, dash));
  auto end = dash == std::string::npos ? std::nullopt : parse_hex(range.substr(dash + 1));
  auto ino = parse_u64(inode);
  if (!start || !end || !ino) return std::nullopt;
  MapFact m;
  m.start = *start;
  m.end = *end;
  m.perms = perms;
  m.inode = *ino;
  if (path.ends_with(kDeleted)) {
    m.deleted = true;
    path.resize(path.size() - kDeleted.size());
  }
  m.path = path;
  return m;
}

std::vector<LockFact> parse_locks(const std::string& text) {
  // 1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF   ("1: -> ..." are waiters)
  std::vector<LockFact> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string id, kind, mode, access, pid, where;
    if (!(ls >> id >> kind) || kind == "->") continue;
    if (!(ls >> mode >> access >> pid >> where)) continue;
    size_t colon = where.rfind(':');
    auto ino = colon == std::string::npos ? std::nullopt : parse_u64(where.substr(colon + 1));
    if (!ino) continue;
    LockFact l;
    l.kind = kind;
    l.access = access;
    l.pid = pid == "-1" ? -1 : static_cast<int>(parse_u64(pid).value_or(0));
    l.inode = *ino;
    out.push_back(l);
  }
  return out;
}

void parse_fdinfo(const std::string& text, FdFact& fd) {
  std::istringstream in(text);
  for (std::string key, value; in >> key >> value;) {
    if (key == "flags:") fd.flags = static_cast<uint32_t>(std::strtoul(value.c_str(), nullptr, 8));
    else if (key == "mnt_id:") fd.mnt_id = static_cast<int>(parse_u64(value).value_or(0));
    else if (key == "lock:") fd.locked = true;
    std::getline(in, value);  // rest of the line (lock:, eventfd-count:, ...)
  }
}

std::vector<int> parse_mount_ids(const std::string& text) {
  std::vector<int> ids;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (auto id = parse_u64(line.substr(0, line.find(' ')))) ids.push_back(static_cast<int>(*id));
  return ids;
}

std::optional<std::string> environ_value(const std::string& environ, const std::string& name) {
  for (const auto& kv : split_nul(environ))
    if (kv.size() > name.size() && kv.compare(0, name.size(), name) == 0 && kv[name.size()] == '=')
      return kv.substr(name.size() + 1);
  return std::nullopt;
}

JvmFacts parse_jvm(const std::vector<std::string>& argv, const std::string& java_tool_options) {
  JvmFacts j;
  std::vector<std::string> args = argv;
  std::istringstream tool(java_tool_options);
  for (std::string w; tool >> w;) args.push_back(w);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("-XX:CRaC", 0) == 0 || a.rfind("-XX:CRAllowed", 0) == 0) j.crac_flags = true;
    // crac_linux.cpp: repeated prefix flags append; old builds say CRAllowed...
    for (const char* name : {"CRaCAllowedOpenFilePrefixes", "CRAllowedOpenFilePrefixes"})
      if (auto v = xx_value(a, name)) {
        j.prefixes_given = true;
        for (auto& p : split_list(*v)) j.allowed_prefixes.push_back(p);
      }
    if (auto v = xx_value(a, "CRaCIgnoredFileDescriptors"))
      for (auto& p : split_list(*v)) j.ignored_fds.push_back(p);
    if (auto v = xx_value(a, "CRaCEngine")) j.engine = *v;
    if (auto v = xx_value(a, "CRaCCheckpointTo")) j.checkpoint_to = *v;
    if ((a == "-cp" || a == "-classpath" || a == "--class-path" || a == "-jar") && i + 1 < args.size()) {
      std::stringstream cp(args[++i]);
      for (std::string e; std::getline(cp, e, ':');) j.classpath.push_back(e);
    }
  }
  // globals_linux.hpp: the Linux default is "/var/lib/sss/mc/" (rulebook section 4).
  if (!j.prefixes_given) j.allowed_prefixes = {"/var/lib/sss/mc/"};
  return j;
}

}  // namespace sockscope::checkpoint
