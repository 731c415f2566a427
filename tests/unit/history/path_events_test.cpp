// SPDX-License-Identifier: GPL-2.0-only
// Reader::path_events on the stored tour: the listener's bind at
// $W/tour.sock and the tour's unlink of it, by exact bytes, oldest first;
// the same answers from a file of schema v1, before and after its upgrade.
#include <gtest/gtest.h>

#include <optional>

#include "base/strings.h"
#include "history/reader.h"
#include "history/schema.h"
#include "history/sqlite.h"
#include "history/store.h"
#include "history_fixture.h"
#include "procfs/process.h"

namespace sockscope::history {
namespace {

using testing::TempDir;

constexpr const char* kBoot = "9a7b0000-0000-4000-8000-000000000014";

// The tour's events, and its process as the recorder reads it (from the
// fixture's copy of /proc/PID).
void store_tour(const std::string& db, std::optional<ProcessInfo> also = std::nullopt) {
  auto store = Store::open(testing::options(db), kBoot);
  ASSERT_TRUE(store) << store.error().what;
  auto evs = testing::tour();
  for (const auto& r : evs) (*store)->add(r);
  uint32_t pid = evs.front().event.tgid;
  // The fixture keeps no stat (read_process_info's start): the fields one by one.
  std::string dir = sockscope::testing::fixture("tracer/tour") + "/proc/" + std::to_string(pid);
  ProcessInfo p;
  p.pid = pid;
  p.wall_ns = evs.front().wall_ns;
  p.comm = procfs::read_comm(sockscope::testing::fixture("tracer/tour") + "/proc", static_cast<int>(pid));
  p.exe = procfs::read_exe(sockscope::testing::fixture("tracer/tour") + "/proc", static_cast<int>(pid));
  p.argv = read_small_file(dir + "/cmdline").value_or("");
  ASSERT_FALSE(p.argv.empty()) << dir;
  (*store)->add_process(std::move(p));
  if (also) (*store)->add_process(std::move(*also));
  (*store)->flush();
}

// A file as a v1 sockscope left it: the v1 schema, and the tour's rows
// (schema v2 adds indexes only, so the rows are the same).
void make_v1(const std::string& v1, const std::string& current) {
  auto db = Db::open(v1, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_TRUE(db) << db.error().what;
  ASSERT_TRUE(configure_writer(*db));
  auto m = migrate(*db, 1);
  ASSERT_TRUE(m) << m.error().what;
  std::string copy = "ATTACH '" + current + "' AS cur;";
  for (const char* t :
       {"boots", "sessions", "ctx", "stacks", "processes", "snapshots", "holders", "sockets", "events", "gaps"})
    copy += std::string("INSERT INTO main.") + t + " SELECT * FROM cur." + t + ";";
  auto r = db->exec(copy + "DETACH cur;");
  ASSERT_TRUE(r) << r.error().what;
  EXPECT_EQ(*db->scalar("PRAGMA user_version"), 1);
  EXPECT_EQ(*db->scalar("SELECT count(*) FROM sqlite_master WHERE name = 'events_unlinked'"), 0);
}

class PathEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    store_tour(db_);
    for (const auto& r : testing::tour()) {
      if (r.event.kind == EventKind::kBind && r.event.address == path_) bind_ = r;
      if (r.event.kind == EventKind::kUnlink && r.event.path == path_) (r.event.failed() ? before_ : unlink_) = r;
    }
    ASSERT_NE(bind_.wall_ns, 0) << "the tour binds " << path_;
    ASSERT_NE(unlink_.wall_ns, 0) << "the tour unlinks " << path_;
    ASSERT_LT(before_.wall_ns, bind_.wall_ns) << "and tried to before it bound (ENOENT)";
  }
  // The failed unlink, the bind, the unlink, each as recorded.
  void expect_tour_answer(Reader& reader) {
    auto got = reader.path_events(kBoot, path_, 0);
    ASSERT_TRUE(got) << got.error().what;
    ASSERT_EQ(got->size(), 3u);
    size_t i = 0;
    for (const Recorded* want : {&before_, &bind_, &unlink_}) {
      EXPECT_EQ((*got)[i].wall_ns, want->wall_ns);
      testing::expect_same((*got)[i++].event, want->event);
    }
  }
  TempDir dir_;
  std::string db_ = dir_ / "history.db";
  std::string path_ = sockscope::testing::fixture_workdir("tracer/tour") + "/tour.sock";
  Recorded before_, bind_, unlink_;
};

TEST_F(PathEvents, TheListenersBindThenTheUnlinkOldestFirstFailedOnesToo) {
  auto reader = Reader::open(db_);
  ASSERT_TRUE(reader) << reader.error().what;
  expect_tour_answer(**reader);
  // A connect to the path does not change it: not among them.
  auto after_bind = (*reader)->path_events(kBoot, path_, bind_.wall_ns + 1);
  ASSERT_TRUE(after_bind);
  ASSERT_EQ(after_bind->size(), 1u);
  EXPECT_EQ(after_bind->front().event.kind, EventKind::kUnlink);
  EXPECT_EQ(after_bind->front().event.tgid, unlink_.event.tgid);
  EXPECT_EQ(after_bind->front().event.comm, unlink_.event.comm);
}

TEST_F(PathEvents, ExactBytesOnly) {
  auto reader = Reader::open(db_);
  ASSERT_TRUE(reader);
  for (const std::string& other :
       {path_ + "x", path_.substr(0, path_.size() - 1), std::string("tour.sock"), path_ + std::string(1, '\0')}) {
    auto got = (*reader)->path_events(kBoot, other, 0);
    ASSERT_TRUE(got) << got.error().what;
    EXPECT_TRUE(got->empty()) << other;
  }
  auto nobody = (*reader)->path_events(kBoot, sockscope::testing::fixture_workdir("tracer/tour") + "/nobody.sock", 0);
  ASSERT_TRUE(nobody);
  EXPECT_TRUE(nobody->empty()) << "a failed connect is not a change of the path";
  auto other_boot = (*reader)->path_events("another-boot", path_, 0);
  ASSERT_TRUE(other_boot);
  EXPECT_TRUE(other_boot->empty());
}

TEST_F(PathEvents, TheUnlinkersProcessAsRecorded) {
  auto reader = Reader::open(db_);
  ASSERT_TRUE(reader);
  auto p = (*reader)->process(kBoot, unlink_.event.tgid, unlink_.wall_ns);
  ASSERT_TRUE(p) << p.error().what;
  ASSERT_TRUE(*p) << "the store's tour has the tour's process";
  EXPECT_EQ((*p)->pid, unlink_.event.tgid);
  EXPECT_NE((*p)->exe.find("event_tour"), std::string::npos) << (*p)->exe;
  EXPECT_EQ((*p)->argv, "build/progs/event_tour" + std::string(1, '\0') +
                            sockscope::testing::fixture_workdir("tracer/tour") + std::string(1, '\0'));
  auto none = (*reader)->process("another-boot", unlink_.event.tgid, unlink_.wall_ns);
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}

// pid reuse: the tour's pid seen again, as another program, a moment after
// the unlink. The unlink was the tour's doing, not the later program's,
// although the later sight is nearer in time.
TEST_F(PathEvents, AReusedPidSeenLaterDoesNotTakeTheUnlink) {
  std::string db = dir_ / "reused.db";
  ProcessInfo later;
  later.pid = unlink_.event.tgid;
  later.start_ticks = 1;  // another process than the tour's (whose fixture keeps no stat: 0)
  later.wall_ns = unlink_.wall_ns + 1;
  later.comm = "reused";
  later.exe = "/usr/bin/reused";
  store_tour(db, later);
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader);
  auto p = (*reader)->process(kBoot, unlink_.event.tgid, unlink_.wall_ns);
  ASSERT_TRUE(p && *p);
  EXPECT_NE((*p)->exe.find("event_tour"), std::string::npos) << (*p)->exe;
}

TEST_F(PathEvents, AVersion1FileAnswersTheSameAndIsUpgraded) {
  std::string v1 = dir_ / "v1.db";
  make_v1(v1, db_);
  {
    auto reader = Reader::open(v1);  // a reader never upgrades: v1 as it is
    ASSERT_TRUE(reader) << reader.error().what;
    EXPECT_EQ((*reader)->status()->schema_version, 1);
    expect_tour_answer(**reader);
  }
  {
    auto o = testing::options(v1);
    o.max_age_ns = int64_t{100} * 365 * 24 * 3600 * 1'000'000'000;  // the tour is older than a week
    auto store = Store::open(o, kBoot);                             // the recorder's open upgrades
    ASSERT_TRUE(store) << store.error().what;
    EXPECT_EQ((*store)->moved_aside(), "");
  }
  auto reader = Reader::open(v1);
  ASSERT_TRUE(reader) << reader.error().what;
  EXPECT_EQ((*reader)->status()->schema_version, 2);
  expect_tour_answer(**reader);
  auto db = Db::open(v1, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db);
  EXPECT_EQ(*db->scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('events_unlinked', 'events_bound', "
                        "'events_renamed')"),
            3);
  // The index, not a scan of every event on no socket.
  auto plan = db->prepare("EXPLAIN QUERY PLAN SELECT * FROM events e WHERE e.kind IN (11, 12) AND e.path = x'00'");
  ASSERT_TRUE(plan);
  std::string details;
  while (*plan->step()) details += plan->col_bytes(3) + "\n";
  EXPECT_NE(details.find("events_unlinked"), std::string::npos) << details;
}

}  // namespace
}  // namespace sockscope::history
