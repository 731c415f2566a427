// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/files.h"

#include <cstdlib>
#include <sstream>

#include "base/strings.h"

namespace sockscope::procfs {
namespace {

std::string pid_dir(const std::string& root, int pid) { return root + "/" + std::to_string(pid); }

std::optional<struct stat> stat_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st;
}

}  // namespace

FdInfo parse_fdinfo(std::string_view text) {
  FdInfo info;
  std::istringstream in{std::string(text)};
  for (std::string key, value; in >> key >> value;) {
    if (key == "flags:") info.flags = static_cast<uint32_t>(std::strtoul(value.c_str(), nullptr, 8));
    else if (key == "mnt_id:") info.mnt_id = static_cast<int>(parse_u64(value).value_or(0));
    else if (key == "lock:") info.locked = true;
    std::getline(in, value);  // rest of the line (lock:, eventfd-count:, ...)
  }
  return info;
}

FdInfo read_fdinfo(const std::string& root, int pid, int fd) {
  return parse_fdinfo(read_small_file(pid_dir(root, pid) + "/fdinfo/" + std::to_string(fd)).value_or(""));
}

std::vector<int> parse_mount_ids(std::string_view text) {
  std::vector<int> ids;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);)
    if (auto id = parse_u64(line.substr(0, line.find(' ')))) ids.push_back(static_cast<int>(*id));
  return ids;
}

std::vector<int> read_mount_ids(const std::string& root, int pid) {
  return parse_mount_ids(read_small_file(pid_dir(root, pid) + "/mountinfo").value_or(""));
}

std::vector<NetnsMount> parse_netns_mounts(std::string_view mountinfo) {
  // 47 27 0:4 net:[4026532174] /tmp/a\040b rw shared:2 - nsfs nsfs rw
  std::vector<NetnsMount> out;
  std::istringstream in{std::string(mountinfo)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string id, parent, dev, root, point, word;
    if (!(ls >> id >> parent >> dev >> root >> point)) continue;
    while (ls >> word && word != "-") {
    }
    std::string fstype;
    if (word != "-" || !(ls >> fstype) || fstype != "nsfs") continue;
    if (auto ino = bracketed_inode(root, "net")) out.push_back({*ino, octal_unescape(point)});
  }
  return out;
}

std::vector<NetnsMount> read_netns_mounts(const std::string& root, int pid) {
  return parse_netns_mounts(read_small_file(pid_dir(root, pid) + "/mountinfo").value_or(""));
}

std::vector<Lock> parse_locks(std::string_view text) {
  // 1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF   ("1: -> ..." are waiters)
  std::vector<Lock> out;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string id, kind, mode, access, pid, where;
    if (!(ls >> id >> kind) || kind == "->") continue;
    if (!(ls >> mode >> access >> pid >> where)) continue;
    size_t colon = where.rfind(':');
    auto ino = colon == std::string::npos ? std::nullopt : parse_u64(where.substr(colon + 1));
    if (!ino) continue;
    Lock l;
    l.kind = kind;
    l.access = access;
    l.pid = pid == "-1" ? -1 : static_cast<int>(parse_u64(pid).value_or(0));
    l.inode = *ino;
    out.push_back(l);
  }
  return out;
}

std::vector<Lock> read_locks(const std::string& root) {
  return parse_locks(read_small_file(root + "/locks").value_or(""));
}

std::optional<struct stat> stat_fd(const std::string& root, int pid, int fd) {
  return stat_of(pid_dir(root, pid) + "/fd/" + std::to_string(fd));
}

std::optional<struct stat> stat_map_file(const std::string& root, int pid, const Mapping& m) {
  return stat_of(pid_dir(root, pid) + "/map_files/" + map_files_name(m));
}

std::optional<struct stat> stat_in_root(const std::string& root, int pid, const std::string& path) {
  return stat_of(pid_dir(root, pid) + "/root" + path);
}

}  // namespace sockscope::procfs
