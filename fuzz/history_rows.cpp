// SPDX-License-Identifier: GPL-2.0-only
// The recorder's database rows (src/history/reader_rows.cpp): every `fd`,
// `history`, `doctor` and `checkpoint` reads them back, from a file that a
// crash, a full disk, another version or another user may have left in any
// state, and SQLite lets any column hold any type. The base is a real
// history, written once per fuzzing process by the Writer from recorded
// kernel data: the tour recording's events and process
// (tests/fixtures/tracer/tour) and the sockets of the topology fixture as the
// recorder's start-up snapshot. The input damages its rows (a value of any
// type in any column, a row deleted, a row added); then every Reader query
// runs and its answer is shown: an Error or an answer, shown as valid JSON
// and text without raw control bytes, never a crash.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixture_archive.h"
#include "fuzz.h"
#include "history/answer.h"
#include "history/reader.h"
#include "history/schema.h"
#include "history/writer.h"
#include "inventory/inventory.h"
#include "inventory/source.h"
#include "recorder/process_info.h"
#include "recorder/snapshot.h"
#include "render/escape.h"
#include "render/history.h"
#include "tracer/event.h"
#include "tracer/stack.h"

namespace {

using namespace sockscope;

constexpr const char* kBoot = "6b1c3e0a-5f4d-4e2b-9a7c-fuzzhistory0";
constexpr int64_t kWallOffset = 1'765'000'000'000'000'000;

struct Table {
  std::string name;
  std::string key;  // selects one row: "rowid", or the primary key of a WITHOUT ROWID table
  std::vector<std::string> columns;
};

// The schema's tables and columns, read from the database itself
// (sqlite_master, pragma_table_info) the first time: a table or column a
// migration adds is damaged too, with no list here to keep in step.
const std::vector<Table>& tables(history::Db& db) {
  static const std::vector<Table> all = [&] {
    std::vector<Table> out;
    auto list = db.prepare("SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_master "
                           "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    if (!list) std::abort();
    while (auto row = list->step()) {
      if (!*row) break;
      Table t{list->col_bytes(0), "rowid", {}};
      std::string pk;
      auto cols = db.prepare("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid");
      if (!cols) std::abort();
      cols->text(1, t.name);
      while (auto c = cols->step()) {
        if (!*c) break;
        t.columns.push_back(cols->col_bytes(0));
        if (cols->col_i64(1) > 0) pk += (pk.empty() ? "" : ", ") + t.columns.back();
      }
      if (list->col_i64(1)) t.key = "(" + pk + ")";
      out.push_back(std::move(t));
    }
    if (out.size() < 5) std::abort();  // not the history's schema
    return out;
  }();
  return all;
}

std::string fixture(const std::string& rel) { return std::string(SOCKSCOPE_FIXTURES) + "/" + rel; }

std::vector<history::Item> recorded_items() {
  std::vector<history::Item> items;
  std::ifstream ring(fixture("tracer/tour/ring.bin"), std::ios::binary);
  for (uint32_t n; ring.read(reinterpret_cast<char*>(&n), sizeof(n));) {
    std::string r(n, '\0');
    ring.read(r.data(), n);
    if (tracer::is_stack_record(r.data(), r.size())) continue;
    if (auto e = tracer::decode(r.data(), r.size()))
      items.emplace_back(history::Recorded{*e, static_cast<int64_t>(e->ts_ns) + kWallOffset});
  }
  uint32_t pid = items.empty() ? 0 : std::get<history::Recorded>(items.front()).event.tgid;
  if (auto p = recorder::read_process_info(fixture("tracer/tour/proc"), pid, kWallOffset)) items.emplace_back(*p);
  inventory::ReplaySource topology(fixture("topology"));
  for (auto& s : recorder::snapshot_sockets(inventory::build(topology), kWallOffset)) items.emplace_back(std::move(s));
  items.emplace_back(history::Gap{kWallOffset, kWallOffset + 1'000'000, 12, "ring buffer full"});
  return items;
}

// The base history's bytes, written once.
const std::string& base_file() {
  static const std::string bytes = [] {
    std::string path = std::string(::getenv("TMPDIR") ? ::getenv("TMPDIR") : "/tmp") + "/sockscope-fuzz-base." +
                       std::to_string(::getpid()) + ".db";
    {
      auto db = history::Db::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      if (!db || !history::configure_writer(*db) || !history::migrate(*db)) std::abort();
      history::Writer w(std::move(*db));
      auto items = recorded_items();
      if (items.size() < 10 || !w.start(kBoot, 1, kWallOffset, 0) || !w.write(items, kWallOffset + 2, 1, 0) ||
          !w.stop(kWallOffset + 3, 1, 0))
        std::abort();
    }
    std::ifstream in(path, std::ios::binary);
    std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
    return out;
  }();
  return bytes;
}

// Kept in a buffer without a destructor: the atexit() handler runs after
// static strings are gone.
char g_work_dir[] = "/tmp/sockscope-fuzz-history.XXXXXX";

const std::string& work_file() {
  static const std::string path = [] {
    if (!::mkdtemp(g_work_dir)) std::abort();
    std::atexit([] { fuzz::remove_tree(g_work_dir); });
    return std::string(g_work_dir) + "/history.db";
  }();
  return path;
}

void bind_value(FuzzedDataProvider& in, history::Stmt& st, int idx) {
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0: st.null(idx); break;
    case 1: st.i64(idx, in.ConsumeIntegral<int64_t>()); break;
    case 2: st.i64(idx, in.ConsumeIntegralInRange<int64_t>(-2, 64)); break;  // small ids, kinds, fds
    case 3: st.text(idx, in.ConsumeRandomLengthString(256)); break;
    default: st.blob(idx, in.ConsumeRandomLengthString(512)); break;
  }
}

// One damage: a column of one row set to a value of any type, a row
// deleted, or a row added with any values. Constraint failures are no damage.
void damage(FuzzedDataProvider& in, history::Db& db) {
  const auto& all = tables(db);
  const Table& t = all[in.ConsumeIntegralInRange<size_t>(0, all.size() - 1)];
  int op = in.ConsumeIntegralInRange(0, 5);
  auto offset = in.ConsumeIntegralInRange<int64_t>(0, 200);
  std::string one_row =
      std::string(" WHERE ") + t.key + " = (SELECT " + t.key + " FROM " + t.name + " LIMIT 1 OFFSET ?2)";
  if (op == 0) {
    if (auto st = db.prepare(std::string("DELETE FROM ") + t.name + one_row)) {
      st->i64(2, offset);
      (void)st->run();
    }
    return;
  }
  if (op == 1) {
    std::string cols, marks;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      cols += (i ? "," : "") + t.columns[i];
      marks += (i ? ",?" : "?") + std::to_string(i + 1);
    }
    if (auto st = db.prepare(std::string("INSERT INTO ") + t.name + "(" + cols + ") VALUES(" + marks + ")")) {
      for (size_t i = 0; i < t.columns.size(); ++i) bind_value(in, *st, static_cast<int>(i + 1));
      (void)st->run();
    }
    return;
  }
  const std::string& column = t.columns[in.ConsumeIntegralInRange<size_t>(0, t.columns.size() - 1)];
  if (auto st = db.prepare(std::string("UPDATE ") + t.name + " SET " + column + " = ?1" + one_row)) {
    bind_value(in, *st, 1);
    st->i64(2, offset);
    (void)st->run();
  }
}

bool terminal_safe(const std::string& text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  return true;
}

// What the JSON outputs print: render::dump() keeps bytes that are not
// UTF-8 as _hex members; the text must parse as JSON.
bool valid_json(const nlohmann::json& j) {
  return !nlohmann::json::parse(render::dump(j), nullptr, false).is_discarded();
}

void show(const history::SocketHistory& h, const Clock& clock) {
  SOCKSCOPE_FUZZ_CHECK(terminal_safe(render::history_text(h, clock, "  ", render::StackDetail::kCut)));
  SOCKSCOPE_FUZZ_CHECK(valid_json(render::history_json(h, clock)));
}

// Every query a command asks, on the inodes, pids and paths the base holds.
void ask_everything(history::Reader& r, const Clock& clock) {
  if (auto s = r.status()) (void)s;
  // The newest sockets only: a few hundred inputs per fuzzing run (a socket
  // costs ~10 ms under ASan); the rows they share (ctx, stacks, processes,
  // sessions) carry damage from anywhere.
  history::Query newest;
  newest.limit = 6;
  if (auto all = r.query(kBoot, newest)) {
    for (const auto& h : *all) {
      show(h, clock);
      if (auto again = r.socket(kBoot, h.inode); again && *again) show(**again, clock);
      for (const auto& e : h.events) {
        if (&e - h.events.data() >= 4) break;
        if (!e.event.path.empty()) (void)r.path_events(kBoot, e.event.path, 0);
        if (!e.event.address.empty()) (void)r.path_events(kBoot, e.event.address, 0);
      }
      if (h.created) {
        (void)r.lineage(kBoot, h.created->event.tgid, std::numeric_limits<int64_t>::max());
        if (auto p = r.process(kBoot, h.created->event.tgid, h.created->wall_ns); p && *p)
          SOCKSCOPE_FUZZ_CHECK(terminal_safe(render::argv_text((*p)->argv)));
      }
    }
  }
  if (auto why = r.explain_missing(kBoot, 0, kWallOffset + 500)) {
    SOCKSCOPE_FUZZ_CHECK(terminal_safe(render::missing_text(*why)));
    SOCKSCOPE_FUZZ_CHECK(valid_json(render::missing_json(*why)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Clock clock;
  const std::string& path = work_file();
  for (const char* suffix : {"-wal", "-shm"}) ::unlink((path + suffix).c_str());
  {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << base_file();
    auto db = history::Db::open(path, SQLITE_OPEN_READWRITE);
    if (!db) std::abort();
    FuzzedDataProvider in(data, size);
    while (in.remaining_bytes() > 0) damage(in, *db);
  }
  auto reader = history::Reader::open(path);
  if (reader) ask_everything(**reader, clock);
  return 0;
}
