// SPDX-License-Identifier: GPL-2.0-only
// CRIU option forms (rulebook 3.1 "Option forms"; UP config.c, sk-unix.c).
#include <gtest/gtest.h>

#include "checkpoint/options.h"

namespace sockscope::checkpoint {
namespace {

TEST(CriuOptions, LegacyExtUnixSkIsAFlagWithoutIds) {
  auto o = parse_criu_options("--ext-unix-sk");
  EXPECT_TRUE(o.ext_unix_sk);
  EXPECT_TRUE(o.external_unix.empty());
  EXPECT_EQ(o.text, "--ext-unix-sk");
}

TEST(CriuOptions, ExtUnixSkWithInodesSetsIdsAndTheFlag) {
  auto o = parse_criu_options("--ext-unix-sk=11,12 -x13");
  EXPECT_TRUE(o.ext_unix_sk);
  EXPECT_EQ(o.external_unix, (std::set<uint64_t>{11, 12, 13}));
}

TEST(CriuOptions, ExternalUnixIdDoesNotSetTheLegacyFlag) {
  auto o = parse_criu_options("--external unix[11012921] --external=file[42:7]");
  EXPECT_FALSE(o.ext_unix_sk);
  EXPECT_EQ(o.external_unix, (std::set<uint64_t>{11012921}));
  EXPECT_EQ(o.external_files, (std::set<std::string>{"42:7"}));
}

TEST(CriuOptions, TcpLocksGhostLimit) {
  auto o = parse_criu_options("--tcp-established --skip-in-flight -l --ghost-limit 10M --link-remap --tcp-close");
  EXPECT_TRUE(o.tcp_established && o.skip_in_flight && o.file_locks && o.link_remap && o.tcp_close);
  EXPECT_EQ(o.ghost_limit, 10u << 20);
  EXPECT_EQ(parse_criu_options("--ghost-limit=512K").ghost_limit, 512u << 10);
  EXPECT_EQ(parse_criu_options("").ghost_limit, kDefaultGhostLimit);
}

TEST(CriuOptions, UnknownWordsAreKeptNotFatal) {
  auto o = parse_criu_options("--shell-job -v4 --ext-unix-sk");
  EXPECT_TRUE(o.ext_unix_sk);
  EXPECT_EQ(o.ignored, (std::vector<std::string>{"--shell-job", "-v4"}));
}

// A value CRIU would refuse is named (sockscope checkpoint --criu-opts exits
// 64 with it, docs/cli.md); the verdict keeps CRIU's default.
TEST(CriuOptions, BadValuesAreNamed) {
  auto o = parse_criu_options("--ghost-limit banana --tcp-close");
  EXPECT_EQ(o.invalid,
            (std::vector<std::string>{"--ghost-limit banana: not a size (a number with an optional K, M or G)"}));
  EXPECT_EQ(o.ghost_limit, kDefaultGhostLimit);
  EXPECT_TRUE(o.tcp_close);
  EXPECT_EQ(parse_criu_options("--ghost-limit=12Q").invalid.size(), 1u);
  EXPECT_EQ(parse_criu_options("--ghost-limit 99999999999999999G").invalid.size(), 1u) << "overflow is no size";
  EXPECT_EQ(parse_criu_options("--ghost-limit").invalid.front(),
            "--ghost-limit: no size given (a number with an optional K, M or G)");
  EXPECT_EQ(parse_criu_options("--external").invalid.front(),
            "--external: no id given (unix[INODE] or file[MNT:INODE])");
  EXPECT_TRUE(parse_criu_options("--ghost-limit 10M --external unix[5]").invalid.empty());
}

TEST(CriuOptions, MergeAddsTheTargetsCracCriuOpts) {
  auto m = merge(parse_criu_options("--ext-unix-sk"), parse_criu_options("--external unix[5] --ghost-limit 2M"));
  EXPECT_TRUE(m.ext_unix_sk);
  EXPECT_EQ(m.external_unix, (std::set<uint64_t>{5}));
  EXPECT_EQ(m.ghost_limit, 2u << 20);
  EXPECT_EQ(m.text, "--ext-unix-sk --external unix[5] --ghost-limit 2M");
}

}  // namespace
}  // namespace sockscope::checkpoint
