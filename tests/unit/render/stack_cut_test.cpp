// SPDX-License-Identifier: GPL-2.0-only
// Short creation stacks (docs/stacks.md "Short stacks") over a recorded one:
// tests/fixtures/stacks/jvm_sssd_creation.json is the `creation` of
// `sockscope fd JVM FD --json` for the JVM's socket to sssd_nss (seed 000),
// recorded by `sockscope recorder` while tests/lib/sssd_jvm_case.sh ran
// (OpenJDK 17.0.21, Debian 12): 14 frames, complete (first_frame).
// What a reader relies on: the NSS call, the JVM code that made it and where
// the thread began are shown; the frames left out are counted and named.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "../fixture.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

// The JSON view (render::stack_json) read back into the model.
Stack recorded_stack(const std::string& name) {
  std::ifstream in(testing::fixture("stacks/" + name));
  auto j = nlohmann::json::parse(in);
  Stack s;
  for (const auto& f : j["stack"]) {
    Frame fr;
    std::string kind = f["kind"];
    fr.kind = kind == "native"   ? FrameKind::kNative
              : kind == "jit"    ? FrameKind::kJit
              : kind == "interp" ? FrameKind::kInterpreted
                                 : FrameKind::kUnknown;
    fr.pc = std::stoull(f["pc"].get<std::string>(), nullptr, 16);
    fr.symbol = f.value("symbol", "");
    fr.offset = f.value("offset", uint64_t{0});
    fr.module = f.value("module", "");
    if (f.contains("module_offset")) fr.module_offset = std::stoull(f["module_offset"].get<std::string>(), nullptr, 16);
    s.frames.push_back(fr);
  }
  s.end = j.value("stack_end", "");
  s.truncated = s.end != "first_frame";
  return s;
}

size_t index_of(const Stack& s, const std::string& symbol_prefix) {
  for (size_t i = 0; i < s.frames.size(); i++)
    if (s.frames[i].symbol.rfind(symbol_prefix, 0) == 0) return i;
  return s.frames.size();
}

TEST(StackCut, KeepsTheNssCallTheJvmCallerAndTheThreadStart) {
  Stack s = recorded_stack("jvm_sssd_creation.json");
  ASSERT_GE(s.frames.size(), 12u);
  size_t caller = index_of(s, "PerfMemory::create_memory_region");
  ASSERT_LT(caller, s.frames.size());
  KeptFrames k = cut_stack(s);
  EXPECT_EQ(k.inner_end, caller + 4) << "the caller and three of its callers";
  EXPECT_EQ(k.outer_begin, s.frames.size() - 2);
  std::string text = stack_text(s, "  ", StackDetail::kCut);
  // Whole frame lines ("#N  symbol+0x..", "#N  Class::method(args)+0x.."):
  // "getpwuid_r" alone is also inside "_nss_sss_getpwuid_r".
  for (const std::string f :
       {"getpwuid_r", "_nss_sss_getpwuid_r", "PerfMemory::create_memory_region", "start_thread", "clone3"})
    EXPECT_TRUE(std::regex_search(text, std::regex("#[0-9]+ +" + f + "[(+]"))) << f << " in\n" << text;
  EXPECT_EQ(text.find("JavaMain"), std::string::npos) << text;
  std::string elided = fmt::format("... {} frames in libjvm.so", k.outer_begin - k.inner_end);
  EXPECT_NE(text.find(elided), std::string::npos) << text;
  EXPECT_NE(text.find("(--full-stack shows them)"), std::string::npos);
  EXPECT_NE(text.find(fmt::format("#{:<2} ", s.frames.size() - 1)), std::string::npos)
      << "outer frames keep their numbers";
}

TEST(StackCut, FullShowsEveryFrame) {
  Stack s = recorded_stack("jvm_sssd_creation.json");
  std::string full = stack_text(s, "  ", StackDetail::kFull);
  EXPECT_EQ(full, stack_text(s, "  "));
  for (const char* f : {"Threads::create_vm", "JNI_CreateJavaVM", "JavaMain"})
    EXPECT_NE(full.find(f), std::string::npos) << f;
}

TEST(StackCut, ShortStacksAreNotCut) {
  Stack s = recorded_stack("jvm_sssd_creation.json");
  s.frames.resize(10);
  KeptFrames k = cut_stack(s);
  EXPECT_EQ(k.inner_end, k.outer_begin) << "hiding fewer than three frames is not worth a line";
  EXPECT_EQ(stack_text(s, "", StackDetail::kCut), stack_text(s, ""));
}

}  // namespace
}  // namespace sockscope::render
