// SPDX-License-Identifier: GPL-2.0-only
// Internal to the rules: the facts plus indexes every rule needs (which
// sockets the tree holds, who holds what), and the rule entry points.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "checkpoint/facts.h"
#include "checkpoint/finding.h"
#include "checkpoint/options.h"

namespace sockscope::checkpoint {

struct Context {
  const Facts& facts;
  const CriuOptions& opts;  // effective: --criu-opts + CRAC_CRIU_OPTS
  std::unordered_set<int> tree_pids;
  std::unordered_map<uint64_t, const FdFact*> first_holder;  // socket/pipe ino -> first tree fd
  std::unordered_set<uint64_t> tree_inodes;                  // fstat inodes of tree fds

  Context(const Facts& f, const CriuOptions& o);
  bool in_tree(int pid) const { return tree_pids.count(pid) != 0; }
  // A socket some task of the tree holds (TREE_SOCK, rulebook section 2).
  bool held_by_tree(uint64_t ino) const { return first_holder.count(ino) != 0; }
  const SocketInfo* socket(uint64_t ino) const;
  std::string comm(int pid) const;
  // The finding's subject: pid, fd, comm, object.
  Finding start(const std::string& rule, const FdFact& fd, std::string title) const;
};

// Each adds its findings; `criu_opts` outcomes use ctx.opts, `criu` outcomes
// the empty option set.
void unix_rules(const Context& ctx, std::vector<Finding>& out);
void inet_rules(const Context& ctx, std::vector<Finding>& out);
void other_socket_rules(const Context& ctx, std::vector<Finding>& out);
void file_rules(const Context& ctx, std::vector<Finding>& out);
void lock_rules(const Context& ctx, std::vector<Finding>& out);
void map_rules(const Context& ctx, std::vector<Finding>& out);
void tree_rules(const Context& ctx, std::vector<Finding>& out);
// The JVM's check_fds over the target's fds; annotates or adds findings.
void jvm_rules(const Context& ctx, std::vector<Finding>& out);

// Rules put the CRIU steps in Finding::messages (plain dump first, then the
// dump after following CRIU's own advice); evaluate() adds the JVM's message
// in front and the given options' message at the end.
void add_step(Finding& f, const std::string& engine, const Outcome& o);

// printf-style hex as CRIU prints %x and %#x.
std::string hex(uint64_t v);
std::string hex_alt(uint64_t v);

}  // namespace sockscope::checkpoint
