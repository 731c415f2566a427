// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/listener.h"

#include <sys/stat.h>

#include <charconv>
#include <sstream>

#include "base/strings.h"
#include "procfs/process.h"

namespace sockscope::jvm {

namespace {

constexpr unsigned long kAcceptCon = 0x10000;  // __SO_ACCEPTCON, include/linux/net.h

bool holds_socket(const std::string& proc, int pid, unsigned long inode) {
  auto p = procfs::read_process(proc, pid);
  if (!p) return false;
  for (const auto& fd : p->fds)
    if (bracketed_inode(fd.target, "socket") == inode) return true;
  return false;
}

}  // namespace

const char* listener_state_name(ListenerState s) {
  switch (s) {
    case ListenerState::kUp: return "up";
    case ListenerState::kNotStarted: return "not-started";
    case ListenerState::kPathDeleted: return "path-deleted";
    case ListenerState::kStalePath: return "stale-path";
  }
  return "?";
}

std::string socket_path(const Target& t) { return "/tmp/.java_pid" + std::to_string(t.nspid); }

unsigned long find_unix_listener(const std::string& net_unix, const std::string& path) {
  // "Num RefCount Protocol Flags Type St Inode Path", hex except Inode.
  std::istringstream in(net_unix);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string num, ref, proto, flags, type, st, inode, p;
    if (!(f >> num >> ref >> proto >> flags >> type >> st >> inode >> p)) continue;
    if (p != path && p != path + ".tmp") continue;
    unsigned long fl = 0;
    std::from_chars(flags.data(), flags.data() + flags.size(), fl, 16);
    if ((fl & kAcceptCon) == 0) continue;
    if (auto v = parse_u64(inode)) return *v;
  }
  return 0;
}

ListenerState listener_state(const Target& t, const std::string& proc) {
  std::string dir = proc + "/" + std::to_string(t.pid);
  struct stat st{};
  bool path_is_socket = ::stat((dir + "/root" + socket_path(t)).c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
  // /proc/PID/net/unix shows the path given to bind(), as the JVM saw it:
  // HotSpot binds "<path>.tmp" and then renames it to <path>, so that a
  // client never connects to a half-initialised listener (JDK 6+).
  unsigned long inode = 0;
  if (auto text = read_small_file(dir + "/net/unix")) inode = find_unix_listener(*text, socket_path(t));
  bool alive = inode != 0 && holds_socket(proc, t.pid, inode);
  if (alive) return path_is_socket ? ListenerState::kUp : ListenerState::kPathDeleted;
  return path_is_socket ? ListenerState::kStalePath : ListenerState::kNotStarted;
}

}  // namespace sockscope::jvm
