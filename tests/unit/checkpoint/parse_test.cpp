// SPDX-License-Identifier: GPL-2.0-only
// /proc texts as real kernels and JVMs wrote them (lines copied from live
// processes on Debian 12 / kernel 6.18, and the JVM flags of the user's
// report in shared/seeds/001), and the map/lock rules over them.
#include <gtest/gtest.h>

#include "checkpoint/evaluate.h"
#include "checkpoint/parse.h"

namespace sockscope::checkpoint {
namespace {

TEST(CheckpointParse, MapsLines) {
  auto nscd = parse_maps_line("7f3a1c600000-7f3a1c621000 r--s 00000000 00:2d 3                          /var/cache/nscd/passwd");
  ASSERT_TRUE(nscd);
  EXPECT_EQ(nscd->path, "/var/cache/nscd/passwd");
  EXPECT_EQ(nscd->start, 0x7f3a1c600000u);
  EXPECT_EQ(nscd->perms, "r--s");
  EXPECT_FALSE(nscd->deleted);
  auto gone = parse_maps_line("7f1c2a000000-7f1c2a021000 r-xp 00000000 fe:00 12345   /tmp/libnetty_transport_native_epoll_x86_6412.so (deleted)");
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->deleted);
  EXPECT_EQ(gone->path, "/tmp/libnetty_transport_native_epoll_x86_6412.so");
  EXPECT_FALSE(parse_maps_line("55f970b9e000-55f970bbf000 rw-p 00000000 00:00 0                          [heap]"));
  EXPECT_FALSE(parse_maps_line("7ffd5a1f1000-7ffd5a1f3000 r-xp 00000000 00:00 0                          [vdso]"));
}

TEST(CheckpointParse, LocksAndFdinfo) {
  auto locks = parse_locks("1: FLOCK  ADVISORY  WRITE 27614 fe:00:10960899 0 EOF\n"
                           "2: POSIX  ADVISORY  WRITE 512 00:2d:77 0 EOF\n"
                           "2: -> POSIX  ADVISORY  WRITE 513 00:2d:77 0 EOF\n"
                           "3: OFDLCK ADVISORY  READ  -1 00:2d:78 0 EOF\n");
  ASSERT_EQ(locks.size(), 3u);
  EXPECT_EQ(locks[0].kind, "FLOCK");
  EXPECT_EQ(locks[0].pid, 27614);
  EXPECT_EQ(locks[0].inode, 10960899u);
  EXPECT_EQ(locks[2].pid, -1);
  FdFact fd;
  parse_fdinfo("pos:\t0\nflags:\t02102001\nmnt_id:\t29\nino:\t77\nlock:\t1: POSIX  ADVISORY  WRITE 512 00:2d:77 0 EOF\n", fd);
  EXPECT_EQ(fd.flags, 02102001u);
  EXPECT_EQ(fd.mnt_id, 29);
  EXPECT_TRUE(fd.locked);
  EXPECT_EQ(parse_mount_ids("24 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n29 24 0:45 / /tmp rw - tmpfs tmpfs rw\n"),
            (std::vector<int>{24, 29}));
}

TEST(CheckpointParse, JvmFlagsOfTheSeed) {
  auto j = parse_jvm({"java", "-XX:CRaCCheckpointTo=/cr", "-XX:CRaCAllowedOpenFilePrefixes=socket:",
                      "-XX:CRaCIgnoredFileDescriptors=5,/dev/shm/x", "-cp", "/app/a.jar:/app/b.jar", "Main"},
                     "-XX:CRaCEngine=criu");
  EXPECT_TRUE(j.crac_flags);
  EXPECT_EQ(j.allowed_prefixes, (std::vector<std::string>{"socket:"}));
  EXPECT_EQ(j.ignored_fds, (std::vector<std::string>{"5", "/dev/shm/x"}));
  EXPECT_EQ(j.classpath, (std::vector<std::string>{"/app/a.jar", "/app/b.jar"}));
  EXPECT_EQ(j.engine, "criu");
  EXPECT_EQ(j.checkpoint_to, "/cr");
  EXPECT_EQ(parse_jvm({}, "").allowed_prefixes, (std::vector<std::string>{"/var/lib/sss/mc/"}));
  EXPECT_EQ(environ_value(std::string("A=1\0CRAC_CRIU_OPTS=--ext-unix-sk\0", 32), "CRAC_CRIU_OPTS"), "--ext-unix-sk");
}

Facts with_map(const std::string& line, FileStat st, bool has_fd = false) {
  Facts f;
  f.target = 10;
  f.tree = {{10, 1, "java"}};
  auto m = parse_maps_line(line);
  m->pid = 10;
  m->st = st;
  m->has_fd = has_fd;
  f.maps.push_back(*m);
  return f;
}

TEST(CheckpointMaps, NscdCacheWithoutFdWarns) {
  auto r = evaluate(with_map("7f3a1c600000-7f3a1c621000 r--s 00000000 00:2d 3 /var/cache/nscd/passwd",
                             {true, 0100600, 45, 3, 0, 1, 217032, 432}), {});
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

}  // namespace
}  // namespace sockscope::checkpoint
