// SPDX-License-Identifier: GPL-2.0-only
// `watch` on a recorded event sequence (tests/fixtures/tracer/tour): which
// events touch a watched path, and who did it (from the recorded /proc).
#include "watch/watcher.h"

#include <gtest/gtest.h>

#include "../tracer/recorded.h"
#include "render/watch.h"

namespace sockscope::watch {
namespace {

std::vector<Touch> watch(const std::vector<std::string>& patterns, uint64_t mntns = 0) {
  lineage::ProcessTable procs(testing::tracer_fixture("tour") + "/proc");
  Watcher w(Options{patterns, mntns, 0});
  std::vector<Touch> out;
  for (const auto& e : testing::recorded_events("tour"))
    if (auto t = w.on_event(e, procs)) out.push_back(std::move(*t));
  return out;
}

std::vector<EventKind> kinds(const std::vector<Touch>& ts) {
  std::vector<EventKind> out;
  out.reserve(ts.size());
  for (const auto& t : ts) out.push_back(t.event.kind);
  return out;
}

TEST(WatcherOnTour, EveryCallOnTheWatchedPathAndNoOther) {
  std::string path = testing::fixture_workdir("tracer/tour") + "/tour.sock";
  auto ts = watch({path});
  // The tour first unlinks the path (ENOENT), binds, ..., and unlinks it.
  EXPECT_EQ(kinds(ts),
            (std::vector<EventKind>{EventKind::kUnlink, EventKind::kBind, EventKind::kListen, EventKind::kConnect,
                                    EventKind::kAccept, EventKind::kClose, EventKind::kUnlink}));
  for (const auto& t : ts) EXPECT_EQ(t.path, path);
  EXPECT_TRUE(ts[0].event.failed());
}

// accept() is about the listener (sock_ino2), not the socket it returns.
TEST(WatcherOnTour, AcceptIsMatchedOnTheListener) {
  auto ts = watch({testing::fixture_workdir("tracer/tour") + "/tour.sock"});
  const Touch* bind = nullptr;
  const Touch* accept = nullptr;
  for (const auto& t : ts) {
    if (t.event.kind == EventKind::kBind) bind = &t;
    if (t.event.kind == EventKind::kAccept) accept = &t;
  }
  ASSERT_TRUE(bind && accept);
  EXPECT_EQ(accept->event.sock_ino2, bind->event.sock_ino);
  EXPECT_EQ(accept->event.fd2, bind->event.fd);
}

// The tour is one process that runs no exec between its touches: its
// lineage is new on the first touch only, and the same chain on every one.
TEST(WatcherOnTour, LineageIsNewOnAProcesssFirstTouchOnly) {
  auto ts = watch({testing::fixture_workdir("tracer/tour") + "/tour.sock"});
  ASSERT_GT(ts.size(), 1u);
  EXPECT_TRUE(ts.front().lineage_new);
  for (size_t i = 1; i < ts.size(); ++i) {
    EXPECT_FALSE(ts[i].lineage_new) << i;
    EXPECT_EQ(ts[i].lineage, ts.front().lineage) << i;
  }
}

TEST(WatcherOnTour, UnlinkLeavesThePathNamingNothing) {
  auto ts = watch({testing::fixture_workdir("tracer/tour") + "/tour.sock"});
  ASSERT_FALSE(ts.empty());
  EXPECT_EQ(ts.back().event.kind, EventKind::kUnlink);
  EXPECT_EQ(ts.back().ino_after, 0u);
}

TEST(WatcherOnTour, GlobsAndAbstractNames) {
  auto ts = watch({"@tour*"});
  EXPECT_EQ(kinds(ts), (std::vector<EventKind>{EventKind::kBind, EventKind::kListen, EventKind::kConnect,
                                               EventKind::kAccept, EventKind::kClose}));
  auto both = watch({testing::fixture_workdir("tracer/tour") + "/*.sock"});
  bool refused = false;
  for (const auto& t : both) refused = refused || (t.event.kind == EventKind::kConnect && t.event.failed());
  EXPECT_TRUE(refused) << "the failed connect to nobody.sock is a touch too";
}

TEST(WatcherOnTour, LineageComesFromTheRecordedProc) {
  auto ts = watch({testing::fixture_workdir("tracer/tour") + "/tour.sock"});
  ASSERT_FALSE(ts.empty());
  ASSERT_FALSE(ts[0].lineage.empty());
  EXPECT_EQ(ts[0].lineage[0].pid, testing::recorded_pid("tour"));
  EXPECT_EQ(ts[0].lineage[0].comm, "event_tour");
}

// What `watch` prints for the accept: the call, its result and who made it,
// then the process as the recorded /proc shows it.
TEST(WatcherOnTour, TouchTextNamesCallAndProcess) {
  std::string dir = testing::fixture_workdir("tracer/tour");
  int pid = testing::recorded_pid("tour");
  for (const auto& t : watch({dir + "/tour.sock"}))
    if (t.event.kind == EventKind::kAccept) {
      Clock clock;
      std::string text = render::touch_text(t, clock);
      std::string tail = text.substr(text.find(' ') + 1);
      EXPECT_EQ(tail.substr(0, tail.find('\n')), "accept " + dir + "/tour.sock = " + std::to_string(t.event.ret) +
                                                     " by event_tour[" + std::to_string(pid) + "]");
      EXPECT_NE(text.find("    process event_tour[" + std::to_string(pid) + "] build/progs/event_tour " + dir + "\n"),
                std::string::npos)
          << text;
      return;
    }
  ADD_FAILURE() << "no accept touch";
}

TEST(WatcherOnTour, OtherMountNamespacesAreIgnored) {
  std::string path = testing::fixture_workdir("tracer/tour") + "/tour.sock";
  auto evs = testing::recorded_events("tour");
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(watch({path}, evs[0].mntns).size(), 7u);
  EXPECT_TRUE(watch({path}, evs[0].mntns + 1).empty());
}

}  // namespace
}  // namespace sockscope::watch
