// SPDX-License-Identifier: GPL-2.0-only
// The `run` report built from a recorded event sequence
// (tests/fixtures/tracer/tour): each socket's creation, peer and close are
// joined on its inode.
#include <fmt/format.h>
#include <sys/socket.h>

#include <map>

#include "../tracer/recorded.h"
#include "render/run_report.h"
#include "run/report_builder.h"

namespace sockscope::run {
namespace {

using render::report_json;
using render::report_text;

using testing::find_event;

class RunReportOfTour : public testing::TourTest {
 protected:
  void SetUp() override {
    TourTest::SetUp();
    ReportBuilder b;
    for (const auto& e : evs_) b.add(e);
    report_ = std::move(b).finish();
  }
  const SocketRecord* socket(uint64_t ino) {
    for (const auto& s : report_.sockets)
      if (s.inode == ino) return &s;
    return nullptr;
  }
  RunReport report_;
};

TEST_F(RunReportOfTour, SocketpairEndsArePeersOfEachOther) {
  const Event* sp = find_event(evs_, EventKind::kSocketpair);
  ASSERT_TRUE(sp);
  const SocketRecord* a = socket(sp->sock_ino);
  const SocketRecord* b = socket(sp->sock_ino2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->peer_ino, sp->sock_ino2);
  EXPECT_EQ(b->peer_ino, sp->sock_ino);
  EXPECT_EQ(a->created.fd, sp->fd);
  EXPECT_EQ(b->created.fd, sp->fd2);
  EXPECT_TRUE(a->closed && b->closed);
}

TEST_F(RunReportOfTour, AcceptedSocketJoinsItsClient) {
  const Event* c =
      find_event(evs_, EventKind::kConnect, [&](const Event& e) { return e.address == dir_ + "/tour.sock"; });
  ASSERT_TRUE(c);
  const SocketRecord* client = socket(c->sock_ino);
  ASSERT_TRUE(client);
  EXPECT_EQ(client->remote, dir_ + "/tour.sock");
  const SocketRecord* served = nullptr;
  for (const auto& s : report_.sockets)
    if (s.created.kind == EventKind::kAccept && s.peer_ino == c->sock_ino) served = &s;
  ASSERT_TRUE(served) << "no accepted socket whose peer is the client";
  EXPECT_TRUE(served->closed);
  // The listener: created by socket(), bound, listening, closed.
  const SocketRecord* l = socket(served->created.sock_ino2);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->local, dir_ + "/tour.sock");
  ASSERT_GE(l->events.size(), 3u);
  EXPECT_EQ(l->events[0].kind, EventKind::kBind);
  EXPECT_EQ(l->events[1].kind, EventKind::kListen);
  EXPECT_EQ(l->events.back().kind, EventKind::kClose);
  EXPECT_TRUE(l->closed);
}

// A run can end (or be cut) right after a socket is made: its peer is
// joined from the creating event alone, not only from later events that
// happen to name the peer too.
TEST_F(RunReportOfTour, PeerIsKnownFromTheCreatingEvent) {
  for (const auto& made : evs_) {
    if (made.kind != EventKind::kSocketpair && !(made.kind == EventKind::kAccept && made.family == AF_UNIX)) continue;
    ReportBuilder b;
    for (const auto& e : evs_) {
      b.add(e);
      if (&e == &made) break;
    }
    RunReport r = std::move(b).finish();
    std::map<uint64_t, uint64_t> peer;
    for (const auto& s : r.sockets) peer[s.inode] = s.peer_ino;
    if (made.kind == EventKind::kSocketpair) {
      EXPECT_EQ(peer[made.sock_ino], made.sock_ino2);
      EXPECT_EQ(peer[made.sock_ino2], made.sock_ino);
    } else {
      EXPECT_EQ(peer[made.sock_ino], made.peer_ino) << "accept fd " << made.fd;
      EXPECT_NE(made.peer_ino, 0u);
    }
  }
}

TEST_F(RunReportOfTour, EverySocketClosedAndTheChildRecorded) {
  for (const auto& s : report_.sockets) EXPECT_TRUE(s.closed) << s.inode;
  ASSERT_GE(report_.processes.size(), 2u);
  EXPECT_EQ(report_.processes[0].pid, pid_);
  const Event* f = find_event(evs_, EventKind::kFork, [&](const Event& e) { return e.tgid == uint32_t(pid_); });
  ASSERT_TRUE(f);
  bool child = false;
  for (const auto& p : report_.processes)
    if (p.pid == static_cast<int>(f->child_tgid)) {
      child = true;
      EXPECT_EQ(p.execs.size(), 1u) << "its exec (whose path the tracer could not read: event_test.cpp)";
      EXPECT_EQ(p.exit_status, 0);
      EXPECT_EQ(p.comm, "true");
    }
  EXPECT_TRUE(child);
  EXPECT_EQ(report_.processes[0].execs, std::vector<std::string>{"build/progs/event_tour"});
  ASSERT_EQ(report_.path_events.size(), 2u) << "the unlinks of tour.sock, before and after";
  EXPECT_TRUE(report_.path_events[0].failed());
  EXPECT_FALSE(report_.path_events[1].failed());
}

TEST_F(RunReportOfTour, TextSaysHowEachSocketWasMadeAndWhoIsOnTheOtherEnd) {
  report_.command = {"event_tour", dir_};
  Clock clock;
  std::string t = report_text(report_, clock);
  EXPECT_EQ(t.find("OPEN AT EXIT"), std::string::npos) << t;
  EXPECT_NE(t.find(fmt::format("sockets made by the process tree: {} (0 still open at exit)", report_.sockets.size())),
            std::string::npos)
      << t;
  const Event* a = find_event(evs_, EventKind::kAccept, [](const Event& e) { return e.family == AF_UNIX; });
  ASSERT_TRUE(a);
  EXPECT_NE(t.find(fmt::format("via accept on listener fd {}", a->fd2)), std::string::npos) << t;
  EXPECT_NE(t.find(fmt::format("peer: ino {}, made by this process tree (event_tour[{}])", a->peer_ino, pid_)),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("peer: none (connect failed: ENOENT)"), std::string::npos) << t;
}

TEST_F(RunReportOfTour, JsonMarksOpenAtExitAndPeers) {
  Clock clock;
  auto j = report_json(report_, clock);
  const Event* sp = find_event(evs_, EventKind::kSocketpair);
  ASSERT_TRUE(sp);
  bool seen = false;
  for (const auto& s : j["sockets"])
    if (s["inode"] == sp->sock_ino) {
      seen = true;
      EXPECT_EQ(s["open_at_exit"], false);
      EXPECT_EQ(s["peer"]["inode"], sp->sock_ino2);
      EXPECT_EQ(s["created"]["event"], "socketpair");
    }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace sockscope::run
