// SPDX-License-Identifier: GPL-2.0-only
// sockscope history: what the recorder kept, by pid, path, inode and time.
#include <fmt/format.h>
#include <time.h>

#include <limits>

#include "base/clock.h"
#include "base/exit_codes.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/common.h"
#include "cli/pictures.h"
#include "history/locate.h"
#include "history/reader.h"
#include "render/escape.h"
#include "render/history.h"
#include "render/schema.h"

namespace sockscope::cli {
namespace {

struct HistoryArgs {
  std::string db;
  int pid = 0;
  std::string path;
  uint64_t inode = 0;
  std::string since;
  size_t limit = 1000;
  bool json = false;
  bool full_stack = false;
  bool folded = false;
  std::string flamegraph;
};

// "10m" (ago), or local "YYYY-MM-DD HH:MM[:SS]", in wall-clock nanoseconds.
// A time a signed 64-bit count of nanoseconds cannot hold (before 1970, after
// 2262-04-11) is refused: wrapped around, "2999-01-01" matched everything.
std::optional<int64_t> since_ns(const std::string& s) {
  if (auto ago = parse_duration_ns(s)) return clock_ns(CLOCK_REALTIME) - *ago;
  constexpr int64_t kNs = 1'000'000'000;
  for (const char* f : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"}) {
    struct tm tm {};
    const char* end = ::strptime(s.c_str(), f, &tm);
    if (!end || *end != '\0') continue;
    tm.tm_isdst = -1;
    time_t t = ::mktime(&tm);
    if (t < 0 || t > std::numeric_limits<int64_t>::max() / kNs) return std::nullopt;
    return static_cast<int64_t>(t) * kNs;
  }
  return std::nullopt;
}

// --folded and --flamegraph: the creation stacks of the sockets found.
int print_stacks(const HistoryArgs& a, const std::vector<history::SocketHistory>& rows, const std::string& db) {
  auto paths = render::history_flame_paths(rows);
  fmt::print(stderr, "sockscope: {} of {} sockets from {} have a creation stack\n", paths.size(), rows.size(), db);
  if (a.folded) fmt::print("{}", render::folded_lines(paths));
  if (a.flamegraph.empty()) return kExitOk;
  File f = open_output(a.flamegraph, "--flamegraph");
  render::FlameOptions o{.title = "Socket creation stacks (sockscope history)", .unit = "sockets"};
  if (!f || !finish_output(std::move(f), render::flamegraph_svg(paths, o), a.flamegraph)) return kExitCantCreate;
  return kExitOk;
}

int run_history(const HistoryArgs& a) {
  history::Query q;
  if (a.pid) q.pid = static_cast<uint32_t>(a.pid);
  if (!a.path.empty()) q.path_glob = a.path;
  if (a.inode) q.inode = a.inode;
  q.limit = a.limit;
  if (!a.since.empty()) {
    auto t = since_ns(a.since);
    if (!t)
      return fail(
          kExitUsage,
          "--since: " + render::printable(a.since) + " is not a duration ago nor a local time from 1970 to 2262",
          "give a duration ago (10m, 2h, 1d) or a local time (\"2026-12-06 14:00\")");
    q.since_wall_ns = *t;
  }
  auto where = history::locate(a.db);
  if (where.path.empty())
    return fail(kExitNotFound, "no recorder runs and there is no history database",
                fmt::format("start one: sockscope recorder (it writes {})", history::kDefaultDb));
  auto reader = history::Reader::open(where.path);
  if (!reader) return fail(kExitFailure, reader.error().what, reader.error().hint);
  auto rows = (*reader)->query(history::current_boot_id(), q);
  if (!rows) return fail(kExitFailure, rows.error().what, rows.error().hint);
  if (a.folded || !a.flamegraph.empty()) return print_stacks(a, *rows, where.path);
  Clock clock;
  if (a.json) {
    auto arr = nlohmann::json::array();
    for (const auto& h : *rows) arr.push_back(render::history_json(h, clock));
    fmt::print("{}\n", render::dump_document(nlohmann::json{{"database", where.path}, {"sockets", arr}}, 2));
    return kExitOk;
  }
  fmt::print(stderr, "sockscope: {} sockets from {} ({})\n", rows->size(), where.path, where.how);
  for (const auto& h : *rows)
    fmt::print("socket:[{}]\n{}", h.inode, render::history_text(h, clock, "  ", stack_detail(a.full_stack)));
  return kExitOk;
}

}  // namespace

void add_history(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("history", "What the recorder kept: sockets by pid, path, inode and time");
  auto a = std::make_shared<HistoryArgs>();
  cmd->add_option("--db", a->db, "History database (default: the running recorder's)");
  cmd->add_option("--pid", a->pid, "Sockets made by this process")->check(pid_number());
  cmd->add_option("--path", a->path, "Sockets whose address or path matches this glob");
  cmd->add_option("--inode", a->inode, "The socket with this inode (socket:[INODE])");
  cmd->add_option("--since", a->since, "Made since: 10m, 2h, 1d ago, or \"YYYY-MM-DD HH:MM\"");
  cmd->add_option("--limit", a->limit, "At most this many sockets, newest first (default 1000)")
      ->check(whole_number(1, 1000000, "a number of sockets"));
  auto* json = cmd->add_flag("--json", a->json, "Print JSON");
  auto* folded = cmd->add_flag("--folded", a->folded, "Print the creation stacks as folded lines (flame graph input)");
  cmd->add_option("--flamegraph", a->flamegraph, "Write a flame graph of the creation stacks to FILE (interactive SVG)")
      ->excludes(json);
  folded->excludes(json);
  add_full_stack_flag(cmd, a->full_stack);
  cmd->callback([&action, a] { action = [a] { return run_history(*a); }; });
}

}  // namespace sockscope::cli
