// SPDX-License-Identifier: GPL-2.0-only
#include "checkpoint/context.h"

#include <cstdio>

#include "base/strings.h"

namespace sockscope::checkpoint {

Context::Context(const Facts& f, const CriuOptions& o) : facts(f), opts(o) {
  for (const auto& t : f.tree) tree_pids.insert(t.pid);
  for (const auto& fd : f.fds) {
    auto ino = bracketed_inode(fd.target, "socket");
    if (!ino) ino = bracketed_inode(fd.target, "pipe");
    if (ino) first_holder.emplace(*ino, &fd);
    if (fd.st.ok) tree_inodes.insert(fd.st.ino);
  }
}

const SocketInfo* Context::socket(uint64_t ino) const {
  auto it = facts.sockets.find(ino);
  return it == facts.sockets.end() ? nullptr : &it->second;
}

std::string Context::comm(int pid) const {
  for (const auto& t : facts.tree)
    if (t.pid == pid) return t.comm;
  return {};
}

Finding Context::start(const std::string& rule, const FdFact& fd, std::string title) const {
  Finding f;
  f.rule = rule;
  f.title = std::move(title);
  f.pid = fd.pid;
  f.fd = fd.fd;
  f.comm = comm(fd.pid);
  f.object = fd.target;
  f.inode = bracketed_inode(fd.target, "socket").value_or(fd.st.ino);
  return f;
}

void add_step(Finding& f, const std::string& engine, const Outcome& o) {
  if (o.message.empty()) return;
  for (const auto& s : f.messages)
    if (s.text == o.message) return;  // the user meets each text once
  f.messages.push_back({engine, o.message});
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string hex_alt(uint64_t v) { return v ? "0x" + hex(v) : "0"; }

}  // namespace sockscope::checkpoint
