// SPDX-License-Identifier: GPL-2.0-only
// Memory mappings M1-M6 (rulebook 3.5; UP criu/proc_parse.c). The JVM never
// checks mappings; only CRIU does.
#include <sys/stat.h>

#include <set>

#include "checkpoint/context.h"

namespace sockscope::checkpoint {
namespace {

bool nscd_cache(const std::string& path) {
  return path.rfind("/var/cache/nscd/", 0) == 0 || path.rfind("/var/db/nscd/", 0) == 0;
}

// Shared anonymous memory and memfds show as deleted files but are dumped
// as memory, not as ghost files.
bool anon_shmem(const std::string& path) {
  return path.rfind("/memfd:", 0) == 0 || path.rfind("/SYSV", 0) == 0 || path == "/dev/zero" ||
         path.rfind("/[aio]", 0) == 0;
}

Finding start(const Context& ctx, const MapFact& m, const char* rule, std::string title) {
  Finding f;
  f.rule = rule;
  f.title = std::move(title);
  f.pid = m.pid;
  f.comm = ctx.comm(m.pid);
  f.object = hex(m.start) + "-" + hex(m.end) + " " + m.path + (m.deleted ? " (deleted)" : "");
  f.inode = m.inode;
  return f;
}

Outcome ghost(const MapFact& m, uint64_t limit) {
  if (m.st.blocks * 512 > limit)
    return {Verdict::kBlock, "Can't dump ghost file " + m.path + " of " + std::to_string(m.st.size) +
                                 " size, increase limit"};
  return {};
}

void nscd(const Context& ctx, const MapFact& m, std::vector<Finding>& out) {
  Finding f = start(ctx, m, "M5", "nscd's cache is mapped");
  f.criu = f.criu_opts = {Verdict::kWarn, ""};
  f.origin.role = "nscd socket";
  f.origin.peer_path = m.path;
  f.plain = "glibc maps nscd's cache " + m.path + " (nscd passed the descriptor over its socket, then it was "
            "closed). The dump succeeds (rulebook section 7), but after restore the process reads a stale "
            "cache, and restore fails if the file is missing or changed size where it is restored";
  f.remedy = {"disable nscd caching for passwd/group/hosts (`enable-cache passwd no` in /etc/nscd.conf) "
              "or do not expose nscd to the checkpointed process; rulebook K2"};
  out.push_back(std::move(f));
}

void deleted(const Context& ctx, const MapFact& m, std::vector<Finding>& out) {
  Finding f = start(ctx, m, "M2", "mapped file was deleted");
  f.criu = ghost(m, kDefaultGhostLimit);
  f.criu_opts = ghost(m, ctx.opts.ghost_limit);
  add_step(f, "criu", f.criu);
  f.plain = "a mapped file (often a JNI library unpacked to /tmp and deleted) is gone; CRIU must copy "
            "its " + std::to_string(m.st.size) + " bytes into the image, up to --ghost-limit (1 MiB by default)";
  if (f.criu.verdict == Verdict::kBlock)
    f.remedy = {"keep the file on disk (e.g. -Dio.netty.native.deleteLibAfterLoading=false), or dump with "
                "`--ghost-limit " + std::to_string((m.st.blocks * 512 >> 20) + 1) + "M`"};
  out.push_back(std::move(f));
}

void device(const Context& ctx, const MapFact& m, std::vector<Finding>& out) {
  Finding f = start(ctx, m, "M3", "device memory is mapped");
  f.criu = f.criu_opts = {Verdict::kBlock, "Can't handle non-regular mapping on " + std::to_string(m.pid) +
                                               "'s map " + hex(m.start)};
  add_step(f, "criu", f.criu);
  f.plain = "a device's memory (GPU, /dev/mem...) is mapped; CRIU cannot save it";
  f.remedy = {"unmap it and close the device before the checkpoint"};
  out.push_back(std::move(f));
}

}  // namespace

void map_rules(const Context& ctx, std::vector<Finding>& out) {
  std::set<std::pair<int, std::string>> seen;  // one finding per file per process
  for (const auto& m : ctx.facts.maps) {
    if (!seen.emplace(m.pid, m.path).second) continue;
    if (nscd_cache(m.path) && !m.has_fd) nscd(ctx, m, out);
    else if (m.deleted && !anon_shmem(m.path)) deleted(ctx, m, out);
    else if (m.st.ok && S_ISCHR(m.st.mode) && m.path != "/dev/zero") device(ctx, m, out);
  }
}

}  // namespace sockscope::checkpoint
