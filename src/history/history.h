// SPDX-License-Identifier: GPL-2.0-only
// The recorder's history (issue #14): what sockscope kept of sockets and
// processes while nobody was asking, in SQLite (WAL), and the questions every
// command asks of it. The recorder (src/recorder) is the one writer; fd,
// checkpoint, doctor and history read. Passive types here; store.h writes,
// reader.h reads. Names, paths and addresses are kept as the bytes they are
// (BLOB columns); render/ escapes them when shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/event.h"
#include "model/stack.h"

namespace sockscope::history {

// Where the running recorder says which database it writes (one line: the
// absolute path), and its pid (recorder.pid); both removed on a clean stop.
inline constexpr const char* kRunDir = "/run/sockscope";
inline constexpr const char* kDefaultDb = "/var/lib/sockscope/history.db";

// One event as stored: the model event (its `stack` holds the frames,
// symbolized while the process lived; `raw_stack` is never stored) and its
// wall-clock time. Event::ts_ns stays CLOCK_MONOTONIC of that boot.
struct Recorded {
  Event event;
  int64_t wall_ns = 0;
};

// A process as the recorder saw it (first sight, exec): what Event lacks.
struct ProcessInfo {
  uint32_t pid = 0;
  uint64_t start_ticks = 0;  // /proc/PID/stat field 22: with pid and boot, names one process
  uint32_t ppid = 0;
  std::string comm;
  std::string exe;     // readlink /proc/PID/exe, bytes
  std::string argv;    // /proc/PID/cmdline, NUL-separated bytes
  std::string cgroup;  // /proc/PID/cgroup (v2 path), bytes
  uint32_t netns = 0;
  int64_t wall_ns = 0;  // when seen
};

// A socket that existed when the recorder started: its creator is unknown,
// and the history says so rather than guessing.
struct SnapshotSocket {
  uint64_t inode = 0;
  uint64_t cookie = 0;  // sock_diag cookie; 0 when the kernel gives none
  int family = 0;
  int type = 0;
  int protocol = 0;
  uint32_t netns = 0;
  std::string address;  // as model Event::address
  uint64_t peer_ino = 0;
  struct Holder {
    uint32_t pid = 0;
    int fd = -1;
    std::string comm;
  };
  std::vector<Holder> holders;
  int64_t wall_ns = 0;  // when the snapshot was taken
};

// Events the kernel side could not deliver between two times.
struct Gap {
  int64_t from_wall_ns = 0;
  int64_t to_wall_ns = 0;
  uint64_t lost = 0;
  std::string cause;  // "ring buffer full", "recorder not running", "disk full", ...
};

// One run of the recorder on this database.
struct Session {
  int64_t id = 0;
  uint32_t pid = 0;
  std::string boot_id;
  int64_t started_wall_ns = 0;
  int64_t last_wall_ns = 0;     // last heartbeat or commit
  int64_t stopped_wall_ns = 0;  // 0: running, or killed (then last_wall_ns bounds it)
};

// One socket's life as recorded, oldest event first.
struct SocketHistory {
  std::string boot_id;
  uint64_t inode = 0;
  uint64_t cookie = 0;
  int64_t created_wall_ns = 0;
  bool from_snapshot = false;       // existed at the recorder's start: no creator known
  std::optional<Recorded> created;  // socket/socketpair/accept event, with its stack
  std::optional<ProcessInfo> creator;
  std::optional<SnapshotSocket> snapshot;
  std::vector<Recorded> events;  // bind, listen, connect, accept on it, shutdown, close...
  int64_t closed_wall_ns = 0;    // 0: not seen closed
};

// Why there is no record of a socket, in the order a reader checks them.
enum class Missing {
  kNoDatabase,  // no database at the path
  kNotRunning,  // no session covered the time the socket could have been made
  kLost,        // a gap covers that time (Gap gives count and range)
  kOtherBoot,   // the database holds another boot only
  kUnknown,     // recorder ran throughout, no gap: not a socket it could see
};

struct Explanation {
  Missing why = Missing::kUnknown;
  std::vector<Session> sessions;  // this boot's sessions
  std::vector<Gap> gaps;          // overlapping the window asked about
};

// What `recorder status` and `history` print about the database.
struct Status {
  std::string path;
  int schema_version = 0;
  uint64_t file_bytes = 0;  // main file + -wal
  uint64_t events = 0;
  uint64_t sockets = 0;
  uint64_t stacks = 0;      // distinct stacks stored
  uint64_t lost = 0;        // sum of gaps' counts
  uint64_t not_stored = 0;  // events the writer could not store (disk full...)
  std::optional<Session> last_session;
};

// A `history` query; empty fields match everything.
struct Query {
  std::optional<uint32_t> pid;
  std::optional<std::string> path_glob;  // fnmatch on addresses and paths
  std::optional<uint64_t> inode;
  int64_t since_wall_ns = 0;
  size_t limit = 1000;
};

}  // namespace sockscope::history
