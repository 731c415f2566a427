// SPDX-License-Identifier: GPL-2.0-only
// The tour recording through Store and back through Reader: every event as
// it was, socket rows made and closed as the rules say, bytes kept as bytes.
#include "history/store.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <set>
#include <tuple>

#include "history/reader.h"
#include "history_fixture.h"

namespace sockscope::history {
namespace {

using testing::TempDir;

constexpr const char* kBoot = "2b2a3c4d-0000-4000-8000-000000000014";

class StoredTour : public ::testing::Test {
 protected:
  void SetUp() override {
    evs_ = testing::tour();
    auto store = Store::open(testing::options(db_), kBoot);
    ASSERT_TRUE(store) << store.error().what;
    for (const auto& r : evs_) (*store)->add(r);
    (*store)->flush();
    EXPECT_EQ((*store)->stats().stored, evs_.size());
    EXPECT_EQ((*store)->stats().not_stored, 0u);
    store->reset();
    auto reader = Reader::open(db_);
    ASSERT_TRUE(reader) << reader.error().what;
    reader_ = std::move(*reader);
  }
  const Recorded* first(EventKind k, bool failed = false) {
    for (const auto& r : evs_)
      if (r.event.kind == k && r.event.failed() == failed) return &r;
    return nullptr;
  }
  TempDir dir_;
  std::string db_ = dir_ / "history.db";
  std::vector<Recorded> evs_;
  std::unique_ptr<Reader> reader_;
};

TEST_F(StoredTour, EverySocketEventComesBackAsItWas) {
  auto all = reader_->query(kBoot, Query{});
  ASSERT_TRUE(all) << all.error().what;
  size_t seen = 0;
  for (const auto& h : *all) {
    std::vector<const Recorded*> got;
    if (h.created) got.push_back(&*h.created);
    for (const auto& e : h.events) got.push_back(&e);
    for (const Recorded* g : got) {
      // Find the original by time and kind, and compare every field.
      auto it = std::find_if(evs_.begin(), evs_.end(), [&](const Recorded& o) {
        return o.event.ts_ns == g->event.ts_ns && o.event.kind == g->event.kind && o.event.tid == g->event.tid;
      });
      ASSERT_NE(it, evs_.end());
      EXPECT_EQ(it->wall_ns, g->wall_ns);
      testing::expect_same(it->event, g->event);
      seen++;
    }
  }
  // And every one comes back: all of the tour's events but the process and
  // path events (fork, exec, exit, signal, unlink, rename), which no socket owns.
  // (An accept or a socketpair is on two sockets: compared as sets.)
  using Key = std::tuple<uint64_t, EventKind, uint32_t>;
  std::set<Key> want, got;
  for (const auto& r : evs_) switch (r.event.kind) {
      case EventKind::kFork:
      case EventKind::kExec:
      case EventKind::kExit:
      case EventKind::kSignal:
      case EventKind::kUnlink:
      case EventKind::kRename: break;
      default: want.insert({r.event.ts_ns, r.event.kind, r.event.tid});
    }
  for (const auto& h : *all) {
    if (h.created) got.insert({h.created->event.ts_ns, h.created->event.kind, h.created->event.tid});
    for (const auto& e : h.events) got.insert({e.event.ts_ns, e.event.kind, e.event.tid});
  }
  EXPECT_GT(want.size(), 10u);
  EXPECT_EQ(got, want);
  EXPECT_GE(seen, want.size());
}

TEST_F(StoredTour, SocketpairMakesTwoRowsAcceptOneClosesMark) {
  const Recorded* pair = first(EventKind::kSocketpair);
  ASSERT_TRUE(pair);
  for (uint64_t ino : {pair->event.sock_ino, pair->event.sock_ino2}) {
    auto h = reader_->socket(kBoot, ino);
    ASSERT_TRUE(h && *h);
    ASSERT_TRUE((*h)->created);
    EXPECT_EQ((*h)->created->event.kind, EventKind::kSocketpair);
    EXPECT_EQ((*h)->created_wall_ns, pair->wall_ns);
    EXPECT_FALSE((*h)->from_snapshot);
    EXPECT_NE((*h)->closed_wall_ns, 0) << "the tour closes every descriptor";
  }
  const Recorded* acc = first(EventKind::kAccept);
  ASSERT_TRUE(acc);
  auto conn = reader_->socket(kBoot, acc->event.sock_ino);
  ASSERT_TRUE(conn && *conn);
  ASSERT_TRUE((*conn)->created);
  EXPECT_EQ((*conn)->created->event.kind, EventKind::kAccept);
  // The listener keeps its bind, listen and the accept made on it.
  auto lis = reader_->socket(kBoot, acc->event.sock_ino2);
  ASSERT_TRUE(lis && *lis);
  ASSERT_TRUE((*lis)->created);
  EXPECT_EQ((*lis)->created->event.kind, EventKind::kSocket);
  std::vector<EventKind> kinds;
  for (const auto& e : (*lis)->events) kinds.push_back(e.event.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), EventKind::kBind), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), EventKind::kListen), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), EventKind::kAccept), kinds.end());
  EXPECT_EQ(kinds.back(), EventKind::kClose);
}

TEST_F(StoredTour, FailedConnectIsKeptOnItsSocketAndMakesNothing) {
  const Recorded* bad = first(EventKind::kConnect, true);
  ASSERT_TRUE(bad);
  auto h = reader_->socket(kBoot, bad->event.sock_ino);
  ASSERT_TRUE(h && *h);
  bool found = false;
  for (const auto& e : (*h)->events) found = found || (e.event.kind == EventKind::kConnect && e.event.failed());
  EXPECT_TRUE(found);
  auto st = reader_->status();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->events, evs_.size());
}

TEST_F(StoredTour, AbstractNameFoundByGlob) {
  // The tour's abstract name (a NUL and a control byte in it, as the tracer
  // writes them) finds its listener and the client that connected to it.
  const Recorded* bind = nullptr;
  for (const auto& r : evs_)
    if (r.event.kind == EventKind::kBind && r.event.address.rfind("@tour", 0) == 0) bind = &r;
  ASSERT_TRUE(bind);
  Query q;
  q.path_glob = "@tour*";
  auto hits = reader_->query(kBoot, q);
  ASSERT_TRUE(hits) << hits.error().what;
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[1].inode, bind->event.sock_ino);
  ASSERT_FALSE((*hits)[1].events.empty());
  EXPECT_EQ((*hits)[1].events[0].event.address, bind->event.address);
  q.path_glob = "*/tour.sock";
  EXPECT_EQ(reader_->query(kBoot, q)->size(), 2u);
}

TEST_F(StoredTour, QueryByPidAndInodeNewestFirst) {
  Query q;
  q.pid = evs_.front().event.tgid;
  auto mine = reader_->query(kBoot, q);
  ASSERT_TRUE(mine);
  ASSERT_GE(mine->size(), 4u);
  for (size_t i = 1; i < mine->size(); i++) EXPECT_GE((*mine)[i - 1].created_wall_ns, (*mine)[i].created_wall_ns);
  q.limit = 2;
  EXPECT_EQ(reader_->query(kBoot, q)->size(), 2u);
  Query byino;
  byino.inode = mine->back().inode;
  auto one = reader_->query(kBoot, byino);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().inode, mine->back().inode);
  Query other;
  other.pid = 1;
  EXPECT_TRUE(reader_->query(kBoot, other)->empty());
  EXPECT_TRUE(reader_->query("another-boot", Query{})->empty());
}

TEST_F(StoredTour, LineageOfTheExecedChildLeadsToTheTour) {
  // The child's exec of /bin/true (the first exec is the tour's own).
  const Recorded* exec = nullptr;
  for (const auto& r : evs_)
    if (r.event.kind == EventKind::kExec) exec = &r;
  ASSERT_TRUE(exec);
  auto chain = reader_->lineage(kBoot, exec->event.tgid, 0);
  ASSERT_TRUE(chain) << chain.error().what;
  bool forked = false, execed = false;
  for (const auto& r : *chain) {
    forked = forked || (r.event.kind == EventKind::kFork && r.event.child_tgid == exec->event.tgid);
    execed = execed || (r.event.kind == EventKind::kExec && r.event.path == exec->event.path);
  }
  EXPECT_TRUE(forked);
  EXPECT_TRUE(execed);
  for (size_t i = 1; i < chain->size(); i++) EXPECT_LE((*chain)[i - 1].wall_ns, (*chain)[i].wall_ns);
}

}  // namespace
}  // namespace sockscope::history
