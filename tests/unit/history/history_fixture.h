// SPDX-License-Identifier: GPL-2.0-only
// What the history tests share: a temporary directory that goes away, the
// tour recording (tests/fixtures/tracer/tour) as Recorded events, and a
// field-by-field comparison of a stored event with the original.
#pragma once

#include <ftw.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "../tracer/recorded.h"
#include "history/history.h"
#include "history/store.h"

namespace sockscope::history::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sockscope-history.XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    ::nftw(
        path_.c_str(), [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
        FTW_DEPTH | FTW_PHYS);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline StoreOptions options(const std::string& db) {
  StoreOptions o;
  o.path = db;
  o.check_owner = false;
  o.batch_ms = 20;
  return o;
}

// The tour's events as the recorder would hand them over: wall time from a
// fixed offset, so that a test can predict it.
inline constexpr int64_t kWallOffset = 1'765'000'000'000'000'000;
inline std::vector<Recorded> tour() {
  std::vector<Recorded> out;
  for (auto& e : sockscope::testing::recorded_events("tour")) {
    int64_t wall = static_cast<int64_t>(e.ts_ns) + kWallOffset;
    out.push_back(Recorded{std::move(e), wall});
  }
  return out;
}

inline void expect_same(const Event& a, const Event& b) {
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.ts_ns, b.ts_ns);
  EXPECT_EQ(a.tgid, b.tgid);
  EXPECT_EQ(a.tid, b.tid);
  EXPECT_EQ(a.nspid, b.nspid);
  EXPECT_EQ(a.ppid, b.ppid);
  EXPECT_EQ(a.uid, b.uid);
  EXPECT_EQ(a.cgroup_id, b.cgroup_id);
  EXPECT_EQ(a.netns, b.netns);
  EXPECT_EQ(a.mntns, b.mntns);
  EXPECT_EQ(a.comm, b.comm);
  EXPECT_EQ(a.fd, b.fd);
  EXPECT_EQ(a.fd2, b.fd2);
  EXPECT_EQ(a.sock_ino, b.sock_ino);
  EXPECT_EQ(a.sock_ino2, b.sock_ino2);
  EXPECT_EQ(a.peer_ino, b.peer_ino);
  EXPECT_EQ(a.ret, b.ret);
  EXPECT_EQ(a.family, b.family);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.address, b.address);
  EXPECT_EQ(a.path, b.path);
  EXPECT_EQ(a.path2, b.path2);
  EXPECT_EQ(a.fds, b.fds);
  EXPECT_EQ(a.fd_inos, b.fd_inos);
  EXPECT_EQ(a.fds_total, b.fds_total);
  EXPECT_EQ(a.child_tgid, b.child_tgid);
  EXPECT_EQ(a.exit_status, b.exit_status);
  EXPECT_EQ(!a.stack, !b.stack);
}

// A symbolized stack of the shape the symbolizer makes (20 frames, native
// and JIT, build ids), for tests of storage only.
inline Stack sample_stack(int depth = 20, const std::string& leaf = "__socket") {
  Stack s;
  for (int i = 0; i < depth; i++) {
    Frame f;
    f.kind = i % 5 == 3 ? FrameKind::kJit : FrameKind::kNative;
    f.pc = 0x7f0000001000ull + static_cast<uint64_t>(i) * 0x40;
    f.symbol = i == 0 ? leaf : "frame_" + std::to_string(i) + "(int, char const*)";
    f.offset = static_cast<uint64_t>(i) * 4;
    f.module = f.kind == FrameKind::kJit ? "" : "libexample.so.1";
    f.module_offset = 0x1000 + static_cast<uint64_t>(i);
    f.build_id = f.kind == FrameKind::kJit ? "" : "4f1b2a9c0d3e5f60718293a4b5c6d7e8f9012345";
    f.from_fp = i > 10;
    s.frames.push_back(std::move(f));
  }
  s.truncated = false;
  s.end = "first_frame";
  s.note = "";
  s.copied = 4096;
  s.held = 8192;
  return s;
}

}  // namespace sockscope::history::testing
