// SPDX-License-Identifier: GPL-2.0-only
// Names are bytes someone else chose: every escaping is exact and reversible.
#include "base/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace sockscope {
namespace {

using namespace std::string_literals;

// Every byte value, and the nastiest names the integration test builds.
std::vector<std::string> hostile() {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  return {all,
          "\x1b]0;owned\x07\x1b[31mred\xff"s,
          "a\nb\tc\rd\x7f\\x41"s,
          "@abs\0tract\x01"s,
          "caf\xc3\xa9 \xe2\x80\xae\xe2\x80\xa8 \xc2\x9b \xf0\x9f\x98\x80"s,
          "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82"s,  // overlong, surrogate, > U+10FFFF, cut
          "it's $(id) `id` \"q\" ; *"s,
          ""s};
}

TEST(Utf8, TellsWellFormedFromNot) {
  EXPECT_TRUE(valid_utf8("plain"));
  EXPECT_TRUE(valid_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80"));
  EXPECT_TRUE(valid_utf8("nul\0inside"s));
  EXPECT_FALSE(valid_utf8("\xff"));
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xe2\x82"));          // cut short
}

TEST(Utf8, ReplacesEachBadByteWithU_FFFD) {
  EXPECT_EQ(utf8_replaced("a\xff"
                          "b\xc3\xa9"),
            "a\xef\xbf\xbd"
            "b\xc3\xa9");
  for (const auto& s : hostile()) EXPECT_TRUE(valid_utf8(utf8_replaced(s)));
}

TEST(Hex, RoundTrips) {
  EXPECT_EQ(to_hex("/t\xff\0"s), "2f74ff00");
  for (const auto& s : hostile()) EXPECT_EQ(from_hex(to_hex(s)), s);
  EXPECT_EQ(from_hex("abc"), "");
  EXPECT_EQ(from_hex("zz"), "");
}

TEST(EscapeText, KeepsPrintableTextAndUtf8) {
  EXPECT_EQ(escape_text("sssd_nss /run/a b.sock"), "sssd_nss /run/a b.sock");
  EXPECT_EQ(escape_text("caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(EscapeText, EscapesControlsBackslashAndBadBytes) {
  EXPECT_EQ(escape_text("\x1b]0;t\x07"), "\\x1b]0;t\\x07");
  EXPECT_EQ(escape_text("a\nb\tc\x7f"), "a\\x0ab\\x09c\\x7f");
  EXPECT_EQ(escape_text("a\\b"), "a\\x5cb");
  EXPECT_EQ(escape_text("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(escape_text("\xc2\x9b"), "\\xc2\\x9b");           // C1 CSI
  EXPECT_EQ(escape_text("\xe2\x80\xae"), "\\xe2\\x80\\xae");  // right-to-left override
  EXPECT_EQ(escape_text("\xe2\x80\xa8"), "\\xe2\\x80\\xa8");  // line separator
  EXPECT_EQ(escape_text("@x\0y"s), "@x\\x00y");
}

TEST(EscapeText, LeavesNoControlByteAndRoundTrips) {
  for (const auto& s : hostile()) {
    std::string e = escape_text(s);
    EXPECT_TRUE(valid_utf8(e));
    for (unsigned char c : e) EXPECT_TRUE(c >= 0x20 && c != 0x7f) << e;
    EXPECT_EQ(unescape_text(e), s);
  }
}

TEST(ShellQuote, LeavesPlainWordsAlone) {
  EXPECT_EQ(shell_quote("/run/nscd/socket"), "/run/nscd/socket");
  EXPECT_EQ(shell_quote("-XX:CRaCAllowedOpenFilePrefixes=/tmp/"), "-XX:CRaCAllowedOpenFilePrefixes=/tmp/");
}

TEST(ShellQuote, SingleQuotesWhatTheShellWouldSplitOrExpand) {
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("/tmp/a b;rm -rf ~"), "'/tmp/a b;rm -rf ~'");
  EXPECT_EQ(shell_quote("it's $(id)"), "'it'\\''s $(id)'");
  EXPECT_EQ(shell_quote("fd[3]:/x"), "'fd[3]:/x'");
  EXPECT_EQ(shell_quote("caf\xc3\xa9"), "'caf\xc3\xa9'");
}

TEST(ShellQuote, AnsiCQuotesControlAndBadBytes) {
  EXPECT_EQ(shell_quote("/tmp/a\nb"), "$'/tmp/a\\x0ab'");
  EXPECT_EQ(shell_quote("it's\xff\\"), "$'it\\'s\\xff\\x5c'");
  for (const auto& s : hostile())
    for (unsigned char c : shell_quote(s)) EXPECT_TRUE(c >= 0x20 && c != 0x7f);
}

}  // namespace
}  // namespace sockscope
