// SPDX-License-Identifier: GPL-2.0-only
#include "render/table.h"

#include <algorithm>

namespace sockscope::render {

std::string Table::str(const Style& style) const {
  std::vector<size_t> width;
  for (const auto& r : rows_) {
    if (width.size() < r.size()) width.resize(r.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows_) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line.append(width[i] - r[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += (&r == &rows_.front() ? style.bold(line) : line) + "\n";
  }
  return out;
}

}  // namespace sockscope::render
