// SPDX-License-Identifier: GPL-2.0-only
// Readers for /proc under an injectable root, so that unit tests can replay a
// recorded snapshot (tests/fixtures/*/proc) with the same code.
//
// A snapshot holds, per pid: `comm`, `fd/N` and `ns/{net,mnt,pid}` as
// symlinks with the text the kernel gives (readlink works on both), and
// optionally `status`. Nothing here follows a link's target, so no snapshot
// needs the real objects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/socket.h"

namespace sockscope::procfs {

struct FdEntry {
  int fd = -1;
  std::string target;  // readlink text: "socket:[123]", "/etc/passwd", "anon_inode:[eventfd]"
};

struct Process {
  int pid = 0;
  std::string comm;
  uint64_t netns = 0;  // 0 if unreadable
  uint64_t mntns = 0;
  std::string container;  // 64-hex container id from the cgroup path (procfs/cgroup.h); empty: none
  std::vector<FdEntry> fds;
};

struct Scan {
  std::vector<Process> processes;
  std::vector<Diagnostic> diagnostics;
};

// All numeric entries of `root`, ascending.
std::vector<int> list_pids(const std::string& root);

// One process: comm, namespaces and every fd. Errors: ENOENT (gone),
// EACCES (not ours to read).
Result<Process> read_process(const std::string& root, int pid);

// read_process for every pid (or only `pids` when not empty); failures become
// diagnostics with hints, never missing silently.
Scan scan(const std::string& root, const std::vector<int>& pids = {});

// The text of a namespace link: ns_inode(root, pid, "net") -> 4026531840.
std::optional<uint64_t> ns_inode(const std::string& root, int pid, const char* ns);

// argv of the process (/proc/PID/cmdline); empty if gone or a kernel thread.
std::vector<std::string> read_cmdline(const std::string& root, int pid);

// The /proc/PID/exe link (the executable's path); empty if unreadable.
std::string read_exe(const std::string& root, int pid);

// The NUL-separated /proc/PID/environ text; empty if unreadable.
std::string read_environ(const std::string& root, int pid);
// The value of NAME in environ text; nullopt if absent.
std::optional<std::string> environ_value(const std::string& environ, const std::string& name);

// Children of every thread of the process (/proc/PID/task/*/children).
std::vector<int> read_children(const std::string& root, int pid);
// `pid` and all its descendants, breadth first, `pid` first. Just {pid} in a
// snapshot that did not record task/.
std::vector<int> process_tree(const std::string& root, int pid);

// Task comm (without trailing newline); empty if unreadable.
std::string read_comm(const std::string& root, int pid);

// "Tgid", "PPid", "Uid" ... lines of /proc/PID/status; "NSpid" keeps all fields.
std::optional<std::string> status_field(const std::string& root, int pid, const std::string& key);
// The same from status text already read (several fields, one read).
std::optional<std::string> status_value(const std::string& status_text, const std::string& key);
// Whether signal `sig` is in a SigCgt/SigBlk/SigIgn/SigPnd/ShdPnd hex mask.
bool in_sigmask(const std::string& hex, int sig);

// The /proc/PID/stat fields this tool reads (proc(5) numbering).
struct StatFields {
  int ppid = 0;              // 4
  uint64_t flags = 0;        // 9: PF_* of the task
  uint64_t start_ticks = 0;  // 22: clock ticks after boot
};
// include/linux/sched.h: the task is a kernel thread (no mm; ptrace refuses it).
constexpr uint64_t kPfKthread = 0x00200000;
// Fields are counted from the last ')': a comm may hold ')' and spaces.
std::optional<StatFields> parse_stat(const std::string& text);
std::optional<StatFields> read_stat(const std::string& root, int pid);

}  // namespace sockscope::procfs
