// SPDX-License-Identifier: GPL-2.0-only
// Tracer records recorded from the real kernel (tests/fixtures/tracer/,
// made by tests/tools/record_events.cpp): each .bin file is a sequence of
// (uint32 length, that many bytes), one ring buffer or journal record each.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "../fixture.h"
#include "tracer/event.h"
#include "tracer/stack.h"

namespace sockscope::testing {

using Record = std::vector<uint8_t>;

inline std::string tracer_fixture(const std::string& name) { return fixture("tracer/" + name); }

inline std::vector<Record> read_records(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<Record> out;
  for (uint32_t n; in.read(reinterpret_cast<char*>(&n), sizeof(n));) {
    Record r(n);
    in.read(reinterpret_cast<char*>(r.data()), n);
    out.push_back(std::move(r));
  }
  return out;
}

// The events of a recording, decoded, in ring order (stack records skipped).
inline std::vector<Event> recorded_events(const std::string& name) {
  std::vector<Event> out;
  for (const auto& r : read_records(tracer_fixture(name) + "/ring.bin")) {
    if (tracer::is_stack_record(r.data(), r.size())) continue;
    auto e = tracer::decode(r.data(), r.size());
    EXPECT_TRUE(e) << (e ? "" : e.error().what);
    if (e) out.push_back(std::move(*e));
  }
  return out;
}

// The recorded program's pid: the one process under proc/.
inline int recorded_pid(const std::string& name) {
  int pid = 0;
  if (DIR* d = ::opendir((tracer_fixture(name) + "/proc").c_str())) {
    while (auto* e = ::readdir(d))
      if (e->d_name[0] != '.') pid = std::atoi(e->d_name);
    ::closedir(d);
  }
  return pid;
}

// The first event of `kind` that matches `pred`; nullptr if none.
template <typename Pred>
const Event* find_event(const std::vector<Event>& evs, EventKind kind, Pred pred) {
  for (const auto& e : evs)
    if (e.kind == kind && pred(e)) return &e;
  return nullptr;
}
inline const Event* find_event(const std::vector<Event>& evs, EventKind kind) {
  return find_event(evs, kind, [](const Event&) { return true; });
}

// The tour recording (tests/fixtures/tracer/tour) as the fixture of a test
// class: its events, the recorded program's pid and the directory it worked in.
class TourTest : public ::testing::Test {
 protected:
  void SetUp() override {
    evs_ = recorded_events("tour");
    pid_ = recorded_pid("tour");
    dir_ = fixture_workdir("tracer/tour");
    ASSERT_FALSE(evs_.empty());
    ASSERT_NE(pid_, 0);
  }
  std::vector<Event> evs_;
  int pid_ = 0;
  std::string dir_;
};

}  // namespace sockscope::testing
