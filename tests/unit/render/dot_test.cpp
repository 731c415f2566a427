// SPDX-License-Identifier: GPL-2.0-only
// `ls --format dot` (render::ls_dot): clusters, nodes and edges of a small
// hand-made inventory and of a recorded one, and names someone else chose
// that must reach Graphviz as text, never as DOT syntax or markup.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cctype>

#include "../fixture.h"
#include "base/escape.h"
#include "render/escape.h"
#include "render/inventory.h"

namespace sockscope::render {
namespace {

// Every byte a name may hold that means something to a terminal, to DOT, to
// XML or to a CDATA section, and bytes that are not UTF-8.
const std::string kHostile = std::string("q\"b\\s\nn\x1b[31m<t&amp;]]>") + "\xff\xfe";

SocketInfo unix_socket(uint64_t inode, uint64_t netns, int state, std::string path) {
  SocketInfo s;
  s.inode = inode;
  s.netns = netns;
  s.family = AF_UNIX;
  s.type = SOCK_STREAM;
  s.state = state;
  s.local = std::move(path);
  return s;
}

// sssd_nss (host netns, its own mount namespace) listens on the NSS pipe; a
// JVM in another netns is connected to it (peers 11 <-> 12) and has one
// connection not accepted yet (13, pending on 10); a hostile process holds
// a socketpair end whose path is hostile too.
inventory::Inventory small_inventory() {
  inventory::Inventory inv;
  auto l = unix_socket(10, 1000, TCP_LISTEN, "/var/lib/sss/pipes/nss");
  l.owners = {{311, 23, "sssd_nss"}};
  l.pending = {13};
  auto server = unix_socket(11, 2000, TCP_ESTABLISHED, "/var/lib/sss/pipes/nss");
  server.owners = {{311, 24, "sssd_nss"}};
  server.peer_inode = 12;
  auto client = unix_socket(12, 2000, TCP_ESTABLISHED, "");
  client.owners = {{4242, 6, "java"}};
  client.peer_inode = 11;
  auto pending = unix_socket(13, 2000, TCP_ESTABLISHED, "");
  pending.owners = {{4242, 7, "java"}};
  auto odd = unix_socket(14, 1000, TCP_ESTABLISHED, kHostile);
  odd.owners = {{666, 3, kHostile}};
  inv.sockets = {l, server, client, pending, odd};
  for (size_t i = 0; i < inv.sockets.size(); ++i) inv.by_inode[inv.sockets[i].inode] = i;
  inv.listener_of_pending[13] = 0;
  inv.processes[311] = {311, "sssd_nss", 1000, 7001};
  inv.processes[4242] = {4242, "java", 2000, 7000};
  inv.processes[666] = {666, kHostile, 1000, 7000};
  inv.namespaces[1000] = {1000, "/proc/1/ns/net", "", "pid 1"};
  inv.namespaces[2000] = {2000, "/run/netns/x", kHostile, "/run/netns/x"};
  return inv;
}

std::vector<const SocketInfo*> all(const inventory::Inventory& inv) {
  std::vector<const SocketInfo*> rows;
  for (const auto& s : inv.sockets) rows.push_back(&s);
  return rows;
}

// What Graphviz needs of every quoted string: no raw control byte, a
// backslash only before \, " or n, '&' only as "&amp;", all of it UTF-8.
::testing::AssertionResult clean_dot(const std::string& dot) {
  if (!valid_utf8(dot)) return ::testing::AssertionFailure() << "not UTF-8";
  bool quoted = false;
  for (size_t i = 0; i < dot.size(); ++i) {
    char c = dot[i];
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n')
      return ::testing::AssertionFailure() << "control byte at " << i;
    if (!quoted) {
      if (c == '"') quoted = true;
      else if (c == '\n' || c == ' ' || c == '_' || std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("{}[];=,->#.()").find(c) != std::string_view::npos)
        continue;
      else return ::testing::AssertionFailure() << "unexpected '" << c << "' outside a string at " << i;
      continue;
    }
    if (c == '\n') return ::testing::AssertionFailure() << "raw newline in a string at " << i;
    if (c == '"') quoted = false;
    if (c == '&' && dot.compare(i, 5, "&amp;") != 0) return ::testing::AssertionFailure() << "bare & at " << i;
    if (c == '\\') {
      char next = i + 1 < dot.size() ? dot[i + 1] : '\0';
      if (next != '\\' && next != '"' && next != 'n')
        return ::testing::AssertionFailure() << "\\" << next << " at " << i;
      ++i;
    }
  }
  if (quoted) return ::testing::AssertionFailure() << "unterminated string";
  return ::testing::AssertionSuccess();
}

TEST(DotLabel, EscapesForGraphvizAfterPrintable) {
  EXPECT_EQ(dot_label({"a", "b"}), "\"a\\nb\"");
  EXPECT_EQ(dot_label({"say \"hi\""}), "\"say \\\"hi\\\"\"");
  // printable() turns the backslash and control bytes into \xNN; DOT then
  // keeps that backslash literal.
  EXPECT_EQ(dot_label({"a\\b\n\x1b"}), "\"a\\\\x5cb\\\\x0a\\\\x1b\"");
  EXPECT_EQ(dot_label({"&lt;"}), "\"&amp;lt;\"");
  EXPECT_EQ(dot_label({"\xff"}), "\"\\\\xff\"");
  EXPECT_TRUE(clean_dot("digraph g { a [label=" + dot_label({kHostile, kHostile}) + "]; }"));
}

TEST(LsDot, NamespacesMountsProcessesSocketsAndEdges) {
  auto inv = small_inventory();
  std::string dot = ls_dot(inv, all(inv));
  EXPECT_TRUE(clean_dot(dot)) << dot;
  EXPECT_EQ(dot.rfind("digraph sockscope {\n", 0), 0u);
  EXPECT_NE(dot.find("subgraph cluster_net_1000 {"), std::string::npos);
  EXPECT_NE(dot.find("subgraph cluster_net_2000 {"), std::string::npos);
  // Two mount namespaces in the host netns: one cluster each.
  EXPECT_NE(dot.find("subgraph cluster_net_1000_mnt_7000 {"), std::string::npos);
  EXPECT_NE(dot.find("subgraph cluster_net_1000_mnt_7001 {"), std::string::npos);
  // One mount namespace in the JVM's: no sub-cluster.
  EXPECT_EQ(dot.find("cluster_net_2000_mnt"), std::string::npos);
  EXPECT_NE(dot.find("p311 [shape=ellipse"), std::string::npos);
  EXPECT_NE(dot.find("label=\"sssd_nss[311]\\nserves sssd NSS pipe\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"java[4242]\"]"), std::string::npos);
  EXPECT_NE(dot.find("label=\"unix/stream LISTEN\\n/var/lib/sss/pipes/nss\\ninode 10\\n[sssd NSS pipe]\""),
            std::string::npos);
  EXPECT_NE(dot.find("p311 -> s10 [arrowhead=none, color=\"#666666\", label=\"fd 23\"];"), std::string::npos);
  // The peer pair once, from the lower inode; the pending client to its listener.
  EXPECT_NE(dot.find("s11 -> s12 [dir=both"), std::string::npos);
  EXPECT_EQ(dot.find("s12 -> s11"), std::string::npos);
  EXPECT_NE(dot.find("s13 -> s10 [style=dashed, color=\"#c0392b\", label=\"pending\"];"), std::string::npos);
}

TEST(LsDot, HostileNamesAreLabelsOnly) {
  auto inv = small_inventory();
  std::string dot = ls_dot(inv, all(inv));
  std::string shown = "q\\\"b\\\\x5cs\\\\x0an\\\\x1b[31m<t&amp;amp;]]>\\\\xff\\\\xfe";
  EXPECT_NE(dot.find("label=\"" + shown + "[666]\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\\n" + shown + "\\ninode 14"), std::string::npos);
  EXPECT_NE(dot.find("label=\"network namespace 2000 (" + shown + ")\""), std::string::npos);
}

TEST(LsDot, RowsBringTheirOtherEndsAndOnlyTheirHolders) {
  auto inv = small_inventory();
  std::string dot = ls_dot(inv, {&inv.sockets[2]});  // the JVM's connected end
  EXPECT_NE(dot.find("s11 ["), std::string::npos);   // its peer
  EXPECT_NE(dot.find("s11 -> s12"), std::string::npos);
  EXPECT_EQ(dot.find("s10 ["), std::string::npos);  // the listener is nobody's other end here
  EXPECT_EQ(dot.find("p666"), std::string::npos);
  dot = ls_dot(inv, {&inv.sockets[3]});  // the pending connection brings its listener
  EXPECT_NE(dot.find("s10 ["), std::string::npos);
  EXPECT_NE(dot.find("s13 -> s10"), std::string::npos);
}

TEST(LsDot, RecordedTopologyIsCleanAndHasEveryProcess) {
  inventory::ReplaySource src(testing::fixture("topology"));
  auto inv = inventory::build(src);
  std::string dot = ls_dot(inv, all(inv));
  EXPECT_TRUE(clean_dot(dot));
  for (int pid : testing::fixture_pids("topology")) EXPECT_NE(dot.find(fmt::format("p{} [", pid)), std::string::npos);
  for (const auto& [ino, ns] : inv.namespaces) {
    bool used = false;
    for (const auto& s : inv.sockets) used = used || s.netns == ino;
    if (used) {
      EXPECT_NE(dot.find(fmt::format("subgraph cluster_net_{} {{", ino)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace sockscope::render
