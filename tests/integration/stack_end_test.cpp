// SPDX-License-Identifier: GPL-2.0-only
// Issue 13: a stack is complete only when its last frame is the thread's
// first (`_start`, the clone3 return), and every other end carries a reason
// code a user can act on (docs/json.md). Each case is a real program
// (tests/progs/stack_depth.c, stack_via.c, built -O2 -fomit-frame-pointer,
// so only CFI unwinds them) under `sockscope run --stacks --json`.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

std::string prog(const std::string& name) { return std::string(SOCKSCOPE_PROGS_DIR) + "/" + name; }

// The creation record of the AF_UNIX socket `comm` made.
json created_by(const std::vector<std::string>& run_args, const std::string& comm) {
  std::vector<std::string> args = {"run", "--stacks", "--json"};
  args.insert(args.end(), run_args.begin(), run_args.end());
  auto r = sockscope(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json report = json::parse(r.out, nullptr, false);
  if (report.is_discarded()) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return json::object();
  }
  for (const auto& s : report["sockets"])
    if (s["created"].value("comm", "") == comm && s["created"].value("family", "") == "unix") return s["created"];
  ADD_FAILURE() << "no unix socket of " << comm << " in " << r.out;
  return json::object();
}

std::vector<std::string> symbols(const json& c) {
  std::vector<std::string> out;
  for (const auto& f : c.value("stack", json::array())) out.push_back(f.value("symbol", "?"));
  return out;
}

// What a failed check prints: the end, not 1024 frames.
std::string brief(const json& c) {
  auto s = symbols(c);
  return fmt::format("{} frames, end {}: {} (last: {})", s.size(), c.value("stack_end", "?"), c.value("stack_note", ""),
                     s.empty() ? "-" : s.back());
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(StackEnd, MainThreadWithoutFramePointersIsCompleteDownToStart) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--", prog("stack_depth"), "50"}, "stack_depth");
  auto s = symbols(c);
  EXPECT_EQ(c.value("stack_end", ""), "first_frame") << brief(c);
  EXPECT_TRUE(c.value("stack_complete", false));
  EXPECT_FALSE(c.value("stack_truncated", true));
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.back(), "_start");
  EXPECT_EQ(std::count(s.begin(), s.end(), "recurse"), 51);
  for (const char* f : {"make_sock", "main", "__libc_start_main"}) EXPECT_TRUE(has(s, f)) << f;
}

TEST(StackEnd, PthreadIsCompleteDownToClone3) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--", prog("stack_depth"), "50", "thread"}, "stack_depth");
  auto s = symbols(c);
  EXPECT_EQ(c.value("stack_end", ""), "first_frame") << brief(c);
  ASSERT_GE(s.size(), 3u);
  EXPECT_EQ(s.back(), "clone3");
  EXPECT_EQ(s[s.size() - 2], "start_thread");
  EXPECT_EQ(s[s.size() - 3], "thread_main");
}

TEST(StackEnd, Python3IsCompleteDownToStart) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  const char* py = "/usr/bin/python3";
  if (access(py, X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3: apt-get install python3";
  json c = created_by({"--", py, "-c", "import socket; socket.socket(socket.AF_UNIX)"}, "python3");
  auto s = symbols(c);
  EXPECT_EQ(c.value("stack_end", ""), "first_frame") << brief(c);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.back(), "_start");
  EXPECT_TRUE(has(s, "Py_RunMain") || has(s, "Py_BytesMain")) << brief(c);
}

// A thread's stack has no random offset below its top (the main thread's
// has up to 8 KiB, arch_align_stack), so the size the note asks for is exact.
TEST(StackEnd, ShortCopySaysHowMuchIsNeededAndThatSizeCompletesIt) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--stack-size", "4096", "--", prog("stack_depth"), "500", "thread"}, "stack_depth");
  EXPECT_EQ(c.value("stack_end", ""), "copy_ended") << brief(c);
  EXPECT_TRUE(c.value("stack_truncated", false));
  std::smatch m;
  std::string note = c.value("stack_note", "");
  ASSERT_TRUE(std::regex_search(note, m, std::regex("run with --stack-size ([0-9]+)"))) << note;
  json again = created_by({"--stack-size", m[1].str(), "--", prog("stack_depth"), "500", "thread"}, "stack_depth");
  EXPECT_EQ(again.value("stack_end", ""), "first_frame") << brief(again);
  EXPECT_EQ(std::count_if(again["stack"].begin(), again["stack"].end(),
                          [](const json& f) { return f.value("symbol", "") == "recurse"; }),
            501);
}

TEST(StackEnd, StackDeeperThanTheLargestCopySaysSo) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  // 16 KiB hold some 500 frames, fewer than the depth limit.
  json c = created_by({"--stack-size", "16384", "--", prog("stack_depth"), "3000", "thread"}, "stack_depth");
  EXPECT_EQ(c.value("stack_end", ""), "copy_ended") << brief(c);
  EXPECT_NE(c.value("stack_note", "").find("more than --stack-size's maximum"), std::string::npos) << brief(c);
}

TEST(StackEnd, DepthLimitIsNamed) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--stack-size", "65536", "--", prog("stack_depth"), "1100", "thread"}, "stack_depth");
  EXPECT_EQ(c.value("stack_end", ""), "depth_limit") << brief(c);
  EXPECT_EQ(c["stack"].size(), 1024u);
}

TEST(StackEnd, ModuleWithoutCfiIsNamed) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--", prog("stack_depth"), "3", "via", prog("libstack_nocfi.so")}, "stack_depth");
  auto s = symbols(c);
  EXPECT_EQ(c.value("stack_end", ""), "no_cfi") << brief(c);
  EXPECT_NE(c.value("stack_note", "").find("libstack_nocfi.so"), std::string::npos) << brief(c);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.back(), "stack_via");
}

// The same module with its CFI: through it to _start.
TEST(StackEnd, ModuleWithCfiIsUnwoundThrough) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--", prog("stack_depth"), "3", "via", prog("libstack_via.so")}, "stack_depth");
  auto s = symbols(c);
  EXPECT_EQ(c.value("stack_end", ""), "first_frame") << brief(c);
  EXPECT_TRUE(has(s, "stack_via"));
}

// The frame above a call that is its function's last instruction (the
// callee never returns) is named after that function, not the one after it.
TEST(StackEnd, CallerEndingInANoreturnCallIsNamedRight) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  json c = created_by({"--", prog("stack_noreturn")}, "stack_noreturn");
  auto s = symbols(c);
  auto at = std::find(s.begin(), s.end(), "make_socket_and_exit");
  ASSERT_NE(at, s.end()) << brief(c);
  ASSERT_NE(at + 1, s.end()) << brief(c);
  EXPECT_EQ(*(at + 1), "caller") << brief(c);
  EXPECT_EQ(std::count(s.begin(), s.end(), "next_function"), 0) << brief(c);
}

}  // namespace
}  // namespace sockscope::testing
