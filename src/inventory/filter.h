// SPDX-License-Identifier: GPL-2.0-only
// Which sockets `ls` shows. Pure.
#pragma once

#include <string>
#include <vector>

#include "inventory/inventory.h"

namespace sockscope::inventory {

struct Filter {
  std::vector<int> pids;  // held by one of these (empty: any)
  bool unix_only = false;
  bool inet_only = false;
  bool listening = false;
  std::vector<std::string> path_globs;  // fnmatch(3) on the unix path
};

std::vector<const SocketInfo*> select(const Inventory& inv, const Filter& f);

}  // namespace sockscope::inventory
