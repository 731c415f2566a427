// SPDX-License-Identifier: GPL-2.0-only
// collect::add_path_history on the stored tour: the tour's listener at
// $W/tour.sock, which the tour itself unlinked, gets that unlink (caller,
// exec, parents) on its finding; without a database nothing changes; and
// the view escapes the names it shows.
#include "collect/doctor_history.h"

#include <gtest/gtest.h>

#include "../history/history_fixture.h"
#include "history/reader.h"
#include "render/doctor.h"
#include "render/escape.h"

namespace sockscope::collect {
using namespace std::string_literals;
namespace {

using history::testing::TempDir;

class PathHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = history::Store::open(history::testing::options(db_), history::current_boot_id());
    ASSERT_TRUE(store) << store.error().what;
    for (const auto& r : history::testing::tour()) {
      if (r.event.kind == EventKind::kBind && r.event.address == path_) listener_ = r.event.sock_ino;
      if (r.event.kind == EventKind::kUnlink && r.event.path == path_) unlink_ = r;
      (*store)->add(r);
    }
    ASSERT_NE(listener_, 0u);
    ASSERT_NE(unlink_.wall_ns, 0);
  }
  doctor::Finding finding(const std::string& path) {
    doctor::Finding f{doctor::Check::kOrphanedListener, listener_, {}, "what", "why", "todo", {}};
    f.path = path;
    return f;
  }
  TempDir dir_;
  std::string db_ = dir_ / "history.db";
  std::string path_ = sockscope::testing::fixture_workdir("tracer/tour") + "/tour.sock";
  uint64_t listener_ = 0;
  history::Recorded unlink_;
};

TEST_F(PathHistory, TheListenersPathWasUnlinkedByTheTour) {
  std::vector<doctor::Finding> fs{finding(path_)};
  add_path_history(fs, db_);
  ASSERT_EQ(fs[0].history.size(), 1u) << fs[0].no_record;
  const auto& c = fs[0].history[0];
  EXPECT_EQ(c.action, doctor::PathChange::Action::kUnlinked);
  EXPECT_EQ(c.pid, unlink_.event.tgid);
  EXPECT_EQ(c.comm, unlink_.event.comm);
  EXPECT_EQ(c.wall_ns, unlink_.wall_ns);
  EXPECT_FALSE(c.other_mntns) << "the tour bound and unlinked in one mount namespace";
  EXPECT_FALSE(c.exe.empty()) << "the tour's exec says what it ran";
  EXPECT_TRUE(fs[0].no_record.empty());
  std::string t = render::doctor_text(fs, {});
  EXPECT_NE(t.find("unlinked by " + render::printable(c.comm) + "[" + std::to_string(c.pid) + "]"), std::string::npos)
      << t;
  auto j = render::doctor_json(fs, {});
  EXPECT_EQ(j["findings"][0]["history"][0]["action"], "unlinked");
  EXPECT_EQ(j["findings"][0]["history"][0]["pid"], c.pid);
  EXPECT_EQ(j["findings"][0]["path"], path_);
}

TEST_F(PathHistory, NothingOfAnotherPathSaysWhy) {
  std::vector<doctor::Finding> fs{finding(path_ + ".other")};
  add_path_history(fs, db_);
  EXPECT_TRUE(fs[0].history.empty());
  EXPECT_FALSE(fs[0].no_record.empty());
  EXPECT_NE(render::doctor_text(fs, {}).find("  history: " + fs[0].no_record), std::string::npos);
}

TEST_F(PathHistory, NoDatabaseNoWord) {
  std::vector<doctor::Finding> fs{finding(path_)};
  add_path_history(fs, dir_ / "none.db");
  EXPECT_TRUE(fs[0].history.empty());
  EXPECT_TRUE(fs[0].no_record.empty());
  EXPECT_EQ(render::doctor_text(fs, {}).find("history:"), std::string::npos);
}

TEST(PathHistoryView, HostileNamesAreEscaped) {
  doctor::Finding f{doctor::Check::kReplacedListener, 1, {}, "what", "why", "todo", {}};
  f.path = "/tmp/x.sock";
  doctor::PathChange c;
  c.action = doctor::PathChange::Action::kRenamedOnto;
  c.comm = "ev\x1b[2Jil\xff";
  c.pid = 42;
  c.argv = "rm\0-f\0/tmp/x\nforged: line"s;
  c.other_path = "/tmp/new\x07.sock";
  c.chain.push_back({7, "sh\x1b", std::string("sh\0-c\0x", 7)});
  f.history.push_back(c);
  std::string t = render::doctor_text({f}, {});
  EXPECT_EQ(t.find('\x1b'), std::string::npos) << t;
  EXPECT_EQ(t.find('\x07'), std::string::npos) << t;
  EXPECT_EQ(t.find("\nforged"), std::string::npos) << t;
  EXPECT_NE(t.find("replaced by a rename of /tmp/new\\x07.sock by ev\\x1b[2Jil\\xff[42]"), std::string::npos) << t;
  std::string j = render::dump(render::doctor_json({f}, {}));
  EXPECT_NE(j.find("\"comm_hex\":\"65761b5b324a696cff\""), std::string::npos) << j;
}

}  // namespace
}  // namespace sockscope::collect
