// SPDX-License-Identifier: GPL-2.0-only
// Store's insides: the bounded queue and the writer thread around Writer.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "base/unique_fd.h"
#include "history/store.h"
#include "history/writer.h"

namespace sockscope::history {

// Opens (and configures, checks, migrates) the writer's connection; a
// damaged file goes to `moved` and a new one is started (store_open.cpp).
Result<Db> open_writer_db(const std::string& path, bool check_owner, std::string& moved);

struct Store::Impl {
  Impl(StoreOptions opts, Db db) : o(std::move(opts)), writer(std::move(db)) {}
  void push(Item it, int64_t wall, bool event);
  void run();
  // One pass of the thread: writes `batch`, updates the counters.
  void commit(std::vector<Item>& batch, uint64_t events, const Gap& carried, int64_t from, int64_t to);
  void prune(int64_t now);

  StoreOptions o;
  std::string moved;
  UniqueFd lock;
  Writer writer;

  mutable std::mutex mu;
  std::condition_variable work, done;
  std::vector<Item> queue;
  uint64_t queued_events = 0;
  uint64_t flush_asked = 0, flush_done = 0;
  bool stopping = false;
  StoreStats stats;
  // Dropped since the last batch (queue full, or a batch that failed): kept
  // as a Gap in the next batch that commits.
  Gap pending;
  int64_t last_age_prune = 0;
  std::thread thread;
};

}  // namespace sockscope::history
