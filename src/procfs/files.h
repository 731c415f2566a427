// SPDX-License-Identifier: GPL-2.0-only
// What /proc says about a process's open files beyond the fd links
// (process.h): fdinfo, mount ids, file locks, and stat(2) of the objects
// behind fd/, map_files/ and root/. Parsers are pure (unit-tested with
// recorded text); readers take the /proc root, like process.h.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "procfs/maps.h"

namespace sockscope::procfs {

// /proc/PID/fdinfo/N.
struct FdInfo {
  uint32_t flags = 0;   // "flags:" (octal): O_* of the open file
  int mnt_id = -1;      // "mnt_id:"; -1 unknown
  bool locked = false;  // a "lock:" line (flock/POSIX/OFD lock on this file)
};
FdInfo parse_fdinfo(std::string_view text);
// The defaults (flags 0, mnt_id -1) when unreadable.
FdInfo read_fdinfo(const std::string& root, int pid, int fd);

// The mount ids of /proc/PID/mountinfo (the first field of each line).
std::vector<int> parse_mount_ids(std::string_view text);
std::vector<int> read_mount_ids(const std::string& root, int pid);

// A network namespace pinned by a bind mount of its nsfs file (`ip netns
// add` under /run/netns, or anywhere else): a mountinfo line whose root is
// "net:[INODE]" and whose type is nsfs.
struct NetnsMount {
  uint64_t netns = 0;
  std::string mount_point;  // as the mounting process sees it; the kernel's \ooo escapes undone
};
std::vector<NetnsMount> parse_netns_mounts(std::string_view mountinfo);
std::vector<NetnsMount> read_netns_mounts(const std::string& root, int pid);

// One line of /proc/locks.
struct Lock {
  int pid = 0;         // as the kernel shows it: -1 for OFD locks
  std::string kind;    // FLOCK, POSIX, OFDLCK, LEASE
  std::string access;  // READ, WRITE
  uint64_t inode = 0;
};
// Every lock held; waiters ("N: -> ...") are left out.
std::vector<Lock> parse_locks(std::string_view text);
std::vector<Lock> read_locks(const std::string& root);

// stat(2) of what ROOT/PID/fd/N links to (the object itself, even unlinked).
std::optional<struct stat> stat_fd(const std::string& root, int pid, int fd);
// stat(2) of the file behind a mapping (ROOT/PID/map_files/START-END).
std::optional<struct stat> stat_map_file(const std::string& root, int pid, const Mapping& m);
// stat(2) of `path` as the process sees it, through ROOT/PID/root (its mount ns).
std::optional<struct stat> stat_in_root(const std::string& root, int pid, const std::string& path);

}  // namespace sockscope::procfs
