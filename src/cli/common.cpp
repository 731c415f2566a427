// SPDX-License-Identifier: GPL-2.0-only
#include "cli/common.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "base/exit_codes.h"
#include "base/strings.h"
#include "cli/app.h"
#include "inventory/source.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/schema.h"

namespace sockscope::cli {

std::shared_ptr<CommonOptions> add_common(CLI::App* cmd) {
  auto c = std::make_shared<CommonOptions>();
  cmd->add_flag("--json", c->json, "Print JSON (schema: docs/json.md)");
  cmd->add_flag("-q,--quiet", c->quiet, "Do not print what could not be read (JSON keeps it in \"diagnostics\")");
  cmd->add_option("--replay", c->replay, "Read a recorded fixture directory instead of the kernel")
      ->check(CLI::ExistingDirectory)
      ->check(CLI::Validator(
          [](std::string& dir) {
            auto ok = inventory::check_fixture(dir);
            return ok ? std::string() : ok.error().what + ": " + ok.error().hint;
          },
          "FIXTURE"));
  add_color(cmd, c->color);
  return c;
}

void add_color(CLI::App* cmd, std::string& mode) {
  cmd->add_option("--color", mode,
                  "Color the text output: auto (default: on a terminal, unless NO_COLOR), always, never")
      ->check(one_of({"auto", "always", "never"}));
}

render::Style text_style(const std::string& mode) {
  if (mode != "auto") return {mode == "always"};
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  bool tty = ::isatty(STDOUT_FILENO) == 1;
  return {tty && (no_color == nullptr || *no_color == '\0') && (term == nullptr || std::string_view(term) != "dumb")};
}

void add_full_stack_flag(CLI::App* cmd, bool& full) {
  cmd->add_flag("--full-stack", full, "Show every frame of creation stacks (text; JSON always has them all)");
}

namespace {

inventory::Inventory build_from_source(const CommonOptions& c, const inventory::Options& opts) {
  if (!c.replay.empty()) {
    inventory::ReplaySource src(c.replay);
    return inventory::build(src, opts);
  }
  inventory::LiveSource src;
  return inventory::build(src, opts);
}

}  // namespace

inventory::Inventory build_inventory(const CommonOptions& c, const inventory::Options& opts) {
  auto inv = build_from_source(c, opts);
  if (c.quiet && !c.json) inv.diagnostics.clear();
  return inv;
}

namespace {

// /proc mounted with hidepid= hides other users' processes from non-root.
bool proc_hides_pids() {
  auto mounts = read_small_file("/proc/self/mountinfo");
  return mounts && mounts->find(" /proc ") != std::string::npos && mounts->find("hidepid=") != std::string::npos;
}

}  // namespace

int check_pids(const std::vector<int>& pids) {
  for (int pid : pids) {
    std::string fd_dir = "/proc/" + std::to_string(pid) + "/fd";
    if (::access(("/proc/" + std::to_string(pid)).c_str(), F_OK) != 0) {
      std::string hint = "check the pid with `ps -p " + std::to_string(pid) + "`";
      if (::geteuid() != 0 && proc_hides_pids())
        hint = "/proc is mounted with hidepid=, which hides other users' processes: run as root";
      return fail(kExitNotFound, fmt::format("no process {}", pid), hint);
    }
    if (::access(fd_dir.c_str(), R_OK | X_OK) != 0 && (errno == EACCES || errno == EPERM))
      return fail(kExitNoPrivilege, fmt::format("cannot read {}: permission denied", fd_dir),
                  "run as root (or with CAP_SYS_PTRACE over that process)");
  }
  return kExitOk;
}

int stream_events(tracer::Tracer& t, const tracer::StopSignals& stop, double duration, bool json,
                  const tracer::EventFn& fn) {
  if (duration != 0) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(duration * 1000));
    while (!stop.requested() && (duration < 0 || std::chrono::steady_clock::now() < until)) {
      auto n = t.poll(100, fn);
      if (!n) return tracer_failure(n.error());
      std::fflush(stdout);
    }
    t.detach();  // what is queued is then all there is to drain
    if (auto n = t.drain(fn); !n) return tracer_failure(n.error());
  }
  auto stats = t.stats();
  if (json) fmt::print("{}\n", render::dump_document(nlohmann::json{{"stats", render::stats_json(stats)}}));
  fmt::print(stderr, "sockscope: {}\n", render::stats_text(stats));
  return kExitOk;
}

int tracer_failure(const Error& e) {
  int code = e.sys_errno == EPERM || e.sys_errno == EACCES ? kExitNoPrivilege
             : e.sys_errno == EOPNOTSUPP                   ? kExitUnsupported
                                                           : kExitFailure;
  return fail(code, e.what, e.hint);
}

}  // namespace sockscope::cli
