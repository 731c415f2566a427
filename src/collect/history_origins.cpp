// SPDX-License-Identifier: GPL-2.0-only
#include "collect/history_origins.h"

#include "history/answer.h"

namespace sockscope::collect {

void add_history_origins(checkpoint::Report& r, const std::string& db_flag) {
  for (auto& f : r.findings) {
    if (!f.inode || f.object.rfind("socket:", 0) != 0) continue;
    auto a = history::ask(db_flag, f.inode);
    if (a.missing && a.missing->why == history::Missing::kNoDatabase) return;
    if (!a.error.empty()) {
      f.origin.no_record = "cannot read the recorder's history: " + a.error;
    } else if (a.found && a.found->created) {
      f.origin.created = a.found->created->event;
      f.origin.created_wall_ns = a.found->created->wall_ns;
    } else if (a.found) {
      f.origin.no_record = "the socket existed before the recorder started";
    } else if (a.missing) {
      f.origin.no_record = history::describe(*a.missing);
    }
  }
}

}  // namespace sockscope::collect
