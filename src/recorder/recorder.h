// SPDX-License-Identifier: GPL-2.0-only
// The always-on recorder (issue #14): traces every socket and process event
// of the machine, symbolizes creation stacks while the process is alive, and
// hands it all to the history's writer (src/history). At start it snapshots
// the sockets and processes that already exist, so that a later question
// about them gets "it predates the recorder" rather than a guess.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "history/store.h"
#include "model/event.h"
#include "model/features.h"
#include "run/stack_glue.h"
#include "tracer/stop.h"

namespace sockscope::recorder {

struct Options {
  history::StoreOptions store;
  run::StackOptions stacks = default_stacks();
  Backend backend = Backend::kAuto;
  // Called once the tracer is attached and the snapshot is stored: from
  // here on, no socket is made unrecorded. The argument is the database path.
  std::function<void(const std::string& db)> on_ready;
  // Where the pid and database files go (tests use a temporary directory).
  std::string run_dir = history::kRunDir;

  static run::StackOptions default_stacks() {
    run::StackOptions s;
    s.stacks = true;
    s.create_only = true;
    return s;
  }
};

// What a recorder run did, for its last words on stderr.
struct Summary {
  std::string db;
  uint64_t events = 0;    // handed to the store
  uint64_t snapshot = 0;  // sockets found at start
  history::StoreStats store;
  TraceStats trace;
};

// Runs until a stop signal; the database stays consistent on any exit,
// including SIGKILL (committed batches survive; the next run records the gap).
Result<Summary> run(const Options& o, tracer::StopSignals& stop);

}  // namespace sockscope::recorder
