// SPDX-License-Identifier: GPL-2.0-only
// Decoding real unix_diag / inet_diag dumps recorded from the kernel.
#include <gtest/gtest.h>

#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "../fixture.h"
#include "base/strings.h"
#include "sockdiag/sockdiag.h"

namespace sockscope::sockdiag {
namespace {

Dump load(const std::string& rel) {
  auto bytes = read_small_file(testing::fixture("topology") + "/" + rel);
  EXPECT_TRUE(bytes) << rel;
  return Dump(bytes->begin(), bytes->end());
}

std::string host_dump() {
  std::ifstream in(testing::fixture("topology") + "/netns.txt");
  std::string ino;
  in >> ino;
  return "diag/" + ino + "/unix";
}

TEST(DecodeUnix, ReadsNamesPeersVfsAndPendingConnections) {
  auto socks = decode_unix(load(host_dump()));
  ASSERT_TRUE(socks) << socks.error().what;
  std::string dir = testing::fixture_workdir("topology");
  int listeners = 0, abstract = 0, with_vfs = 0, with_pending = 0, connected = 0;
  for (const auto& s : socks.value()) {
    EXPECT_EQ(s.family, AF_UNIX);
    EXPECT_NE(s.inode, 0u);
    if (s.state == TCP_LISTEN && s.local.rfind(dir, 0) == 0) ++listeners;
    if (s.local.rfind("@sockscope-topology-", 0) == 0) ++abstract;
    if (s.local.rfind(dir, 0) == 0 && s.vfs_ino != 0) ++with_vfs;
    if (!s.pending.empty()) ++with_pending;
    if (s.peer_inode != 0) ++connected;
  }
  EXPECT_EQ(listeners, 6);  // listen, gone, replaced x2, pending, split
  EXPECT_GE(abstract, 2);   // the abstract listener and its accepted end
  EXPECT_GE(with_vfs, 8);
  EXPECT_EQ(with_pending, 1);
  EXPECT_GE(connected, 14);
}

TEST(DecodeUnix, RejectsTruncatedDumps) {
  Dump d = load(host_dump());
  d.resize(d.size() - 7);
  auto r = decode_unix(d);
  EXPECT_FALSE(r);
}

TEST(DecodeUnix, EmptyDumpIsEmpty) {
  auto r = decode_unix({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(DecodeInet, ReadsListenersWithAddresses) {
  std::ifstream in(testing::fixture("topology") + "/netns.txt");
  std::string ino;
  in >> ino;
  auto socks = decode_inet(load("diag/" + ino + "/tcp4"), IPPROTO_TCP);
  ASSERT_TRUE(socks);
  // The recorded host had one TCP listener, on 0.0.0.0:2024 (what `ss -tln`
  // printed then): the port as a user reads it, in host byte order.
  ASSERT_EQ(socks->size(), 1u);
  const auto& s = socks->front();
  EXPECT_EQ(s.state, TCP_LISTEN);
  EXPECT_EQ(s.local, "0.0.0.0:2024");
  EXPECT_EQ(s.remote, "0.0.0.0:0");
  EXPECT_EQ(s.inode, 562u);
  EXPECT_EQ(s.type, SOCK_STREAM);
}

// Found by fuzz/sock_diag.cpp (docs/testing.md): a recorded dump, mutated so
// that its last message (3901 bytes) ends the dump without the padding to 4
// bytes. NLMSG_NEXT's length went to -3, NLMSG_OK read it as 4 GiB and the
// walk read past the end of the buffer (an ASan heap-buffer-overflow).
TEST(DecodeUnix, LastMessageWithoutPaddingEndsTheDump) {
  auto bytes = read_small_file(testing::fixture("fuzz_regressions") + "/sock_diag/unpadded_last_message");
  ASSERT_TRUE(bytes);
  Dump dump(bytes->begin(), bytes->end());
  ASSERT_EQ(dump.size() % 4, 1u);
  auto socks = decode_unix(dump);
  ASSERT_TRUE(socks) << socks.error().what;
  ASSERT_EQ(socks->size(), 2u);
  EXPECT_EQ(socks->front().inode, 20974u);
  // Its 44-byte unix payloads are too short for an inet_diag_msg: an error, no read past them.
  EXPECT_FALSE(decode_inet(dump, IPPROTO_TCP));
  // Cut inside the last message's header: an error, not a read past the end.
  dump.resize(60 + 8);
  EXPECT_FALSE(decode_unix(dump));
}

}  // namespace
}  // namespace sockscope::sockdiag
