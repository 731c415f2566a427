// SPDX-License-Identifier: GPL-2.0-only
// What the checkpoint rules look at: plain data about one process tree,
// gathered by collect/checkpoint_facts.cpp (live or from a fixture) or built by tests.
// Nothing here does I/O; every field says where the collector reads it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/socket.h"

namespace sockscope::checkpoint {

// One process of the dumped tree (CRIU dumps the target and every
// descendant: rulebook section 2 "Tree").
struct TaskFact {
  int pid = 0;
  int ppid = 0;
  std::string comm;
  uint64_t netns = 0;
  uint64_t mntns = 0;
  bool kernel_thread = false;  // PF_KTHREAD in /proc/PID/stat (T1)
};

// stat(2) of an object; ok=false when it could not be looked at (replays).
struct FileStat {
  bool ok = false;
  uint32_t mode = 0;  // st_mode
  uint64_t dev = 0, ino = 0, rdev = 0, nlink = 1, size = 0, blocks = 0;
};

// What a regular file's path names now, seen from the holder's root (R3/R5).
enum class PathNow { kNotChecked, kSame, kMissing, kOther };

struct FdFact {
  int pid = 0;
  int fd = -1;
  std::string target;     // readlink of /proc/PID/fd/N
  FileStat st;            // stat of /proc/PID/fd/N (the object itself)
  uint32_t flags = 0;     // fdinfo "flags:" (octal)
  int mnt_id = -1;        // fdinfo "mnt_id:"; -1 unknown
  bool mnt_known = true;  // mnt_id is listed in the task's mountinfo (R6)
  bool locked = false;    // fdinfo has a "lock:" line (R13)
  PathNow path_now = PathNow::kNotChecked;
  FileStat path_st;  // with kOther: what the path names now
};

// One line of /proc/PID/maps that maps a file, with its map_files stat.
struct MapFact {
  int pid = 0;
  uint64_t start = 0, end = 0;
  std::string perms;  // "r--s"
  uint64_t inode = 0;
  std::string path;  // without " (deleted)"
  bool deleted = false;
  FileStat st;          // stat of /proc/PID/map_files/START-END
  bool has_fd = false;  // some fd in the tree holds the same file
};

// One line of /proc/locks held by a task of the tree (R13).
struct LockFact {
  int pid = 0;
  std::string kind;    // FLOCK, POSIX, OFDLCK, LEASE
  std::string access;  // READ, WRITE
  uint64_t inode = 0;
};

// A socket held by the tree but in no unix/inet dump (netlink, packet, raw,
// vsock...): its family from getsockopt(SO_DOMAIN) through pidfd_getfd().
struct OtherSocketFact {
  int domain = -1;  // -1: unknown
  int type = 0;
  int protocol = 0;
  bool netlink_known = false;  // a /proc/net/netlink line was found
  uint64_t nl_rmem = 0;
  uint32_t nl_groups = 0;
  uint32_t nl_portid = 0;
};

// The target as a JVM: flags from its cmdline and JAVA_TOOL_OPTIONS.
struct JvmFacts {
  bool is_jvm = false;      // libjvm.so is mapped
  bool crac_flags = false;  // any -XX:CRaC* / -XX:CRAllowed* flag
  bool prefixes_given = false;
  std::vector<std::string> allowed_prefixes;  // CRaCAllowedOpenFilePrefixes
  std::vector<std::string> ignored_fds;       // CRaCIgnoredFileDescriptors: numbers or paths
  std::string engine;                         // CRaCEngine (criu, warp, ...)
  std::string checkpoint_to;
  std::string java_home;  // from libjvm.so's path
  std::vector<std::string> classpath;
};

struct Facts {
  int target = 0;
  std::vector<TaskFact> tree;  // target first
  std::vector<FdFact> fds;     // every fd of every task of the tree
  // The tree's sockets, their peers, their listeners and pending clients,
  // as the inventory joined them (owners are every holder, in or out).
  std::unordered_map<uint64_t, SocketInfo> sockets;
  std::unordered_map<uint64_t, uint64_t> listener_of;  // pending client -> listener
  std::unordered_map<uint64_t, std::string> roles;     // socket -> role name of its other end
  std::unordered_map<uint64_t, OtherSocketFact> other_sockets;
  std::unordered_map<uint64_t, std::vector<Owner>> pipe_holders;  // pipe ino -> every holder
  std::vector<MapFact> maps;
  std::vector<LockFact> locks;
  JvmFacts jvm;
  std::string crac_criu_opts;  // CRAC_CRIU_OPTS from the target's environ
  std::vector<Diagnostic> diagnostics;
};

}  // namespace sockscope::checkpoint
