// SPDX-License-Identifier: GPL-2.0-only
// Retention bounds the file; kill -9 of the writer loses nothing committed;
// the path checks as root.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history/reader.h"
#include "history/store.h"
#include "history_fixture.h"

namespace sockscope::history {
namespace {

using testing::TempDir;

constexpr const char* kBoot = "d0ab1e00-0000-4000-8000-000000000014";

uint64_t file_size(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// The tour again and again, each round on inodes of its own, closed sockets
// and all, with a 20-frame stack on every event.
void storm(Store& s, int rounds, int first_round = 0) {
  auto evs = testing::tour();
  auto stack = std::make_shared<const Stack>(testing::sample_stack());
  for (int round = first_round; round < first_round + rounds; round++)
    for (auto r : evs) {
      auto shift = static_cast<uint64_t>(round + 1) << 32;
      if (r.event.sock_ino) r.event.sock_ino += shift;
      if (r.event.sock_ino2) r.event.sock_ino2 += shift;
      r.wall_ns += static_cast<int64_t>(round) * 1'000'000'000;
      r.event.ts_ns += static_cast<uint64_t>(round) * 1'000'000'000;
      r.event.stack = stack;
      s.add(std::move(r));
    }
}

TEST(HistoryDurability, RetentionBoundsTheFileClosedSocketsFirst) {
  TempDir dir;
  std::string db = dir / "h.db";
  auto o = testing::options(db);
  o.max_bytes = 512 * 1024;
  auto store = Store::open(o, kBoot);
  ASSERT_TRUE(store) << store.error().what;
  for (int i = 0; i < 40; i++) {
    storm(**store, 50, i * 50);
    (*store)->flush();
  }
  auto st = (*store)->stats();
  EXPECT_EQ(st.not_stored, 0u);
  EXPECT_GT(st.pruned, 0u);
  store->reset();  // checkpoints the -wal into the file
  EXPECT_LE(file_size(db), o.max_bytes + o.max_bytes / 4) << "pruned " << st.pruned;
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto status = (*reader)->status();
  ASSERT_TRUE(status);
  EXPECT_LT(status->events, st.stored);
  EXPECT_EQ(status->stacks, 1u);
  // The newest round is still there, whole.
  auto newest = (*reader)->query(kBoot, Query{});
  ASSERT_TRUE(newest);
  ASSERT_FALSE(newest->empty());
  EXPECT_EQ(newest->front().inode >> 32, 2000u);
}

TEST(HistoryDurability, RetentionByAgeKeepsLiveSockets) {
  TempDir dir;
  std::string db = dir / "h.db";
  auto o = testing::options(db);
  int64_t now = 0;
  {
    auto store = Store::open(o, kBoot);
    ASSERT_TRUE(store);
    (*store)->flush();
    now = (*Reader::open(db))->status()->last_session->started_wall_ns;
    auto evs = testing::tour();
    // Ten days ago: the tour's sockets, all closed; and one still open.
    for (auto r : evs) {
      r.wall_ns = now - 10ll * 24 * 3600 * 1'000'000'000 + (r.wall_ns - testing::kWallOffset);
      (*store)->add(r);
    }
    Recorded live = evs.front();
    for (const auto& r : evs)
      if (r.event.kind == EventKind::kSocket) live = r;
    live.event.sock_ino = 99;
    live.wall_ns = now - 9ll * 24 * 3600 * 1'000'000'000;
    (*store)->add(live);
  }
  o.max_age_ns = 7ll * 24 * 3600 * 1'000'000'000;
  auto store = Store::open(o, kBoot);  // prunes at open
  ASSERT_TRUE(store);
  EXPECT_GT((*store)->stats().pruned, 0u);
  auto reader = Reader::open(db);
  auto all = (*reader)->query(kBoot, Query{});
  ASSERT_TRUE(all);
  // What was closed ten days ago is gone; the socket still open stays.
  bool kept = false;
  for (const auto& h : *all) {
    EXPECT_EQ(h.closed_wall_ns, 0) << h.inode;
    kept = kept || h.inode == 99;
  }
  EXPECT_TRUE(kept);
  EXPECT_LT(all->size(), 5u);
}

// A child writes through Store and reports each flushed (committed) count on
// a pipe; it is killed with SIGKILL in the middle of its stream. Every event
// it reported must be in the file, which opens without repair.
TEST(HistoryDurability, KillNineLosesNothingCommitted) {
  TempDir dir;
  std::string db = dir / "h.db";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto o = testing::options(db);
    o.batch_ms = 5;
    auto store = Store::open(o, kBoot);
    if (!store) ::_exit(2);
    for (int round = 0;; round++) {
      storm(**store, 1, round);
      (*store)->flush();
      uint64_t n = (*store)->stats().stored;
      if (::write(fds[1], &n, sizeof(n)) != sizeof(n)) ::_exit(3);
      storm(**store, 3, round + 100000);  // more, unflushed, in flight when killed
    }
  }
  ::close(fds[1]);
  uint64_t committed = 0, n = 0;
  for (int i = 0; i < 30 && ::read(fds[0], &n, sizeof(n)) == sizeof(n); i++) committed = n;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  ASSERT_GT(committed, 0u);
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader) << reader.error().what;
  auto st = (*reader)->status();
  ASSERT_TRUE(st) << st.error().what;
  EXPECT_GE(st->events, committed);
  ASSERT_TRUE(st->last_session);
  EXPECT_EQ(st->last_session->stopped_wall_ns, 0) << "killed, never stopped";
  reader->reset();
  // A restart goes on, and records the time nobody recorded.
  auto store = Store::open(testing::options(db), kBoot);
  ASSERT_TRUE(store) << store.error().what;
  EXPECT_EQ((*store)->moved_aside(), "");
  store->reset();
  auto after = Reader::open(db);
  auto x = (*after)->explain_missing(kBoot, 0, (*after)->status()->last_session->stopped_wall_ns);
  ASSERT_TRUE(x);
  ASSERT_EQ(x->gaps.size(), 1u);
  EXPECT_EQ(x->gaps[0].from_wall_ns, x->sessions[0].last_wall_ns);
}

TEST(HistoryPaths, RootOwnedModesAndNoSymlinks) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (ownership checks)";
  TempDir dir;
  auto o = testing::options(dir / "var/lib/sockscope/history.db");
  o.check_owner = true;
  {
    auto store = Store::open(o, kBoot);
    ASSERT_TRUE(store) << store.error().what;
  }
  struct stat st {};
  ASSERT_EQ(::stat((dir / "var/lib/sockscope").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat(o.path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_uid, 0u);

  // A symlinked directory, a symlinked file, a group-writable directory and
  // a foreign-owned file are each refused, saying which.
  ASSERT_EQ(::symlink((dir / "var/lib/sockscope").c_str(), (dir / "link").c_str()), 0);
  o.path = dir / "link/history.db";
  auto refused = Store::open(o, kBoot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().what.find("symlink"), std::string::npos) << refused.error().what;

  ASSERT_EQ(::symlink((dir / "var/lib/sockscope/history.db").c_str(), (dir / "var/lib/sockscope/l.db").c_str()), 0);
  o.path = dir / "var/lib/sockscope/l.db";
  refused = Store::open(o, kBoot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().what.find("symlink"), std::string::npos) << refused.error().what;

  ASSERT_EQ(::mkdir((dir / "open").c_str(), 0775), 0);
  ASSERT_EQ(::chmod((dir / "open").c_str(), 0775), 0);
  o.path = dir / "open/history.db";
  refused = Store::open(o, kBoot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().what.find("lets others write"), std::string::npos) << refused.error().what;

  o.path = dir / "var/lib/sockscope/history.db";
  ASSERT_EQ(::chown(o.path.c_str(), 65534, 65534), 0);
  refused = Store::open(o, kBoot);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().what.find("owned by uid 65534"), std::string::npos) << refused.error().what;
}

}  // namespace
}  // namespace sockscope::history
