// SPDX-License-Identifier: GPL-2.0-only
// Every JSON document leaves through render::dump(): valid UTF-8 whatever the
// names hold, and the exact bytes recoverable (docs/json.md, "Names as bytes").
#include "render/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace sockscope::render {
namespace {

using namespace std::string_literals;
using nlohmann::json;

// The bytes a consumer gets back from member `key` of `o`.
std::string bytes_of(const json& o, const std::string& key) {
  if (o.contains(key + "_hex")) return from_hex(o.at(key + "_hex").get<std::string>());
  return o.at(key).get<std::string>();
}

TEST(JsonDump, NamesThatAreNotUtf8GetAHexTwin) {
  std::string comm = "\xff\x1b]0;x\x07", path = "/tmp/a\nb\xfe", ok = "caf\xc3\xa9\0z"s;
  json j = {{"comm", comm}, {"path", path}, {"ok", ok}, {"pid", 7}};
  json back = json::parse(dump(j));  // strict: throws on invalid UTF-8
  EXPECT_EQ(bytes_of(back, "comm"), comm);
  EXPECT_EQ(bytes_of(back, "path"), path);
  EXPECT_EQ(bytes_of(back, "ok"), ok);
  EXPECT_FALSE(back.contains("ok_hex"));
  EXPECT_EQ(back["comm"], "\xef\xbf\xbd\x1b]0;x\x07");
}

TEST(JsonDump, NestedObjectsAndArraysToo) {
  std::vector<std::string> argv = {"sh", "-c", "echo \xff", "$(id)\n"};
  json j = {{"owners", json::array({{{"pid", 1}, {"comm", "\xfe"}}})}, {"lineage", {{"argv", argv}}}};
  json back = json::parse(dump(j, 2));
  EXPECT_EQ(bytes_of(back["owners"][0], "comm"), "\xfe");
  const json& hex = back["lineage"]["argv_hex"];
  ASSERT_EQ(hex.size(), argv.size());
  for (size_t i = 0; i < argv.size(); ++i)
    EXPECT_EQ(hex[i].is_null() ? back["lineage"]["argv"][i].get<std::string>() : from_hex(hex[i].get<std::string>()),
              argv[i]);
  EXPECT_TRUE(hex[0].is_null());
}

TEST(JsonDump, ValidDocumentsAreUnchanged) {
  json j = {{"comm", "sssd_nss"}, {"argv", {"a", "b"}}};
  EXPECT_EQ(dump(j), j.dump());
}

TEST(Printable, CommandsKeepTheirShellQuoting) {
  std::string todo = "find who deleted it (`sockscope watch " + shell_quote("/tmp/a\nb") + "`)";
  EXPECT_EQ(printable_command(todo), todo);
  EXPECT_EQ(printable_command("waiting: \x1b[2Jx[1]"), "waiting: \\x1b[2Jx[1]");
}

}  // namespace
}  // namespace sockscope::render
