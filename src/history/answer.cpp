// SPDX-License-Identifier: GPL-2.0-only
#include "history/answer.h"

#include <fmt/format.h>
#include <time.h>

#include "base/clock.h"
#include "history/reader.h"

namespace sockscope::history {
std::string wall_text(int64_t wall_ns) {
  if (wall_ns <= 0) return "(unknown time)";
  time_t secs = static_cast<time_t>(wall_ns / 1'000'000'000);
  struct tm tm {};
  ::localtime_r(&secs, &tm);
  char buf[32];
  ::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return fmt::format("{}.{:06d}", buf, (wall_ns % 1'000'000'000) / 1000);
}

std::string describe(const Explanation& e) {
  switch (e.why) {
    case Missing::kNoDatabase: return "no recorder history on this machine (start one: sockscope recorder)";
    case Missing::kOtherBoot:
      return "the recorder's history holds other boots only: no recorder has run since this boot";
    case Missing::kNotRunning: {
      if (e.sessions.empty()) return "no recorder ran this boot (start one: sockscope recorder)";
      return fmt::format("no recorder ran when it was made: the recorder runs since {}",
                         wall_text(e.sessions.back().started_wall_ns));
    }
    case Missing::kLost: {
      uint64_t lost = 0;
      for (const auto& g : e.gaps) lost += g.lost;
      const auto& g = e.gaps.front();
      return fmt::format("the recorder lost {} events ({}) between {} and {}; this socket may be among them", lost,
                         g.cause, wall_text(g.from_wall_ns), wall_text(e.gaps.back().to_wall_ns));
    }
    case Missing::kUnknown: break;
  }
  return "the recorder ran throughout and lost nothing, yet has no record: not a socket it can see";
}

Answer ask(const std::string& db_flag, uint64_t inode) {
  Answer a;
  a.where = locate(db_flag);
  if (a.where.path.empty()) {
    a.missing = Explanation{Missing::kNoDatabase, {}, {}};
    return a;
  }
  auto reader = Reader::open(a.where.path);
  if (!reader) {
    a.error = reader.error().what + (reader.error().hint.empty() ? "" : " (" + reader.error().hint + ")");
    return a;
  }
  auto boot = current_boot_id();
  auto found = (*reader)->socket(boot, inode);
  if (!found) {
    a.error = found.error().what;
    return a;
  }
  if (*found) {
    a.found = std::move(**found);
    return a;
  }
  // The socket is alive now, made at any time this boot.
  auto why = (*reader)->explain_missing(boot, 0, clock_ns(CLOCK_REALTIME));
  if (!why) a.error = why.error().what;
  else a.missing = std::move(*why);
  return a;
}

}  // namespace sockscope::history
