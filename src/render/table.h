// SPDX-License-Identifier: GPL-2.0-only
// A plain text table: left-aligned columns, two spaces apart, last column unpadded.
#pragma once

#include <string>
#include <vector>

#include "render/style.h"

namespace sockscope::render {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : rows_{std::move(headers)} {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // The header row in bold when style.color.
  std::string str(const Style& style = {}) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace sockscope::render
