// SPDX-License-Identifier: GPL-2.0-only
// --color's render side (render/style.h) and the schema key (render/schema.h).
#include "render/style.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "render/doctor.h"
#include "render/escape.h"
#include "render/schema.h"

namespace sockscope::render {
namespace {

TEST(Style, WrapsOnlyWhenColored) {
  EXPECT_EQ(Style{}.red("BLOCKER"), "BLOCKER");
  EXPECT_EQ(Style{true}.red("BLOCKER"), "\x1b[1;31mBLOCKER\x1b[0m");
  EXPECT_EQ(Style{true}.yellow("warning:"), "\x1b[33mwarning:\x1b[0m");
  EXPECT_EQ(Style{true}.bold(""), "") << "nothing to color";
}

// A name's own escape sequence stays text inside a colored field.
TEST(Style, ColorsPrintableTextSoNamesStayEscaped) {
  std::string name = "\x1b[31mevil\x1b[0m";
  std::string out = Style{true}.bold(printable(name));
  EXPECT_EQ(out, "\x1b[1m\\x1b[31mevil\\x1b[0m\x1b[0m");
}

TEST(Style, DoctorTextColorsTheCheckAndNotTheName) {
  doctor::Finding f;
  f.check = doctor::Check::kOrphanedListener;
  f.what = "listener of \x1b[31mevil";
  f.why = "why";
  f.todo = "do";
  std::string plain = doctor_text({f}, {});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos) << plain;
  std::string colored = doctor_text({f}, {}, {}, Style{true});
  EXPECT_EQ(colored.rfind("\x1b[33m[orphaned-listener]\x1b[0m \x1b[1mlistener of \\x1b[31mevil\x1b[0m\n", 0), 0u)
      << colored;
}

TEST(JsonSchema, DocumentAddsTheVersionOnce) {
  auto j = nlohmann::json::parse(dump_document({{"a", 1}}));
  EXPECT_EQ(j["schema"], kJsonSchema);
  EXPECT_EQ(j["a"], 1);
  EXPECT_EQ(j.size(), 2u);
}

}  // namespace
}  // namespace sockscope::render
