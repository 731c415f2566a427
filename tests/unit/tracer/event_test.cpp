// SPDX-License-Identifier: GPL-2.0-only
// Decoding ring buffer records recorded from the real tracer running
// tests/progs/event_tour.cpp (tests/fixtures/tracer/tour/README.md).
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "recorded.h"

namespace sockscope::tracer {
namespace {

using testing::find_event;

class RecordedEvents : public testing::TourTest {
 protected:
  const Event* bind_at(const std::string& address) {
    return find_event(evs_, EventKind::kBind, [&](const Event& e) { return e.address == address; });
  }
};

TEST_F(RecordedEvents, NameTheProcessThatMadeThem) {
  const Event* sp = find_event(evs_, EventKind::kSocketpair);
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->tgid, static_cast<uint32_t>(pid_));
  EXPECT_EQ(sp->tid, sp->tgid);
  EXPECT_EQ(sp->comm, "event_tour");
  EXPECT_NE(sp->netns, 0u);
  EXPECT_NE(sp->mntns, 0u);
}

TEST_F(RecordedEvents, SocketpairCarriesBothEnds) {
  const Event* sp = find_event(evs_, EventKind::kSocketpair);
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->family, AF_UNIX);
  EXPECT_EQ(sp->type, SOCK_STREAM);
  EXPECT_GE(sp->fd, 3);
  EXPECT_EQ(sp->fd2, sp->fd + 1);
  EXPECT_NE(sp->sock_ino, 0u);
  EXPECT_NE(sp->sock_ino2, 0u);
  EXPECT_NE(sp->sock_ino, sp->sock_ino2);
}

TEST_F(RecordedEvents, UnixPathIsTheBoundFile) {
  const Event* b = bind_at(dir_ + "/tour.sock");
  ASSERT_TRUE(b) << "no bind of " << dir_ << "/tour.sock";
  EXPECT_EQ(b->family, AF_UNIX);
  EXPECT_EQ(b->ret, 0);
  EXPECT_TRUE(b->path.empty()) << "the address is in address, not path";
}

// "\0tour\0x\x01" was bound with its exact length: 7 bytes after the NUL.
TEST_F(RecordedEvents, AbstractNameKeepsItsExactLengthAndNuls) {
  const Event* b = find_event(evs_, EventKind::kBind, [](const Event& e) { return e.address[0] == '@'; });
  ASSERT_TRUE(b);
  EXPECT_EQ(b->address, std::string("@tour\0x\x01", 8));  // raw: render/ escapes
  const Event* c = find_event(evs_, EventKind::kConnect, [](const Event& e) { return e.address[0] == '@'; });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->address, b->address);
}

TEST_F(RecordedEvents, InetPortsAreInHostOrder) {
  const Event* b = bind_at("127.0.0.1:47001");
  ASSERT_TRUE(b) << "the tour binds 127.0.0.1:47001";
  EXPECT_EQ(b->family, AF_INET);
  EXPECT_EQ(b->type, SOCK_STREAM);
  const Event* c = find_event(evs_, EventKind::kConnect, [](const Event& e) { return e.family == AF_INET; });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->address, "127.0.0.1:47001");
  EXPECT_EQ(c->ret, 0);
}

TEST_F(RecordedEvents, FailedConnectKeepsItsErrno) {
  const Event* c = find_event(evs_, EventKind::kConnect, [](const Event& e) { return e.failed(); });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ret, -ENOENT) << "nobody.sock does not exist";
  EXPECT_EQ(c->error(), ENOENT);
  EXPECT_EQ(c->address, dir_ + "/nobody.sock");
}

// accept's fd2/sock_ino2 name the listener, sock_ino the new socket, and
// peer_ino (unix) the connecting client's socket.
TEST_F(RecordedEvents, AcceptNamesListenerAndPeer) {
  const Event* b = bind_at(dir_ + "/tour.sock");
  ASSERT_TRUE(b);
  const Event* a = find_event(evs_, EventKind::kAccept, [&](const Event& e) { return e.sock_ino2 == b->sock_ino; });
  ASSERT_TRUE(a) << "no accept on the listener bound at tour.sock";
  EXPECT_EQ(a->fd2, b->fd);
  EXPECT_EQ(a->fd, static_cast<int>(a->ret));
  EXPECT_NE(a->sock_ino, b->sock_ino);
  const Event* c =
      find_event(evs_, EventKind::kConnect, [&](const Event& e) { return e.address == b->address && !e.failed(); });
  ASSERT_TRUE(c);
  EXPECT_EQ(a->peer_ino, c->sock_ino);
}

TEST_F(RecordedEvents, LastCloseReleasesTheSocket) {
  const Event* b = bind_at(dir_ + "/tour.sock");
  ASSERT_TRUE(b);
  const Event* c = find_event(evs_, EventKind::kClose, [&](const Event& e) { return e.sock_ino == b->sock_ino; });
  ASSERT_TRUE(c);
  EXPECT_EQ(c->fd, b->fd);
  EXPECT_TRUE(c->released());
}

TEST_F(RecordedEvents, ScmRightsNameThePassedSocket) {
  const Event* s = find_event(evs_, EventKind::kSendmsg);
  const Event* r = find_event(evs_, EventKind::kRecvmsg);
  ASSERT_TRUE(s && r);
  ASSERT_EQ(s->fds.size(), 1u);
  ASSERT_EQ(r->fds.size(), 1u);
  EXPECT_EQ(r->fds_total, 1u);
  const Event* dgram = find_event(evs_, EventKind::kSocket, [](const Event& e) { return e.type == SOCK_DGRAM; });
  ASSERT_TRUE(dgram);
  EXPECT_EQ(s->fds[0], dgram->fd);
  EXPECT_EQ(r->fd_inos[0], dgram->sock_ino);
  EXPECT_NE(r->fds[0], s->fds[0]) << "received as a new descriptor";
}

TEST_F(RecordedEvents, ExecNamesTheFileAsGiven) {
  const Event* x = find_event(evs_, EventKind::kExec, [&](const Event& e) { return e.tgid == uint32_t(pid_); });
  ASSERT_TRUE(x);
  EXPECT_EQ(x->path, "build/progs/event_tour");
  EXPECT_EQ(x->comm, "event_tour") << "the comm after the exec";
}

// The child's exec of "/bin/true" has no path in the recording: the string
// is a literal in a page the forked child had not touched yet, and the
// tracer reads it at sys_enter without faulting it in.
TEST_F(RecordedEvents, ProcessEventsOfTheChild) {
  const Event* f = find_event(evs_, EventKind::kFork, [&](const Event& e) { return e.tgid == uint32_t(pid_); });
  ASSERT_TRUE(f);
  uint32_t child = f->child_tgid;
  EXPECT_NE(child, 0u);
  const Event* x = find_event(evs_, EventKind::kExec, [&](const Event& e) { return e.tgid == child; });
  ASSERT_TRUE(x);
  EXPECT_EQ(x->comm, "true");
  EXPECT_EQ(x->ret, 0);
  EXPECT_EQ(x->ppid, uint32_t(pid_));
  const Event* q = find_event(evs_, EventKind::kExit, [&](const Event& e) { return e.tgid == child; });
  ASSERT_TRUE(q);
  EXPECT_EQ(q->exit_status, 0);
}

TEST(DecodeRecord, RejectsAShortRecordWithAHint) {
  auto recs = testing::read_records(testing::tracer_fixture("tour") + "/ring.bin");
  ASSERT_FALSE(recs.empty());
  auto ev = decode(recs[0].data(), recs[0].size() - 1);
  ASSERT_FALSE(ev);
  EXPECT_NE(ev.error().hint.find("rebuild"), std::string::npos);
}

}  // namespace
}  // namespace sockscope::tracer
