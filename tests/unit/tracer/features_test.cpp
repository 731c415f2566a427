// SPDX-License-Identifier: GPL-2.0-only
// choose_backend() on feature sets probed on a real kernel
// (tests/fixtures/tracer/features/README.md): as root, where every rung is
// there, and as an unprivileged user, where the BPF probes cannot tell.
#include "tracer/features.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "../fixture.h"

namespace sockscope::tracer {
namespace {

Features recorded(const std::string& name) {
  std::ifstream in(testing::fixture("tracer/features/" + name));
  Features f;
  std::map<std::string, FeatureStatus*> slot = {{"tracepoint", &f.tracepoint},
                                                {"raw_syscalls", &f.raw_syscalls},
                                                {"kprobe", &f.kprobe},
                                                {"btf", &f.btf},
                                                {"ringbuf", &f.ringbuf},
                                                {"raw_tracepoint", &f.raw_tracepoint},
                                                {"task_pt_regs", &f.task_pt_regs}};
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string name, yes;
    words >> name >> yes;
    std::getline(words >> std::ws, slot.at(name)->reason);
    slot.at(name)->available = yes == "yes";
  }
  EXPECT_FALSE(f.btf.reason.empty()) << name << " not read";
  return f;
}

TEST(ChooseBackend, StreamingPrefersSyscallTracepoints) {
  Features f = recorded("root.txt");
  EXPECT_EQ(choose_backend(f, Backend::kAuto, Ladder::kStreaming), Backend::kTracepoint);
  EXPECT_EQ(choose_backend(f, Backend::kAuto), Backend::kTracepoint) << "trace and watch stream";
}

TEST(ChooseBackend, BoundedRunPrefersRawSyscalls) {
  EXPECT_EQ(choose_backend(recorded("root.txt"), Backend::kAuto, Ladder::kBounded), Backend::kRawSyscalls);
}

TEST(ChooseBackend, AnAvailableRungIsTakenAsAsked) {
  Features f = recorded("root.txt");
  for (Backend b : {Backend::kTracepoint, Backend::kRawSyscalls}) {
    EXPECT_EQ(choose_backend(f, b, Ladder::kStreaming), b);
    EXPECT_EQ(choose_backend(f, b, Ladder::kBounded), b);
  }
}

// The recording kernel has no CONFIG_KPROBES: asking for kprobe gets
// nothing (never another rung), and the reason names what is missing.
TEST(ChooseBackend, AnAbsentRungAskedForIsNotReplaced) {
  Features f = recorded("root.txt");
  ASSERT_FALSE(f.kprobe.available);
  EXPECT_EQ(choose_backend(f, Backend::kKprobe), std::nullopt);
  EXPECT_NE(missing_summary(f, Backend::kKprobe).find("backend kprobe is absent: no kprobe PMU"), std::string::npos)
      << missing_summary(f, Backend::kKprobe);
}

// Without privilege the BPF probes fail: nothing is chosen, whatever is asked.
TEST(ChooseBackend, UnprivilegedGetsNothing) {
  Features f = recorded("unprivileged.txt");
  for (Ladder l : {Ladder::kStreaming, Ladder::kBounded})
    for (Backend b : {Backend::kAuto, Backend::kTracepoint, Backend::kRawSyscalls, Backend::kKprobe})
      EXPECT_EQ(choose_backend(f, b, l), std::nullopt);
  EXPECT_NE(missing_summary(f, Backend::kAuto).find("without privilege: run as root"), std::string::npos)
      << "the user is told what to do, not that the kernel is too old: " << missing_summary(f, Backend::kAuto);
}

TEST(ChooseBackend, BackendNamesRoundTrip) {
  for (Backend b : {Backend::kAuto, Backend::kTracepoint, Backend::kRawSyscalls, Backend::kKprobe})
    EXPECT_EQ(parse_backend(backend_name(b)), b);
  EXPECT_EQ(parse_backend("fentry"), std::nullopt);
}

}  // namespace
}  // namespace sockscope::tracer
