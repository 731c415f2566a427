// SPDX-License-Identifier: GPL-2.0-only
// The module-map journal (src/tracer/maps_journal.h) against the kernel: a
// child that forks and execs /usr/bin/true leaves a fork, an exec, the
// executable mappings of true, ld.so and libc, and an exit, in time order,
// with the inode the file has on disk. These records are what lets a
// process that has exited be symbolized (tests/e2e/stacks_programs.sh).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <vector>

#include "base/clock.h"
#include "support/helpers.h"
#include "tracer/maps_journal.h"

namespace sockscope::testing {
namespace {

using tracer::MapsRecord;
using Kind = MapsRecord::Kind;

// Skips where the kernel refuses machine-wide perf events (a seccomp policy,
// a container without CAP_PERFMON): the tracer then runs without the journal.
#define OPEN_JOURNAL_OR_SKIP(j)                                                        \
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;                       \
  auto j = tracer::MapsJournal::open(64);                                              \
  if (!j && (j.error().sys_errno == EPERM || j.error().sys_errno == EACCES ||          \
             j.error().sys_errno == ENOSYS))                                           \
    GTEST_SKIP() << j.error().what;                                                    \
  ASSERT_TRUE(j) << j.error().what

std::vector<MapsRecord> records_of(tracer::MapsJournal& j, pid_t pid) {
  std::vector<MapsRecord> got;
  j.consume();
  j.deliver(UINT64_MAX, [&](const MapsRecord& r) {
    if (r.pid == static_cast<uint32_t>(pid)) got.push_back(r);
  });
  return got;
}

const MapsRecord* find(const std::vector<MapsRecord>& v, Kind k, const std::string& path_end = {}) {
  for (const auto& r : v)
    if (r.kind == k && r.path.ends_with(path_end)) return &r;
  return nullptr;
}

TEST(MapsJournal, ForkExecMappingsAndExitOfAChildInTimeOrder) {
  OPEN_JOURNAL_OR_SKIP(j);
  pid_t child = ::fork();
  if (child == 0) {
    ::execl("/usr/bin/true", "true", nullptr);
    ::_exit(127);
  }
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  auto got = records_of(**j, child);
  ASSERT_FALSE(got.empty());
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end(),
                             [](const MapsRecord& a, const MapsRecord& b) { return a.ts_ns < b.ts_ns; }));
  EXPECT_EQ(got.front().kind, Kind::kFork);
  EXPECT_EQ(got.front().parent, static_cast<uint32_t>(::getpid()));
  EXPECT_EQ(got.back().kind, Kind::kExit);

  const MapsRecord* exec = find(got, Kind::kExec);
  const MapsRecord* text = find(got, Kind::kMmap, "/true");
  ASSERT_TRUE(exec && text);
  EXPECT_LT(exec->ts_ns, text->ts_ns);  // the exec's own mappings follow it
  EXPECT_TRUE(text->prot & PROT_EXEC);
  struct stat st{};
  ASSERT_EQ(::stat("/usr/bin/true", &st), 0);
  EXPECT_EQ(text->inode, st.st_ino);
  EXPECT_GT(text->len, 0u);
  EXPECT_TRUE(find(got, Kind::kMmap, "/libc.so.6")) << "libc's text mapping";
  EXPECT_TRUE(find(got, Kind::kMmap, "/ld-linux-x86-64.so.2")) << "ld.so's text mapping";
  EXPECT_EQ((*j)->lost(), 0u);
}

TEST(MapsJournal, KeepsWhatIsNewerThanTheDeliveryPoint) {
  OPEN_JOURNAL_OR_SKIP(j);
  uint64_t cut = monotonic_ns();  // the journal's clock
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);
  (*j)->consume();
  int early = 0;
  (*j)->deliver(cut, [&](const MapsRecord& r) { early += r.pid == static_cast<uint32_t>(child); });
  EXPECT_EQ(early, 0) << "records stamped after the cut were handed over";
  auto later = records_of(**j, child);
  ASSERT_EQ(later.size(), 2u);  // fork, exit
  EXPECT_EQ(later[0].kind, Kind::kFork);
  EXPECT_EQ(later[1].kind, Kind::kExit);
}

}  // namespace
}  // namespace sockscope::testing
