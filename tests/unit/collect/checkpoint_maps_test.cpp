// SPDX-License-Identifier: GPL-2.0-only
// The map rules over maps lines copied from live processes on Debian 12 /
// kernel 6.18, parsed by procfs and turned into facts by the collector.
#include <gtest/gtest.h>

#include "checkpoint/evaluate.h"
#include "collect/checkpoint_facts.h"
#include "procfs/maps.h"

namespace sockscope::checkpoint {
namespace {

Facts with_map(const std::string& line, FileStat st, bool has_fd = false) {
  Facts f;
  f.target = 10;
  f.tree = {{10, 1, "java"}};
  MapFact m = collect::map_fact(10, procfs::parse_maps_line(line).value());
  m.st = st;
  m.has_fd = has_fd;
  f.maps.push_back(m);
  return f;
}

TEST(CheckpointMaps, NscdCacheWithoutFdWarns) {
  auto r = evaluate(with_map("7f3a1c600000-7f3a1c621000 r--s 00000000 00:2d 3 /var/cache/nscd/passwd",
                             {true, 0100600, 45, 3, 0, 1, 217032, 432}),
                    {});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "M5");
  EXPECT_EQ(r.overall(), Verdict::kWarn) << "rulebook section 7: the dump succeeds";
}

TEST(CheckpointMaps, DeletedLibraryOverTheGhostLimitBlocks) {
  std::string line = "7f1c2a000000-7f1c2a021000 r-xp 00000000 fe:00 12345 /tmp/libzstd-jni.so (deleted)";
  FileStat big{true, 0100755, 254, 12345, 0, 0, 3u << 20, (3u << 20) / 512};
  auto r = evaluate(with_map(line, big), {});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].criu.message, "Can't dump ghost file /tmp/libzstd-jni.so of 3145728 size, increase limit");
  EXPECT_EQ(r.overall(), Verdict::kBlock);
  EXPECT_EQ(evaluate(with_map(line, big), {parse_criu_options("--ghost-limit 4M")}).overall(), Verdict::kOk);
}

TEST(CheckpointMaps, FactKeepsWhatTheRulesRead) {
  auto m = collect::map_fact(7, procfs::parse_maps_line("7f1c2a000000-7f1c2a021000 r-xp 00000000 fe:00 12345   "
                                                        "/tmp/libnetty_transport_native_epoll_x86_6412.so (deleted)")
                                    .value());
  EXPECT_EQ(m.pid, 7);
  EXPECT_EQ(m.start, 0x7f1c2a000000u);
  EXPECT_EQ(m.end, 0x7f1c2a021000u);
  EXPECT_EQ(m.perms, "r-xp");
  EXPECT_EQ(m.inode, 12345u);
  EXPECT_EQ(m.path, "/tmp/libnetty_transport_native_epoll_x86_6412.so");
  EXPECT_TRUE(m.deleted);
}

}  // namespace
}  // namespace sockscope::checkpoint
