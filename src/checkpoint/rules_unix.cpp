// SPDX-License-Identifier: GPL-2.0-only
// AF_UNIX rules U1-U14 (rulebook 3.1; UP/CF criu/sk-unix.c) and the
// confirmed behaviour of rulebook section 7.
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <unordered_set>

#include "base/strings.h"
#include "checkpoint/context.h"

namespace sockscope::checkpoint {
namespace {

const char* kExternalUsed = "unix: External socket is used. Consider using --ext-unix-sk option.";

// sk->name as CRIU's "%s" prints it: NULL for unnamed, cut at the NUL of an
// abstract name.
std::string criu_name(const SocketInfo* s) {
  if (!s || s->local.empty()) return "(null)";
  return s->abstract ? "" : s->local;
}

// dump_external_sockets() (UP sk-unix.c ~853-893): an explicit unix[<ino>]
// id wins; then the legacy flag; then stream, then name-less checks.
Outcome external_outcome(const SocketInfo& s, const SocketInfo* peer, const CriuOptions& o) {
  if (o.external_unix.count(s.inode)) return {Verdict::kWarn, ""};  // restore needs --inherit-fd
  if (!o.ext_unix_sk) return {Verdict::kBlock, kExternalUsed};
  if (s.type != SOCK_DGRAM)
    return {Verdict::kBlock, "unix: Can't dump half of stream unix connection. name: " + criu_name(&s) +
                                 "; peer name: " + criu_name(peer)};
  if (!peer || peer->local.empty())
    return {Verdict::kBlock, "unix: Can't dump name-less external socket."};
  return {Verdict::kOk, ""};
}

void fill_origin(const Context& ctx, Finding& f, const SocketInfo& s, const SocketInfo* peer) {
  if (auto r = ctx.facts.roles.find(s.inode); r != ctx.facts.roles.end()) f.origin.role = r->second;
  f.origin.peer_inode = s.peer_inode;
  if (!peer) return;
  f.origin.peer_path = peer->local;
  f.origin.peer_holders = peer->owners;
}

std::vector<std::string> close_remedy(const std::string& role) {
  if (role.find("sssd") != std::string::npos)
    return {"avoid NSS lookups through sssd before the checkpoint: give the service user a local "
            "/etc/passwd entry and list `files` before `sss` for passwd and group in "
            "/etc/nsswitch.conf, or checkpoint where sssd is not used (a minimal container); "
            "rulebook K1"};
  if (role.find("nscd") != std::string::npos)
    return {"disable nscd caching for this service (`enable-cache passwd no`) or hide "
            "/var/run/nscd/socket from it; rulebook K2"};
  if (role.find("journald") != std::string::npos || role.find("syslog") != std::string::npos)
    return {"for the checkpointing run, log to a file or null instead of the journal "
            "(`StandardOutput=file:...`); rulebook K3"};
  return {"close it before the checkpoint (an org.crac.Resource's beforeCheckpoint, or stop the "
          "library that opened it)"};
}

void external_peer(const Context& ctx, const FdFact& fd, const SocketInfo& s, const SocketInfo* peer,
                   std::vector<Finding>& out) {
  bool dgram = s.type == SOCK_DGRAM;
  bool named = peer && !peer->local.empty();
  std::string rule = !dgram ? "U1" : named ? "U2" : "U3";
  Finding f = ctx.start(rule, fd, !dgram ? "external unix stream peer"
                                  : named ? "connected to a named datagram socket outside the tree"
                                          : "connected to a name-less datagram socket outside the tree");
  fill_origin(ctx, f, s, peer);
  f.criu = external_outcome(s, peer, CriuOptions{});
  f.criu_opts = external_outcome(s, peer, ctx.opts);
  add_step(f, "criu", f.criu);
  CriuOptions advised;  // what CRIU's own message tells the user to try
  advised.ext_unix_sk = true;
  add_step(f, "criu --ext-unix-sk", external_outcome(s, peer, advised));
  std::string ino = std::to_string(s.inode), n = std::to_string(fd.fd);
  std::string other = f.origin.role.empty() ? std::string("a process outside the checkpoint")
                                            : f.origin.role;
  if (rule == "U1") {
    f.plain = "this socket is one end of a private stream connection with " + other +
              "; CRIU saves only processes of the dumped tree and cannot save the other end";
    f.remedy = close_remedy(f.origin.role);
  } else if (rule == "U2") {
    f.plain = "a one-way datagram socket to " + other + "; it can be reconnected by name after restore";
    f.remedy = {"dump and restore with `--ext-unix-sk` (CRAC_CRIU_OPTS=--ext-unix-sk applies to both)"};
  } else {
    f.plain = "connected to an anonymous socket outside the tree: there is nothing to reconnect to";
    f.remedy = {"close it before the checkpoint"};
  }
  f.remedy.push_back("last resort: dump with `--external unix[" + ino + "]` (CRaC: CRAC_CRIU_OPTS=\"--external unix[" +
                     ino + "]\") and restore with `--inherit-fd fd[" + n + "]:socket:[" + ino +
                     "]`, passing a fresh socket as fd " + n + " of `criu restore`; without it the "
                     "restored socket is not connected (criu #1200)");
  if (f.criu_opts.verdict == Verdict::kWarn && f.criu_opts.message.empty())
    f.criu_opts.message = "restore needs --inherit-fd fd[" + n + "]:socket:[" + ino + "]";
  out.push_back(std::move(f));
}

// Rulebook section 7: a connection from outside that the listener had not
// accepted yet is dropped by the dump without any message. U5 (UP >= 3.18):
// a client that already closed blocks the dump.
void listener(const Context& ctx, const FdFact& fd, const SocketInfo& s, std::vector<Finding>& out) {
  std::vector<Owner> outside;
  int count = 0;
  for (uint64_t c : s.pending) {
    if (c == 0) {
      Finding f = ctx.start("U5", fd, "a client closed before its connection was accepted");
      f.criu = f.criu_opts = {Verdict::kBlock, "unix: Found a closed in-flight socket to " + hex_alt(s.inode)};
      add_step(f, "criu", f.criu);
      f.plain = "a client connected and hung up before this listener accepted it (CRIU 3.18+ refuses; "
                "3.17 and CRaC's CRIU lose it silently)";
      f.remedy = {"accept (drain) pending connections or close the listener before the checkpoint"};
      out.push_back(std::move(f));
      continue;
    }
    if (ctx.held_by_tree(c)) continue;  // in-flight inside the tree: dumped (U6 is the client's)
    ++count;
    if (const SocketInfo* cl = ctx.socket(c)) outside.insert(outside.end(), cl->owners.begin(), cl->owners.end());
  }
  if (count == 0) return;
  // "S7": not a numbered rule; rulebook section 7 confirmed it by real dumps.
  Finding f = ctx.start("S7", fd, "pending connection from outside will be lost");
  f.criu = f.criu_opts = {Verdict::kWarn, ""};
  f.origin.peer_holders = outside;
  f.origin.peer_path = s.local;
  f.plain = std::to_string(count) + " connection(s) to " + (s.local.empty() ? "this listener" : s.local) +
            " from outside the tree were not accepted yet; the dump succeeds and drops them without "
            "any message, so those clients see their connection reset";
  f.remedy = {"accept the pending connections (or stop clients from connecting) before the checkpoint"};
  out.push_back(std::move(f));
}

void notes(const Context& ctx, const FdFact& fd, const SocketInfo& s, std::vector<Finding>& out) {
  if (s.path_state == PathState::kUnlinked || s.path_state == PathState::kReplaced) {
    Finding f = ctx.start("U11", fd, "socket file was deleted");
    f.messages.push_back({"criu (info)", "unix: Dropping path " + s.local + " for unlinked sk " + hex_alt(s.inode)});
    f.plain = "the socket's file " + s.local + " no longer names it; CRIU rebinds and unlinks it at restore";
    out.push_back(std::move(f));
  }
  if (s.abstract) {
    Finding f = ctx.start("U12", fd, "abstract socket name");
    f.criu = f.criu_opts = {Verdict::kWarn, ""};
    f.plain = "abstract names live in the network namespace: restore fails if " + s.local +
              " is taken in the namespace it is restored into";
    f.remedy = {"restore into the same network namespace after the original is gone, or a fresh one"};
    out.push_back(std::move(f));
  }
}

bool in_flight_holderless(const Context& ctx, const SocketInfo* peer) {
  if (!peer || !peer->owners.empty()) return false;
  // Sent with SCM_RIGHTS and not received yet: CRIU dumps it with the
  // queue (sk-queue.c dump_scm_rights) when a tree socket has queued data.
  for (const auto& [ino, fd] : ctx.first_holder)
    if (const SocketInfo* s = ctx.socket(ino); s && s->family == AF_UNIX && s->rqueue > 0) return true;
  return false;
}

void block(const Context& ctx, const FdFact& fd, const char* rule, std::string title, std::string msg,
           std::string plain, std::vector<Finding>& out) {
  Finding f = ctx.start(rule, fd, std::move(title));
  f.criu = f.criu_opts = {Verdict::kBlock, std::move(msg)};
  add_step(f, "criu", f.criu);
  f.plain = std::move(plain);
  f.remedy = {"close it, or retry the checkpoint a moment later"};
  out.push_back(std::move(f));
}

void one_socket(const Context& ctx, const FdFact& fd, const SocketInfo& s, std::vector<Finding>& out) {
  std::string ino = std::to_string(s.inode);
  if (s.type != SOCK_STREAM && s.type != SOCK_DGRAM && s.type != SOCK_SEQPACKET)
    return block(ctx, fd, "U14", "unsupported unix socket type",
                 "unix: Unsupported type (" + std::to_string(s.type) + ") on socket " + ino + ".",
                 "CRIU cannot save this kind of socket", out);
  if (s.state != TCP_ESTABLISHED && s.state != TCP_CLOSE && s.state != TCP_LISTEN)
    return block(ctx, fd, "U14", "unix socket in a passing state",
                 "unix: Unknown state " + std::to_string(s.state) + " for unix socket " + ino,
                 "the socket is in the middle of a state change CRIU cannot save", out);
  notes(ctx, fd, s, out);
  if (s.state == TCP_LISTEN) return listener(ctx, fd, s, out);
  if (s.peer_inode == 0) {
    auto l = ctx.facts.listener_of.find(s.inode);
    const SocketInfo* lst = l == ctx.facts.listener_of.end() ? nullptr : ctx.socket(l->second);
    if (!lst) return;  // unconnected, or the peer closed (UNIX_DIAG_SHUTDOWN is not decoded: U8 unchecked)
    if (lst->state != TCP_LISTEN)
      return block(ctx, fd, "U7", "half-made connection", "unix: In-flight connection on non-listening socket " +
                   std::to_string(lst->inode), "an inconsistent half-made connection", out);
    if (s.wqueue > 0)
      return block(ctx, fd, "U6", "data sent on a connection not yet accepted",
                   "unix: Non-empty write queue on an in-flight socket " + hex_alt(s.inode),
                   "the connection was not accepted yet but data was already sent (CRIU 3.18+)", out);
    return;
  }
  const SocketInfo* peer = ctx.socket(s.peer_inode);
  if (ctx.held_by_tree(s.peer_inode) || in_flight_holderless(ctx, peer)) {
    // U9: a DGRAM peer in the tree that talks to someone else and has no name.
    if (s.type == SOCK_DGRAM && peer && peer->peer_inode != s.inode && peer->peer_inode != 0 && peer->local.empty())
      block(ctx, fd, "U9", "unreachable datagram peer", "unix: Unix socket " + ino + " with unreachable peer " +
            std::to_string(peer->inode) + " (" + std::to_string(peer->peer_inode) + ")",
            "connected to an anonymous datagram socket that talks to someone else", out);
    return;  // U4: both ends are dumped
  }
  external_peer(ctx, fd, s, peer, out);
}

}  // namespace

void unix_rules(const Context& ctx, std::vector<Finding>& out) {
  std::unordered_set<uint64_t> seen;
  for (const auto& fd : ctx.facts.fds) {
    auto ino = bracketed_inode(fd.target, "socket");
    if (!ino || !seen.insert(*ino).second) continue;  // CRIU judges each socket once
    const SocketInfo* s = ctx.socket(*ino);
    if (s && s->family == AF_UNIX) one_socket(ctx, fd, *s, out);
  }
}

}  // namespace sockscope::checkpoint
