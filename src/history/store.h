// SPDX-License-Identifier: GPL-2.0-only
// The history's one writer: a thread that stores what the recorder hands it
// in batched SQLite transactions (WAL, so readers go on while it writes),
// keeps each distinct stack once, bounds the file by size and age, and
// counts what it could not store. Opening checks the path (root-owned 0700
// directory, 0600 file, no symlink), takes the database's writer lock (a
// second writer is refused with the first one's pid), migrates the schema,
// and moves a corrupt file aside (path + ".corrupt-<time>") before starting
// a new one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "history/history.h"

namespace sockscope::history {

struct StoreOptions {
  std::string path = kDefaultDb;
  uint64_t max_bytes = 256ull << 20;                     // --max-size
  int64_t max_age_ns = 7ll * 24 * 3600 * 1'000'000'000;  // --max-age
  int batch_ms = 200;                                    // commit at least this often
  size_t batch_events = 4096;                            // or once this many are queued
  // Checks path ownership and modes (off only in tests that run unprivileged
  // on a temporary directory they own).
  bool check_owner = true;
  // Items queued for the writer; past this, add() counts them not stored
  // (and the writer records the interval as a Gap) instead of blocking.
  size_t queue_max = 1 << 16;
  // Tests: PRAGMA max_page_count on the writer's connection, which SQLite
  // reports exactly as a full disk (SQLITE_FULL). 0: no limit.
  int64_t test_max_pages = 0;
};

struct StoreStats {
  uint64_t stored = 0;      // events committed
  uint64_t not_stored = 0;  // events dropped: queue full, disk full, SQLite error
  uint64_t batches = 0;
  uint64_t pruned = 0;     // rows removed by retention
  std::string last_error;  // the last SQLite error, for status; "" if none
};

class Store {
 public:
  // Opens (creating, migrating, or replacing a corrupt file) and starts the
  // writer thread; records a new Session for `boot_id` and this pid, and a
  // Gap "recorder not running" from the previous session's last time.
  static Result<std::unique_ptr<Store>> open(const StoreOptions& o, const std::string& boot_id);
  ~Store();  // flushes, marks the session stopped, joins the thread
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Queue for the writer thread; never block the caller on disk.
  void add(Recorded r);
  void add_process(ProcessInfo p);
  void add_snapshot(SnapshotSocket s);
  void add_gap(Gap g);
  // Commits what is queued and waits for it (tests, and before exit).
  void flush();

  StoreStats stats() const;
  const std::string& path() const;
  // Where the corrupt file went, if open() moved one aside; "" otherwise.
  const std::string& moved_aside() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sockscope::history
