// SPDX-License-Identifier: GPL-2.0-only
// What the rules return: findings with the texts the user will see, the
// origin, the remedy and a verdict per engine (docs/checkpoint.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/event.h"
#include "model/socket.h"
#include "model/stack.h"

namespace sockscope::checkpoint {

// Rulebook legend: OK, WARN (dump passes, something is lost or restore
// needs care), BLOCK (dump fails).
enum class Verdict { kOk = 0, kWarn = 1, kBlock = 2 };
const char* verdict_name(Verdict v);  // "ok", "warn", "block"

// One engine's judgement of one finding and the text it prints (empty if none).
struct Outcome {
  Verdict verdict = Verdict::kOk;
  std::string message;
};

// A message the user meets, in order: "crac" (the JVM's exception), "criu"
// (plain dump), "criu --ext-unix-sk" (after following CRIU's own advice),
// "criu <given options>".
struct Step {
  std::string engine;
  std::string text;
};

// Who is on the other end and, from the recorder's history when one ran
// (collect/history_origins.h), which code made this descriptor's socket.
struct Origin {
  std::string role;          // roles::for_path name of the peer's path
  std::string peer_path;
  uint64_t peer_inode = 0;
  std::vector<Owner> peer_holders;
  std::optional<Event> created;  // the socket/socketpair/accept event; its stack in created->stack
  int64_t created_wall_ns = 0;
  std::string no_record;  // why the history has nothing, when it was asked
};

struct Finding {
  std::string rule;    // rulebook id: "U1", "N3", "R2", "M5", "J1"
  std::string title;   // a few words: "external unix stream peer"
  int pid = 0;
  int fd = -1;         // -1: not about a descriptor (mapping, lock)
  std::string comm;
  std::string object;  // "socket:[123]", "/tmp/x (deleted)", "7f..-7f.. /var/cache/nscd/passwd"
  uint64_t inode = 0;
  std::vector<Step> messages;
  std::string plain;
  Origin origin;
  std::vector<std::string> remedy;
  Outcome criu;        // plain `criu dump`
  Outcome criu_opts;   // with the options given (--criu-opts + CRAC_CRIU_OPTS)
  std::optional<Outcome> crac;  // the JVM's check_fds, when it applies

  // The worst verdict among the engines the user runs (criu_opts, crac).
  Verdict severity() const;
};

struct Report {
  int target = 0;
  std::string comm;
  std::vector<int> tree;
  std::string criu_options;  // what criu_opts means: --criu-opts + CRAC_CRIU_OPTS
  std::string crac_criu_opts;
  bool crac_applies = false;
  std::string crac_engine;   // CRaCEngine; "warp" means no CRIU at all (rulebook 1.6)
  Verdict criu = Verdict::kOk, criu_opts = Verdict::kOk, crac = Verdict::kOk;
  std::vector<Finding> findings;  // blockers first, then warnings, then notes
  std::vector<Diagnostic> diagnostics;

  Verdict overall() const;
};

}  // namespace sockscope::checkpoint
