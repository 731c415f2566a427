// SPDX-License-Identifier: GPL-2.0-only
// Reader::path_events and Reader::process: what became of a path after a
// listener bound it (doctor, issue #14), and who did it.
#include <fmt/format.h>

#include <algorithm>

#include "history/reader_impl.h"

namespace sockscope::history {

Result<std::vector<Recorded>> Reader::path_events(const std::string& boot_id, const std::string& path,
                                                  int64_t since_wall_ns) {
  auto boot = impl_->boot_row(boot_id);
  if (!boot) return boot.error();
  if (!*boot) return std::vector<Recorded>{};
  std::string in_boot = fmt::format(" AND c.session IN (SELECT id FROM sessions WHERE boot = {})", *boot);
  auto by_path = [&](Stmt& st) { st.blob(1, path).i64(2, since_wall_ns); };
  // Each condition as the partial indexes of schema v2 state it, so that
  // each query reads its index (a v1 file has none: the same answers, slower).
  const char* const queries[] = {"WHERE e.kind IN (11, 12) AND e.path = ?1 AND e.wall_ns >= ?2",
                                 "WHERE e.kind = 3 AND e.address = ?1",
                                 // a rename's target is in `extra`: every rename since, compared below
                                 "WHERE e.kind = 12 AND e.wall_ns >= ?2"};
  std::vector<Recorded> out;
  for (size_t q = 0; q < 3; q++) {
    auto evs = impl_->events(queries[q] + in_boot, by_path);
    if (!evs) return evs.error();
    for (auto& r : *evs) {
      // Renames onto the path (those from it came with the first query).
      bool onto = r.event.path2 == path && r.event.path != path;
      if (q == 2 && !onto) continue;
      if (r.wall_ns >= since_wall_ns) out.push_back(std::move(r));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Recorded& a, const Recorded& b) { return a.wall_ns < b.wall_ns; });
  return out;
}

Result<std::optional<ProcessInfo>> Reader::process(const std::string& boot_id, uint32_t pid, int64_t at_wall_ns) {
  auto boot = impl_->boot_row(boot_id);
  if (!boot) return boot.error();
  if (!*boot) return std::optional<ProcessInfo>{};
  return impl_->process(*boot, pid, at_wall_ns);
}

}  // namespace sockscope::history
