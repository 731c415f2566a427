// SPDX-License-Identifier: GPL-2.0-only
// CRaC's own check before CRIU runs: VM_Crac::check_fds() walks the JVM's
// /proc/self/fd only (not children, not mappings): rulebook 1.2, 3.6, 4.
// From outside we cannot tell a descriptor Java code claimed from one native
// code opened, so a BAD here means "blocks unless closed or allowed".
#include <sys/socket.h>
#include <sys/stat.h>

#include "base/escape.h"
#include "base/strings.h"
#include "checkpoint/context.h"

namespace sockscope::checkpoint {
namespace {

// check_fds' type= (stat mode), and the exception stat2stfail picks for it.
const char* type_of(const FdFact& fd) {
  if (fd.target.rfind("socket:", 0) == 0) return "socket";
  if (fd.target.rfind("pipe:", 0) == 0) return "fifo";
  if (!fd.st.ok) return fd.target.rfind("/", 0) == 0 ? "regular" : "unknown";
  switch (fd.st.mode & S_IFMT) {
    case S_IFREG: return "regular";
    case S_IFDIR: return "directory";
    case S_IFLNK: return "symlink";
    case S_IFCHR: return "character";
    case S_IFBLK: return "block";
    case S_IFIFO: return "fifo";
    default: return "unknown";
  }
}

const char* exception_of(const std::string& type) {
  if (type == "socket") return "CheckpointOpenSocketException";
  if (type == "fifo" || type == "unknown") return "CheckpointOpenResourceException";
  return "CheckpointOpenFileException";
}

// PR #142: the JVM appends ",port=" from getsockname() into a sockaddr_in;
// for a bound unix socket that is sun_path[0..1], for an unbound one garbage.
std::string path_text(const Context& ctx, const FdFact& fd) {
  auto ino = bracketed_inode(fd.target, "socket");
  const SocketInfo* s = ino ? ctx.socket(*ino) : nullptr;
  if (!s) return fd.target;
  if (s->family == AF_INET || s->family == AF_INET6)
    return fd.target + ",port=" + s->local.substr(s->local.rfind(':') + 1);
  if (s->family == AF_UNIX && s->local.size() >= 2)
    return fd.target + ",port=" + std::to_string((uint8_t(s->abstract ? 0 : s->local[0]) << 8) | uint8_t(s->local[1]));
  return fd.target;
}

// First match wins, in check_fds' order; "" means BAD.
std::string ok_reason(const Context& ctx, const FdFact& fd) {
  const JvmFacts& j = ctx.facts.jvm;
  std::string n = std::to_string(fd.fd);
  if (fd.fd <= 2) return "OK: inherited from process env";
  for (const auto& i : j.ignored_fds)
    if (i == n || i == fd.target) return "OK: inherited from process env";
  auto ino = bracketed_inode(fd.target, "socket");
  if (const SocketInfo* s = ino ? ctx.socket(*ino) : nullptr; s && s->local.find("/.java_pid") != std::string::npos)
    return "OK: jcmd socket";
  for (const auto& p : j.allowed_prefixes)
    if (fd.target.compare(0, p.size(), p) == 0) return "OK: allowed in -XX:CRaCAllowedOpenFilePrefixes";
  // Derived: the JDK claims its own files (lib/modules, jars of java.class.path).
  if (!j.java_home.empty() && fd.target.rfind(j.java_home + "/", 0) == 0) return "OK: claimed by java code";
  for (const auto& c : j.classpath)
    if (!c.empty() && fd.target == c) return "OK: claimed by java code";
  if (fd.target == "/dev/random" || fd.target == "/dev/urandom") return "OK: claimed by java code";
  return {};
}

std::string prefix_hint(const FdFact& fd) {
  size_t colon = fd.target.find(':');
  if (fd.target[0] != '/' && colon != std::string::npos) return fd.target.substr(0, colon + 1);
  return fd.target.substr(0, fd.target.rfind('/') + 1);
}

Finding* existing(std::vector<Finding>& out, const FdFact& fd) {
  for (auto& f : out)
    if (f.pid == fd.pid && f.fd == fd.fd) return &f;
  return nullptr;
}

}  // namespace

void jvm_rules(const Context& ctx, std::vector<Finding>& out) {
  for (const auto& fd : ctx.facts.fds) {
    if (fd.pid != ctx.facts.target) continue;
    std::string type = type_of(fd), path = path_text(ctx, fd), reason = ok_reason(ctx, fd);
    Outcome jvm = reason.empty()
        ? Outcome{Verdict::kBlock, std::string(exception_of(type)) + ": FD fd=" + std::to_string(fd.fd) +
                                       " type=" + type + " path=" + path}
        : Outcome{Verdict::kOk, "JVM: FD fd=" + std::to_string(fd.fd) + " type=" + type + " path=\"" + path +
                                    "\" " + reason};
    if (Finding* f = existing(out, fd)) {
      f->crac = jvm;
      if (jvm.verdict == Verdict::kBlock)
        f->remedy.push_back("for the JVM's own check only: `" +
                            shell_quote("-XX:CRaCAllowedOpenFilePrefixes=" + prefix_hint(fd)) +
                            "` lets it pass (CRIU's verdict above still applies)");
      continue;
    }
    if (jvm.verdict == Verdict::kOk) continue;
    Finding f = ctx.start("J1", fd, "descriptor the JVM's checkpoint check refuses");
    f.crac = jvm;
    f.plain = "CRIU could save it, but CRaC's JVM refuses to checkpoint with a descriptor that neither "
              "Java code claimed nor a flag allows";
    f.remedy = {"close it before the checkpoint (an org.crac.Resource, or -Djdk.crac.resource-policies "
                "for descriptors Java code opened)",
                "if native code opened it: `-XX:CRaCAllowedOpenFilePrefixes=" + prefix_hint(fd) +
                    "` (then CRIU's rules decide)"};
    out.push_back(std::move(f));
  }
}

}  // namespace sockscope::checkpoint
