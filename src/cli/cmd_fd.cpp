// SPDX-License-Identifier: GPL-2.0-only
// sockscope fd PID FD: what this descriptor is, who is on the other end, and
// what the recorder's history says of its birth. sockscope fd 'socket:[INODE]'
// (the text CRaC, lsof and /proc print) does the same without a pid.
#include <fmt/format.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/common.h"
#include "history/answer.h"
#include "inventory/explain.h"
#include "render/escape.h"
#include "render/history.h"
#include "render/inventory.h"
#include "render/schema.h"

namespace sockscope::cli {
namespace {

struct FdArgs {
  std::string target;  // PID, or socket:[INODE]
  int fd = -1;
  std::string db;
  bool no_history = false;
  bool full_stack = false;
};

// Prints the explanation and the socket's history; `history` is empty when
// the descriptor is no socket or --no-history was given.
int print(const CommonOptions& c, const FdArgs& a, const inventory::Inventory& inv, const inventory::FdExplanation* e,
          const std::optional<history::Answer>& history) {
  Clock clock;
  if (c.json) {
    nlohmann::json j = e ? render::fd_json(inv, *e) : nlohmann::json::object();
    if (history) j["history"] = render::answer_json(*history, clock);
    fmt::print("{}\n", render::dump_document(j, 2));
    return kExitOk;
  }
  if (e) fmt::print("{}", render::fd_text(inv, *e, text_style(c.color)));
  if (history) fmt::print("{}", render::answer_text(*history, clock, stack_detail(a.full_stack)));
  return kExitOk;
}

int explain_inode(const CommonOptions& c, const FdArgs& a, uint64_t inode) {
  auto inv = build_inventory(c, {});
  std::optional<history::Answer> h;
  if (!a.no_history) h = history::ask(a.db, inode);
  const SocketInfo* s = inv.find(inode);
  if (s && !s->owners.empty()) {
    const auto& o = s->owners.front();  // fd_text names the other holders
    auto e = inventory::explain_fd(inv, o.pid, o.fd);
    if (e) return print(c, a, inv, &*e, h);
  }
  if (!h || !h->found)
    return fail(
        kExitNotFound, fmt::format("no process holds socket:[{}], and the recorder has no record of it", inode),
        h && h->missing ? render::missing_text(*h->missing) : "is a recorder running? sockscope recorder status");
  fmt::print(stderr, "sockscope: no process holds socket:[{}] now; what the recorder kept:\n", inode);
  return print(c, a, inv, nullptr, h);
}

int explain_pid_fd(const CommonOptions& c, const FdArgs& a, int pid) {
  if (a.fd < 0) return fail(kExitUsage, "give a descriptor number after the pid", "sockscope fd PID FD");
  if (c.replay.empty())
    if (int rc = check_pids({pid}); rc != kExitOk) return rc;
  auto inv = build_inventory(c, {});
  auto e = inventory::explain_fd(inv, pid, a.fd);
  if (!e)
    return fail(kExitNotFound, fmt::format("process {} has no fd {}", pid, a.fd),
                fmt::format("list its descriptors with `ls -l /proc/{}/fd`", pid));
  std::optional<history::Answer> h;
  if (e->socket && !a.no_history && c.replay.empty()) h = history::ask(a.db, e->socket->inode);
  return print(c, a, inv, &*e, h);
}

int run_fd(const CommonOptions& c, const FdArgs& a) {
  if (auto inode = bracketed_inode(a.target, "socket")) return explain_inode(c, a, *inode);
  auto pid = parse_u64(a.target);
  if (!pid || *pid == 0 || *pid > 4194304)
    return fail(kExitUsage, "not a pid or socket:[INODE]: " + a.target,
                "sockscope fd PID FD, or sockscope fd 'socket:[123]'");
  return explain_pid_fd(c, a, static_cast<int>(*pid));
}

}  // namespace

void add_fd(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("fd", "Explain one descriptor of a process: what it is, its peer, who created it");
  auto a = std::make_shared<FdArgs>();
  auto common = add_common(cmd);
  cmd->add_option("PID", a->target, "Process id (as seen from here), or socket:[INODE]")->required();
  cmd->add_option("FD", a->fd, "Descriptor number")->check(whole_number(0, INT32_MAX, "a descriptor number"));
  cmd->add_option("--db", a->db, "Recorder history database (default: the running recorder's)");
  cmd->add_flag("--no-history", a->no_history, "Do not consult the recorder's history");
  add_full_stack_flag(cmd, a->full_stack);
  cmd->callback([&action, a, common] { action = [a, common] { return run_fd(*common, *a); }; });
}

}  // namespace sockscope::cli
