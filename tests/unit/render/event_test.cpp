// SPDX-License-Identifier: GPL-2.0-only
// The one-line event view of `sockscope trace`, on recorded events
// (tests/fixtures/tracer/tour). The time prefix depends on the time zone and
// is left out: everything after it is compared.
#include "render/event.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include "../tracer/recorded.h"
#include "render/escape.h"
#include "tracer/event.h"

namespace sockscope::render {
namespace {

using testing::find_event;

class OneLine : public testing::TourTest {
 protected:
  std::string line(const Event* e) {
    EXPECT_TRUE(e);
    if (!e) return {};
    std::string l = event_line(*e, clock_);
    EXPECT_EQ(l.find('\n'), std::string::npos);
    return l.substr(l.find(' ') + 1);
  }
  std::string me() { return fmt::format("event_tour[{}]", pid_); }
  Clock clock_;
};

TEST_F(OneLine, BindOfAPath) {
  const Event* b = find_event(evs_, EventKind::kBind, [&](const Event& e) { return e.address == dir_ + "/tour.sock"; });
  ASSERT_TRUE(b);
  EXPECT_EQ(line(b), fmt::format("{} bind fd={} ino={} unix/stream {}/tour.sock = 0", me(), b->fd, b->sock_ino, dir_));
}

// Abstract names may hold any byte: a NUL and \x01 print escaped, never raw.
TEST_F(OneLine, AbstractNameIsEscaped) {
  const Event* b = find_event(evs_, EventKind::kBind, [](const Event& e) { return e.address[0] == '@'; });
  ASSERT_TRUE(b);
  std::string l = line(b);
  EXPECT_NE(l.find(" @tour\\x00x\\x01 = 0"), std::string::npos) << l;
  for (char c : l) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << l;
}

TEST_F(OneLine, InetConnectShowsAddressAndPort) {
  const Event* c = find_event(evs_, EventKind::kConnect, [](const Event& e) { return e.family == AF_INET; });
  ASSERT_TRUE(c);
  EXPECT_EQ(line(c), fmt::format("{} connect fd={} ino={} inet/stream 127.0.0.1:47001 = 0", me(), c->fd, c->sock_ino));
}

TEST_F(OneLine, AcceptNamesTheListener) {
  const Event* a = find_event(evs_, EventKind::kAccept, [](const Event& e) { return e.family == AF_UNIX; });
  ASSERT_TRUE(a);
  EXPECT_EQ(line(a).substr(0, line(a).find(" unix/stream")),
            fmt::format("{} accept fd={} ino={} listener={} (ino {})", me(), a->fd, a->sock_ino, a->fd2, a->sock_ino2));
  EXPECT_NE(line(a).find(fmt::format(" peer={} = {}", a->peer_ino, a->fd)), std::string::npos) << line(a);
}

TEST_F(OneLine, FailedConnectNamesTheErrno) {
  const Event* c = find_event(evs_, EventKind::kConnect, [](const Event& e) { return e.failed(); });
  ASSERT_TRUE(c);
  std::string l = line(c);
  EXPECT_EQ(l.substr(l.size() - 11), "= -1 ENOENT") << l;
}

TEST_F(OneLine, LastCloseSaysLast) {
  const Event* c = find_event(evs_, EventKind::kClose, [](const Event& e) { return e.released(); });
  ASSERT_TRUE(c);
  EXPECT_EQ(line(c).substr(line(c).size() - 9), " last = 0") << line(c);
}

TEST_F(OneLine, ProcessEvents) {
  const Event* f = find_event(evs_, EventKind::kFork, [&](const Event& e) { return e.tgid == uint32_t(pid_); });
  ASSERT_TRUE(f);
  EXPECT_EQ(line(f), fmt::format("{} fork child={}", me(), f->child_tgid));
  const Event* x = find_event(evs_, EventKind::kExit, [&](const Event& e) { return e.tgid == f->child_tgid; });
  ASSERT_TRUE(x);
  EXPECT_EQ(line(x), fmt::format("true[{}] exit status=0", f->child_tgid));
}

TEST_F(OneLine, ScmRightsListFdAndInode) {
  const Event* r = find_event(evs_, EventKind::kRecvmsg);
  ASSERT_TRUE(r);
  EXPECT_NE(line(r).find(fmt::format("scm_rights=[{}(ino {})]", r->fds[0], r->fd_inos[0])), std::string::npos)
      << line(r);
}

TEST(Printable, EscapesBackslashAndControlBytes) {
  const char raw[] = {'a', '\\', '\0', '\n', '\x7f', 'z'};
  EXPECT_EQ(printable(std::string_view(raw, sizeof(raw))), "a\\x5c\\x00\\x0a\\x7fz");
}

}  // namespace
}  // namespace sockscope::render
