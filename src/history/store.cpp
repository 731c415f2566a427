// SPDX-License-Identifier: GPL-2.0-only
#include "history/store.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "base/clock.h"
#include "history/paths.h"
#include "history/store_impl.h"

namespace sockscope::history {

namespace {

constexpr int64_t kHeartbeatNs = 2'000'000'000;
constexpr int64_t kAgePruneNs = 60'000'000'000;

int64_t wall_now() { return clock_ns(CLOCK_REALTIME); }

void widen(Gap& g, int64_t from, int64_t to, uint64_t n, const std::string& cause) {
  if (g.lost == 0 || from < g.from_wall_ns) g.from_wall_ns = from;
  if (g.lost == 0 || to > g.to_wall_ns) g.to_wall_ns = to;
  if (g.lost == 0) g.cause = cause;
  g.lost += n;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& o, const std::string& boot_id) {
  auto p = prepare_path(o.path, o.check_owner);
  if (!p) return p.error();
  auto lock = take_writer_lock(o.path);
  if (!lock) return lock.error();
  std::string moved;
  auto db = open_writer_db(o.path, o.check_owner, moved);
  if (!db) return db.error().context(o.path);
  auto impl = std::make_unique<Impl>(o, std::move(*db));
  impl->moved = moved;
  impl->lock = std::move(*lock);
  if (o.test_max_pages > 0) {
    auto r = impl->writer.limit_pages(o.test_max_pages);
    if (!r) return r.error();
  }
  int64_t now = wall_now();
  auto r =
      impl->writer.start(boot_id, static_cast<uint32_t>(::getpid()), now, now - static_cast<int64_t>(monotonic_ns()));
  if (!r) return r.error().context("starting a session in " + o.path);
  impl->prune(now);
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() {
  {
    std::lock_guard<std::mutex> g(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work.notify_one();
  impl_->thread.join();
  auto r = impl_->writer.stop(wall_now(), impl_->stats.stored, impl_->stats.not_stored);
  (void)r;  // nowhere to report it: the next session's gap starts at the last heartbeat
}

void Store::Impl::push(Item it, int64_t wall, bool event) {
  std::unique_lock<std::mutex> g(mu);
  if (queue.size() >= o.queue_max) {
    stats.not_stored++;
    if (event) widen(pending, wall, wall, 1, "recorder queue full");
    return;
  }
  queue.push_back(std::move(it));
  if (event) queued_events++;
  if (queue.size() >= o.batch_events) {
    g.unlock();
    work.notify_one();
  }
}

void Store::add(Recorded r) {
  int64_t wall = r.wall_ns;
  impl_->push(Item(std::move(r)), wall, true);
}
void Store::add_process(ProcessInfo p) { impl_->push(Item(std::move(p)), 0, false); }
void Store::add_snapshot(SnapshotSocket s) { impl_->push(Item(std::move(s)), 0, false); }
void Store::add_gap(Gap g) { impl_->push(Item(std::move(g)), 0, false); }

void Store::flush() {
  std::unique_lock<std::mutex> g(impl_->mu);
  uint64_t ticket = ++impl_->flush_asked;
  impl_->work.notify_one();
  impl_->done.wait(g, [&] { return impl_->flush_done >= ticket; });
}

StoreStats Store::stats() const {
  std::lock_guard<std::mutex> g(impl_->mu);
  return impl_->stats;
}

const std::string& Store::path() const { return impl_->o.path; }
const std::string& Store::moved_aside() const { return impl_->moved; }

void Store::Impl::run() {
  std::unique_lock<std::mutex> g(mu);
  int64_t last_write = wall_now();
  std::vector<Item> batch;  // kept across batches: its capacity goes back to the queue
  for (;;) {
    work.wait_for(g, std::chrono::milliseconds(o.batch_ms),
                  [&] { return stopping || flush_asked > flush_done || queue.size() >= o.batch_events; });
    uint64_t ticket = flush_asked;
    int64_t now = wall_now();
    if (queue.empty() && pending.lost == 0 && now - last_write < kHeartbeatNs) {
      flush_done = ticket;
      done.notify_all();
      if (stopping) return;
      continue;
    }
    batch.clear();
    batch.swap(queue);  // the queue gets the last batch's capacity: no regrowth per event
    uint64_t events = std::exchange(queued_events, 0);
    Gap carried = std::exchange(pending, Gap{});
    if (carried.lost) batch.emplace_back(carried);
    int64_t from = INT64_MAX, to = 0;
    for (const Item& it : batch)
      if (auto* r = std::get_if<Recorded>(&it)) from = std::min(from, r->wall_ns), to = std::max(to, r->wall_ns);
    g.unlock();
    commit(batch, events, carried, from, to);
    last_write = now;
    g.lock();
    flush_done = ticket;
    done.notify_all();
    if (stopping && queue.empty()) return;
  }
}

void Store::Impl::commit(std::vector<Item>& batch, uint64_t events, const Gap& carried, int64_t from, int64_t to) {
  uint64_t stored, not_stored;
  {
    std::lock_guard<std::mutex> g(mu);
    stored = stats.stored;
    not_stored = stats.not_stored;
  }
  int64_t now = wall_now();
  auto r = writer.write(batch, now, stored + events, not_stored);
  {
    std::lock_guard<std::mutex> g(mu);
    if (r) {
      stats.stored += events;
      stats.batches++;
    } else {
      // Nothing of the batch stayed: the next batch that commits says so,
      // with the gap this one carried.
      stats.not_stored += events;
      stats.last_error = r.error().what;
      if (carried.lost) widen(pending, carried.from_wall_ns, carried.to_wall_ns, carried.lost, carried.cause);
      if (events) widen(pending, from, to, events, "not stored: " + r.error().what);
      return;
    }
  }
  prune(now);
}

void Store::Impl::prune(int64_t now) {
  Retention ret{o.max_bytes, 0};
  if (now - last_age_prune >= kAgePruneNs) {
    ret.max_age_ns = o.max_age_ns;
    last_age_prune = now;
  }
  auto n = writer.prune(ret, now);
  std::lock_guard<std::mutex> g(mu);
  if (n) stats.pruned += *n;
  else stats.last_error = n.error().what;
}

}  // namespace sockscope::history
