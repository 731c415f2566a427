// SPDX-License-Identifier: GPL-2.0-only
// What the store keeps beyond the tour's own events: processes and names as
// bytes, stacks once, snapshots, inode reuse (the live one wins), sessions
// and the gap between them, and why a socket has no record.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "history/reader.h"
#include "history/schema.h"
#include "history/store.h"
#include "history_fixture.h"

namespace sockscope::history {
namespace {

using testing::TempDir;

constexpr const char* kBoot = "b00710d0-0000-4000-8000-000000000014";

// The tour's first socket() event, moved to `wall`, on inode `ino`.
Recorded socket_event(uint64_t ino, int64_t wall) {
  for (auto& r : testing::tour())
    if (r.event.kind == EventKind::kSocket && !r.event.failed()) {
      r.event.sock_ino = ino;
      r.wall_ns = wall;
      r.event.ts_ns = static_cast<uint64_t>(wall - testing::kWallOffset);
      return r;
    }
  ADD_FAILURE() << "no socket() in the tour";
  return {};
}

Recorded close_event(uint64_t ino, int64_t wall) {
  Recorded r = socket_event(ino, wall);
  r.event.kind = EventKind::kClose;
  r.event.flags = Event::kCloseLast;
  r.event.ret = 0;
  return r;
}

std::unique_ptr<Store> open_store(const std::string& db) {
  auto s = Store::open(testing::options(db), kBoot);
  EXPECT_TRUE(s) << (s ? "" : s.error().what);
  return s ? std::move(*s) : nullptr;
}

TEST(HistoryRules, NamesArgvAndPathsAreKeptAsBytes) {
  TempDir dir;
  std::string db = dir / "h.db";
  const std::string weird_comm("j\xff\xfeva\x1b[31m", 9);
  const std::string argv("java\0-Dx=\xc3\x28\0--flag\0", 18);
  const std::string path("/tmp/\x01\x7f\xe2\x82/sock\xff", 14);
  Recorded r = socket_event(777, testing::kWallOffset + 5);
  r.event.comm = weird_comm;
  ProcessInfo p{r.event.tgid,
                12345,
                1,
                weird_comm,
                "/usr/bin/\xff"
                "java",
                argv,
                "/system.slice/\x02x",
                4026531840u,
                r.wall_ns - 1};
  {
    auto store = open_store(db);
    ASSERT_TRUE(store);
    store->add_process(p);
    store->add(r);
    Recorded bind = r;
    bind.event.kind = EventKind::kBind;
    bind.event.address = path;
    bind.wall_ns += 1;
    store->add(bind);
  }
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto h = (*reader)->socket(kBoot, 777);
  ASSERT_TRUE(h && *h);
  ASSERT_TRUE((*h)->created && (*h)->creator);
  EXPECT_EQ((*h)->created->event.comm, weird_comm);
  EXPECT_EQ((*h)->creator->comm, weird_comm);
  EXPECT_EQ((*h)->creator->argv, argv);
  EXPECT_EQ((*h)->creator->exe, "/usr/bin/\xff"
                                "java");
  EXPECT_EQ((*h)->creator->cgroup, "/system.slice/\x02x");
  EXPECT_EQ((*h)->creator->start_ticks, 12345u);
  ASSERT_EQ((*h)->events.size(), 1u);
  EXPECT_EQ((*h)->events[0].event.address, path);
}

TEST(HistoryRules, ARepeatedStackIsStoredOnce) {
  TempDir dir;
  std::string db = dir / "h.db";
  auto stack = std::make_shared<const Stack>(testing::sample_stack());
  {
    auto store = open_store(db);
    ASSERT_TRUE(store);
    for (int i = 0; i < 50; i++) {
      Recorded r = socket_event(1000 + static_cast<uint64_t>(i), testing::kWallOffset + i);
      // A copy each time, as a symbolizer without a cache would hand it over.
      r.event.stack = std::make_shared<const Stack>(*stack);
      store->add(std::move(r));
    }
  }
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto st = (*reader)->status();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->stacks, 1u);
  EXPECT_EQ(st->events, 50u);
  auto h = (*reader)->socket(kBoot, 1049);
  ASSERT_TRUE(h && *h && (*h)->created && (*h)->created->event.stack);
  EXPECT_EQ((*h)->created->event.stack->frames.size(), 20u);
  EXPECT_EQ((*h)->created->event.stack->frames[0].symbol, "__socket");
}

TEST(HistoryRules, AReusedInodeGivesTheLiveSocket) {
  TempDir dir;
  std::string db = dir / "h.db";
  {
    auto store = open_store(db);
    ASSERT_TRUE(store);
    store->add(socket_event(42, testing::kWallOffset + 100));
    store->add(close_event(42, testing::kWallOffset + 200));
    store->add(socket_event(42, testing::kWallOffset + 300));  // the number again, a new socket
    store->add(socket_event(43, testing::kWallOffset + 400));
    store->add(socket_event(43, testing::kWallOffset + 500));  // its close was lost
  }
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto live = (*reader)->socket(kBoot, 42);
  ASSERT_TRUE(live && *live);
  EXPECT_EQ((*live)->created_wall_ns, testing::kWallOffset + 300);
  EXPECT_EQ((*live)->closed_wall_ns, 0);
  auto again = (*reader)->socket(kBoot, 43);
  ASSERT_TRUE(again && *again);
  EXPECT_EQ((*again)->created_wall_ns, testing::kWallOffset + 500);
  Query q;
  q.inode = 43;
  auto both = (*reader)->query(kBoot, q);
  ASSERT_TRUE(both);
  ASSERT_EQ(both->size(), 2u);
  // The older one ended when its number was taken again, at the latest.
  EXPECT_EQ((*both)[1].closed_wall_ns, testing::kWallOffset + 500);
}

TEST(HistoryRules, ASnapshotSocketHasNoCreatorAndKnownOnesKeepTheirs) {
  TempDir dir;
  std::string db = dir / "h.db";
  {
    auto store = open_store(db);
    ASSERT_TRUE(store);
    store->add(socket_event(50, testing::kWallOffset + 10));
  }
  {
    // The next start snapshots what exists: 50 (known) and 51 (not).
    auto store = open_store(db);
    ASSERT_TRUE(store);
    for (uint64_t ino : {50, 51}) {
      SnapshotSocket s{ino, 0x1234 + ino, AF_UNIX, SOCK_STREAM, 0, 4026531840u, "/run/x\xff.sock", 0, {}, 0};
      s.holders.push_back({321, 7, "holder\x01"});
      s.wall_ns = testing::kWallOffset + 20;
      store->add_snapshot(s);
    }
  }
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto known = (*reader)->socket(kBoot, 50);
  ASSERT_TRUE(known && *known);
  EXPECT_FALSE((*known)->from_snapshot);
  EXPECT_TRUE((*known)->created);
  EXPECT_TRUE((*known)->snapshot);
  auto old = (*reader)->socket(kBoot, 51);
  ASSERT_TRUE(old && *old && (*old)->snapshot);
  EXPECT_TRUE((*old)->from_snapshot);
  EXPECT_FALSE((*old)->created);
  EXPECT_EQ((*old)->cookie, 0x1234u + 51);
  EXPECT_EQ((*old)->snapshot->address, "/run/x\xff.sock");
  ASSERT_EQ((*old)->snapshot->holders.size(), 1u);
  EXPECT_EQ((*old)->snapshot->holders[0].comm, "holder\x01");
  Query q;
  q.pid = 321;
  EXPECT_EQ((*reader)->query(kBoot, q)->size(), 2u);
}

TEST(HistoryRules, SessionsAndTheGapBetweenThem) {
  TempDir dir;
  std::string db = dir / "h.db";
  open_store(db).reset();
  open_store(db).reset();
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto st = (*reader)->status();
  ASSERT_TRUE(st && st->last_session);
  EXPECT_EQ(st->last_session->pid, static_cast<uint32_t>(::getpid()));
  EXPECT_NE(st->last_session->stopped_wall_ns, 0);
  EXPECT_EQ(st->schema_version, kSchemaVersion);
  int64_t now = st->last_session->stopped_wall_ns;
  auto x = (*reader)->explain_missing(kBoot, 0, now);
  ASSERT_TRUE(x);
  EXPECT_EQ(x->sessions.size(), 2u);
  ASSERT_EQ(x->gaps.size(), 1u);
  EXPECT_EQ(x->gaps[0].cause, "recorder not running");
  EXPECT_EQ(x->gaps[0].from_wall_ns, x->sessions[0].stopped_wall_ns);
  // Since the boot: before the first session nobody recorded.
  EXPECT_EQ(x->why, Missing::kNotRunning);
  // Within the second session alone: it saw everything; not a socket it could see.
  auto inside = (*reader)->explain_missing(kBoot, x->sessions[1].started_wall_ns, now);
  ASSERT_TRUE(inside);
  EXPECT_EQ(inside->why, Missing::kUnknown);
  EXPECT_EQ((*reader)->explain_missing("other-boot", 0, now)->why, Missing::kOtherBoot);
}

TEST(HistoryRules, LostEventsAreAGapThatExplains) {
  TempDir dir;
  std::string db = dir / "h.db";
  int64_t t0 = 0;
  {
    auto store = open_store(db);
    ASSERT_TRUE(store);
    store->flush();
    auto r = Reader::open(db);
    t0 = (*r)->status()->last_session->started_wall_ns;
    store->add_gap(Gap{t0 + 10, t0 + 20, 17, "ring buffer full"});
  }
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto x = (*reader)->explain_missing(kBoot, t0 + 1, t0 + 30);
  ASSERT_TRUE(x);
  EXPECT_EQ(x->why, Missing::kLost);
  ASSERT_EQ(x->gaps.size(), 1u);
  EXPECT_EQ(x->gaps[0].lost, 17u);
  EXPECT_EQ((*reader)->status()->lost, 17u);
}

TEST(HistoryRules, ASecondWriterIsRefusedWithTheFirstOnesPid) {
  TempDir dir;
  std::string db = dir / "h.db";
  auto first = open_store(db);
  ASSERT_TRUE(first);
  auto second = Store::open(testing::options(db), kBoot);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().what.find("pid " + std::to_string(::getpid())), std::string::npos) << second.error().what;
  first.reset();
  EXPECT_TRUE(Store::open(testing::options(db), kBoot)) << "the lock goes with the first writer";
}

TEST(HistoryRules, ReadersSeeCommittedEventsWhileTheWriterRuns) {
  TempDir dir;
  std::string db = dir / "h.db";
  auto store = open_store(db);
  ASSERT_TRUE(store);
  store->add(socket_event(60, testing::kWallOffset));
  store->flush();
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader) << reader.error().what;
  EXPECT_EQ((*reader)->status()->events, 1u);
  store->add(socket_event(61, testing::kWallOffset + 1));
  store->flush();
  EXPECT_EQ((*reader)->status()->events, 2u);
  EXPECT_EQ((*reader)->status()->last_session->stopped_wall_ns, 0);
}

}  // namespace
}  // namespace sockscope::history
