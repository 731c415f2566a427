// SPDX-License-Identifier: GPL-2.0-only
// Issue 21, item 4: every "no peer" reason is true for the case it names.
// Each case is made of real sockets held by this test process, and `ls -p
// SELF --json` must give the reason that fits it (not the one that fitted
// before: "the peer is not on this machine" for a TCP connection waiting in
// a local listener's queue, "not connected" for a connected UDP socket,
// "an unconnected datagram socket" for a receiver others are connected to).
// Item 6: the shutdown state, as the kernel keeps it (sk_shutdown), in JSON
// and in `ls` text.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

class NoPeerReasons : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  }
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
  }

  int keep(int fd) {
    EXPECT_GE(fd, 0) << std::strerror(errno);
    fds_.push_back(fd);
    return fd;
  }

  // A socket bound to 127.0.0.1 on a port the kernel picks; its address.
  sockaddr_in bound_loopback(int fd) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return a;
  }

  // A loopback TCP listener and a client connected to it (not accepted).
  struct TcpPair {
    int listener = -1, client = -1;
    sockaddr_in addr{};
  };
  TcpPair connected_tcp() {
    TcpPair t;
    t.listener = keep(::socket(AF_INET, SOCK_STREAM, 0));
    t.addr = bound_loopback(t.listener);
    EXPECT_EQ(::listen(t.listener, 4), 0) << std::strerror(errno);
    t.client = keep(::socket(AF_INET, SOCK_STREAM, 0));
    EXPECT_EQ(::connect(t.client, reinterpret_cast<sockaddr*>(&t.addr), sizeof t.addr), 0) << std::strerror(errno);
    return t;
  }

  static uint64_t inode_of(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return st.st_ino;
  }

  // This process's socket `fd` as `ls -p SELF --json` shows it.
  json shown(int fd) {
    auto r = sockscope({"ls", "-p", std::to_string(::getpid()), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto doc = json::parse(r.out);
    for (const auto& s : doc["sockets"])
      if (s["inode"] == inode_of(fd)) return s;
    ADD_FAILURE() << "fd " << fd << " (inode " << inode_of(fd) << ") not listed:\n" << r.out;
    return json::object();
  }

  static std::string reason(const json& s) {
    return s.contains("no_peer_reason") && s["no_peer_reason"].is_string() ? s["no_peer_reason"].get<std::string>()
                                                                           : std::string("(none)");
  }

  std::vector<int> fds_;
};

std::string endpoint(const sockaddr_in& a) { return "127.0.0.1:" + std::to_string(ntohs(a.sin_port)); }

TEST_F(NoPeerReasons, TcpClientInALocalListenersQueueIsNotAcceptedYet) {
  auto [l, c, addr] = connected_tcp();
  auto s = shown(c);
  EXPECT_EQ(s["state"], "ESTAB") << s.dump();
  EXPECT_TRUE(s["peer"].is_null()) << s.dump();
  EXPECT_NE(reason(s).find("not accepted yet"), std::string::npos) << reason(s);
  EXPECT_NE(reason(s).find(endpoint(addr) + " (inode " + std::to_string(inode_of(l))), std::string::npos) << reason(s);
  EXPECT_EQ(reason(s).find("not on this machine"), std::string::npos) << reason(s);
}

TEST_F(NoPeerReasons, TcpClientOnceAcceptedHasItsPeer) {
  auto [l, c, addr] = connected_tcp();
  int a = keep(::accept(l, nullptr, nullptr));
  auto s = shown(c);
  EXPECT_EQ(s["peer"]["inode"], inode_of(a)) << s.dump();
  EXPECT_EQ(reason(s), "(none)");
}

TEST_F(NoPeerReasons, ConnectedUdpNamesTheSocketThatReceives) {
  int r = keep(::socket(AF_INET, SOCK_DGRAM, 0));
  auto addr = bound_loopback(r);
  int u = keep(::socket(AF_INET, SOCK_DGRAM, 0));
  ASSERT_EQ(::connect(u, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto s = shown(u);
  EXPECT_EQ(s["type"], "dgram") << s.dump();  // as made: socket(AF_INET, SOCK_DGRAM, 0)
  EXPECT_EQ(s["protocol"], "udp") << s.dump();
  EXPECT_EQ(s["state"], "ESTAB") << s.dump();
  EXPECT_EQ(s["remote"], endpoint(addr)) << s.dump();
  std::string comm;  // the kernel's name for this process, not sockscope's
  std::getline(std::ifstream("/proc/self/comm"), comm);
  EXPECT_EQ(reason(s), "a connected UDP socket: it sends to " + endpoint(addr) + ", where socket inode " +
                           std::to_string(inode_of(r)) + " (" + comm + "[" + std::to_string(::getpid()) +
                           "]) receives");
}

TEST_F(NoPeerReasons, ConnectedUdpToAPortNobodyHoldsSaysSo) {
  int probe = ::socket(AF_INET, SOCK_DGRAM, 0);
  auto addr = bound_loopback(probe);  // a port that was free, free again once closed
  ::close(probe);
  int u = keep(::socket(AF_INET, SOCK_DGRAM, 0));
  ASSERT_EQ(::connect(u, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto s = shown(u);
  EXPECT_NE(reason(s).find("sends to " + endpoint(addr) + ", where no socket of this machine receives"),
            std::string::npos)
      << reason(s);
}

TEST_F(NoPeerReasons, UnixDatagramReceiverCountsTheSocketsConnectedToIt) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::string name = "sockscope-nopeer-" + std::to_string(::getpid());
  std::memcpy(a.sun_path + 1, name.data(), name.size());
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  int r = keep(::socket(AF_UNIX, SOCK_DGRAM, 0));
  ASSERT_EQ(::bind(r, reinterpret_cast<sockaddr*>(&a), len), 0);
  std::vector<uint64_t> senders;
  for (int i = 0; i < 2; ++i) {
    int s = keep(::socket(AF_UNIX, SOCK_DGRAM, 0));
    ASSERT_EQ(::connect(s, reinterpret_cast<sockaddr*>(&a), len), 0);
    senders.push_back(inode_of(s));
  }
  auto s = shown(r);
  EXPECT_NE(reason(s).find("a datagram receiver: 2 sockets are connected to it"), std::string::npos) << reason(s);
  for (uint64_t ino : senders) EXPECT_NE(reason(s).find(std::to_string(ino)), std::string::npos) << reason(s);
  // A sender has the receiver as its peer.
  EXPECT_EQ(shown(fds_.back())["peer"]["inode"], inode_of(r));
  // A datagram socket nobody is connected to keeps the old, true reason.
  int lone = keep(::socket(AF_UNIX, SOCK_DGRAM, 0));
  EXPECT_NE(reason(shown(lone)).find("an unconnected datagram socket"), std::string::npos);
}

// A unix stream pair whose other end is closed: `ls` says so in the peer
// column of the open end's row, in text as in JSON.
TEST_F(NoPeerReasons, UnixPeerClosedShowsInTheTextRow) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  keep(sv[0]);
  ::close(sv[1]);
  EXPECT_EQ(reason(shown(sv[0])), "the peer has closed its end (reads return EOF, writes EPIPE)");
  auto r = sockscope({"ls", "-p", std::to_string(::getpid())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string row = line_with(r.out, " " + std::to_string(inode_of(sv[0])) + " ");
  ASSERT_FALSE(row.empty()) << r.out;
  EXPECT_NE(row.find("(peer closed)"), std::string::npos) << row;
}

using SocketQueues = NoPeerReasons;

// Five bytes written and not read yet: the reader's receive queue holds 5,
// as `ss -x` shows it (Recv-Q), and `ls` says the same.
TEST_F(SocketQueues, UnreadBytesAreTheReceiveQueueAsSsShowsIt) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  keep(sv[0]);
  keep(sv[1]);
  ASSERT_EQ(::write(sv[1], "hello", 5), 5);
  std::string ino = std::to_string(inode_of(sv[0]));
  auto ss = run({"ss", "-Hxa"}).out;  // Netid State Recv-Q Send-Q Local Port Peer Port
  std::istringstream lines(ss);
  std::string recv_q;
  for (std::string line; std::getline(lines, line);) {
    auto w = words(line);
    if (w.size() >= 6 && w[5] == ino) recv_q = w[2];
  }
  ASSERT_EQ(recv_q, "5") << "ss -x for inode " << ino << ":\n" << ss;
  EXPECT_EQ(shown(sv[0])["rqueue"], 5) << shown(sv[0]).dump();
}

using ShutdownState = NoPeerReasons;

// ss -e ends a socket's line with its INET_DIAG_SHUTDOWN/UNIX_DIAG_SHUTDOWN
// as an arrow (" %c-%c": '-' in place of '<' once it receives no more, of
// '>' once it sends no more). The arrow of the line with word `word` (at
// `column`, or anywhere for -1), in sockscope's words.
std::string ss_shutdown(const std::vector<std::string>& ss_args, const std::string& word, int column = -1) {
  std::vector<std::string> argv = {"ss"};
  argv.insert(argv.end(), ss_args.begin(), ss_args.end());
  std::istringstream lines(run(argv).out);
  for (std::string line; std::getline(lines, line);) {
    auto w = words(line);
    if (column >= 0 ? (w.size() <= size_t(column) || w[size_t(column)] != word)
                    : std::find(w.begin(), w.end(), word) == w.end())
      continue;
    for (const auto& t : w) {
      if (t == "<->") return "none";
      if (t == "-->") return "read";
      if (t == "<--") return "write";
      if (t == "---") return "both";
    }
    return "(no arrow) " + line;
  }
  return "(no line with " + word + ")";
}

// shutdown(SHUT_RD) on one end of a unix stream pair: that end receives no
// more, and its peer sends no more (unix_shutdown() mirrors it).
TEST_F(ShutdownState, UnixPairMirrorsItToThePeer) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  keep(sv[0]);
  keep(sv[1]);
  ASSERT_EQ(::shutdown(sv[0], SHUT_RD), 0);
  EXPECT_EQ(shown(sv[0])["shutdown"], "read");
  EXPECT_EQ(shown(sv[1])["shutdown"], "write");
  // -Hxa: Netid State Recv-Q Send-Q Local Port(the inode) Peer Port
  EXPECT_EQ(ss_shutdown({"-Hxae"}, std::to_string(inode_of(sv[0])), 5), "read") << "ss agrees";
  EXPECT_EQ(ss_shutdown({"-Hxae"}, std::to_string(inode_of(sv[1])), 5), "write") << "ss agrees";
  int open = keep(::socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_TRUE(shown(open)["shutdown"].is_null());
}

// shutdown(SHUT_WR) on a TCP client: it sends no more; once its FIN is in,
// the accepted end receives no more (tcp_fin()). Both show in `ls` text.
TEST_F(ShutdownState, TcpHalfCloseShowsOnBothEndsInJsonAndText) {
  auto [l, c, addr] = connected_tcp();
  int a = keep(::accept(l, nullptr, nullptr));
  ASSERT_EQ(::shutdown(c, SHUT_WR), 0);
  char b;
  ASSERT_EQ(::read(a, &b, 1), 0);  // the FIN has arrived
  EXPECT_EQ(shown(c)["shutdown"], "write");
  EXPECT_EQ(shown(a)["shutdown"], "read");
  EXPECT_EQ(ss_shutdown({"-Htae"}, "ino:" + std::to_string(inode_of(c))), "write") << "ss agrees";
  EXPECT_EQ(ss_shutdown({"-Htae"}, "ino:" + std::to_string(inode_of(a))), "read") << "ss agrees";
  auto r = sockscope({"ls", "-p", std::to_string(::getpid())});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(shut write)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(shut read)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sockscope::testing
