// SPDX-License-Identifier: GPL-2.0-only
// The BLOB encodings: what is stored comes back the same, and a damaged
// blob (cut anywhere, or any bytes at all) is an Error, never a crash.
#include "history/codec.h"

#include <gtest/gtest.h>

#include <random>

#include "history_fixture.h"

namespace sockscope::history {
using namespace std::string_literals;
namespace {

using testing::sample_stack;

TEST(HistoryCodec, StackRoundTrips) {
  Stack s = sample_stack();
  s.frames[2].symbol = "bad\xff\xfe utf8\0nul"s;
  s.note = "ends\n\there";
  auto back = decode_stack(encode_stack(s));
  ASSERT_TRUE(back) << back.error().what;
  ASSERT_EQ(back->frames.size(), s.frames.size());
  for (size_t i = 0; i < s.frames.size(); i++) {
    const Frame &a = s.frames[i], &b = back->frames[i];
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.pc, b.pc);
    EXPECT_EQ(a.symbol, b.symbol);
    EXPECT_EQ(a.offset, b.offset);
    EXPECT_EQ(a.module, b.module);
    EXPECT_EQ(a.module_offset, b.module_offset);
    EXPECT_EQ(a.build_id, b.build_id);
    EXPECT_EQ(a.from_fp, b.from_fp);
  }
  EXPECT_EQ(back->truncated, s.truncated);
  EXPECT_EQ(back->end, s.end);
  EXPECT_EQ(back->note, s.note);
  EXPECT_EQ(back->copied, s.copied);
  EXPECT_EQ(back->held, s.held);
}

TEST(HistoryCodec, SameStackSameHashOtherStackOther) {
  EXPECT_EQ(stack_hash(encode_stack(sample_stack())), stack_hash(encode_stack(sample_stack())));
  EXPECT_NE(stack_hash(encode_stack(sample_stack())), stack_hash(encode_stack(sample_stack(20, "connect"))));
}

// Every tour event's rare fields (SCM_RIGHTS fds, socketpair's second fd,
// exit status...) survive the extra blob.
TEST(HistoryCodec, ExtraFieldsOfTheTourRoundTrip) {
  int with_extra = 0;
  for (const auto& r : testing::tour()) {
    std::string blob = encode_extra(r.event);
    with_extra += !blob.empty();
    Event back;
    ASSERT_TRUE(decode_extra(blob, back));
    EXPECT_EQ(back.fd2, r.event.fd2);
    EXPECT_EQ(back.sock_ino2, r.event.sock_ino2);
    EXPECT_EQ(back.peer_ino, r.event.peer_ino);
    EXPECT_EQ(back.flags, r.event.flags);
    EXPECT_EQ(back.path2, r.event.path2);
    EXPECT_EQ(back.fds, r.event.fds);
    EXPECT_EQ(back.fd_inos, r.event.fd_inos);
    EXPECT_EQ(back.fds_total, r.event.fds_total);
    EXPECT_EQ(back.exit_status, r.event.exit_status);
  }
  EXPECT_GT(with_extra, 0);
}

TEST(HistoryCodec, EveryCutOfAStackIsAnError) {
  std::string blob = encode_stack(sample_stack(5));
  for (size_t n = 0; n < blob.size(); n++) EXPECT_FALSE(decode_stack(blob.substr(0, n))) << n;
  EXPECT_FALSE(decode_stack(blob + "x"));
}

TEST(HistoryCodec, GarbageIsRejectedOrDecodedNeverACrash) {
  std::mt19937 rng(14);
  std::string good = encode_stack(sample_stack(3));
  for (int i = 0; i < 20000; i++) {
    std::string b = good;
    // Flip a few bytes of a real blob, or take random bytes outright.
    if (i % 2) {
      for (int k = 0; k < 3; k++) b[rng() % b.size()] = static_cast<char>(rng());
    } else {
      b.resize(rng() % 64);
      for (char& c : b) c = static_cast<char>(rng());
    }
    (void)decode_stack(b);
    Event e;
    (void)decode_extra(b, e);
  }
  // A count that claims more items than there are bytes allocates nothing.
  std::string huge = "\x01\x00\x00\x00\x00\x00\xff\xff\xff\xff\x0f"s;
  EXPECT_FALSE(decode_stack(huge));
}

}  // namespace
}  // namespace sockscope::history
