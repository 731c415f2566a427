// SPDX-License-Identifier: GPL-2.0-only
// The file itself: schema versions (an empty file is upgraded, a newer one
// refused), damaged files (the writer moves them aside, readers say what to
// do), and a full disk (counted, reported, no crash).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>

#include "history/reader.h"
#include "history/schema.h"
#include "history/store.h"
#include "history_fixture.h"

namespace sockscope::history {
namespace {

using testing::TempDir;

constexpr const char* kBoot = "f11e0000-0000-4000-8000-000000000014";

void sql(const std::string& db, const std::string& text) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(h, text.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
  sqlite3_close(h);
}

void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A real history of the tour, closed: its bytes for the damage tests.
std::string tour_db(const TempDir& dir) {
  std::string db = dir / "tour.db";
  auto store = Store::open(testing::options(db), kBoot);
  EXPECT_TRUE(store);
  for (const auto& r : testing::tour()) (*store)->add(r);
  store->reset();
  return db;
}

TEST(HistoryFile, AnEmptyFileIsUpgradedToTheCurrentSchema) {
  TempDir dir;
  std::string db = dir / "h.db";
  write_file(db, "");
  auto store = Store::open(testing::options(db), kBoot);
  ASSERT_TRUE(store) << store.error().what;
  EXPECT_EQ((*store)->moved_aside(), "");
  store->reset();
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader) << reader.error().what;
  EXPECT_EQ((*reader)->status()->schema_version, kSchemaVersion);
}

TEST(HistoryFile, AFileOfANewerSchemaIsRefusedUntouched) {
  TempDir dir;
  std::string db = tour_db(dir);
  sql(db, "PRAGMA user_version = 99");
  std::string before = read_file(db);
  auto store = Store::open(testing::options(db), kBoot);
  EXPECT_EQ(read_file(db), before) << "a refused writer leaves the file as it was";
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().what.find("schema version 99"), std::string::npos) << store.error().what;
  auto reader = Reader::open(db);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().what.find("newer"), std::string::npos) << reader.error().what;
  EXPECT_EQ(read_file(db), before);
}

TEST(HistoryFile, AnotherProgramsDatabaseIsRefused) {
  TempDir dir;
  std::string db = dir / "other.db";
  sql(db, "CREATE TABLE t(x)");
  auto store = Store::open(testing::options(db), kBoot);
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().what.find("another program"), std::string::npos) << store.error().what;
  auto reader = Reader::open(db);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().what.find("not a sockscope history database"), std::string::npos);
}

void expect_damage_handled(const TempDir& dir, const std::string& db, const std::string& bytes) {
  write_file(db, bytes);
  auto reader = Reader::open(db);
  Result<Status> st = reader ? (*reader)->status() : Result<Status>(reader.error());
  ASSERT_FALSE(st) << "a damaged file read as good";
  EXPECT_NE(st.error().what.find("not a sockscope history database, or it is damaged"), std::string::npos)
      << st.error().what;
  EXPECT_NE(st.error().hint.find("move it aside"), std::string::npos);
  reader = Error{};
  EXPECT_EQ(read_file(db), bytes) << "a reader never changes the file";
  auto store = Store::open(testing::options(db), kBoot);
  ASSERT_TRUE(store) << store.error().what;
  std::string aside = (*store)->moved_aside();
  ASSERT_NE(aside, "");
  EXPECT_EQ(aside.rfind(db + ".corrupt-", 0), 0u) << aside;
  EXPECT_EQ(read_file(aside), bytes);
  store->reset();
  auto fresh = Reader::open(db);
  ASSERT_TRUE(fresh) << fresh.error().what;
  EXPECT_TRUE((*fresh)->status());
  (void)dir;
}

TEST(HistoryFile, GarbageIsMovedAsideByTheWriterAndNamedByReaders) {
  TempDir dir;
  std::string garbage(64 * 1024, '\0');
  for (size_t i = 0; i < garbage.size(); i++) garbage[i] = static_cast<char>(i * 7919 % 251);
  expect_damage_handled(dir, dir / "g.db", garbage);
}

TEST(HistoryFile, ATruncatedHistoryIsMovedAsideByTheWriterAndNamedByReaders) {
  TempDir dir;
  std::string whole = read_file(tour_db(dir));
  ASSERT_GT(whole.size(), 8192u);
  // Cut inside the pages: the header still says "SQLite format 3".
  expect_damage_handled(dir, dir / "t.db", whole.substr(0, whole.size() / 2 + 100));
}

TEST(HistoryFile, AMissingFileIsNamedWithWhatToDo) {
  auto reader = Reader::open("/nonexistent/history.db");
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().what.find("no history database"), std::string::npos);
  EXPECT_NE(reader.error().hint.find("recorder"), std::string::npos);
}

TEST(HistoryFile, AFullDiskIsCountedAndTheWriterGoesOn) {
  TempDir dir;
  std::string db = dir / "h.db";
  auto o = testing::options(db);
  o.test_max_pages = 64;  // what SQLite sees on a full disk: SQLITE_FULL
  auto store = Store::open(o, kBoot);
  ASSERT_TRUE(store) << store.error().what;
  auto evs = testing::tour();
  auto stack = std::make_shared<const Stack>(testing::sample_stack());
  for (int round = 0; round < 200; round++) {
    for (auto r : evs) {
      r.event.sock_ino += static_cast<uint64_t>(round) << 32;
      r.event.stack = stack;
      (*store)->add(std::move(r));
    }
    (*store)->flush();
  }
  auto st = (*store)->stats();
  EXPECT_GT(st.not_stored, 0u);
  EXPECT_GT(st.stored, 0u) << st.last_error;
  EXPECT_EQ(st.stored + st.not_stored, evs.size() * 200);
  EXPECT_NE(st.last_error.find("full"), std::string::npos) << st.last_error;
  // Still alive: more events are counted, flush returns.
  (*store)->add(evs.front());
  (*store)->flush();
  EXPECT_EQ((*store)->stats().stored + (*store)->stats().not_stored, evs.size() * 200 + 1);
  store->reset();
  auto reader = Reader::open(db);
  ASSERT_TRUE(reader) << reader.error().what;
  EXPECT_TRUE((*reader)->status());
}

}  // namespace
}  // namespace sockscope::history
