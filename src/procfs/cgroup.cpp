// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/cgroup.h"

#include <cctype>

#include "base/strings.h"

namespace sockscope::procfs {

Cgroup read_cgroup(const std::string& root, int pid) {
  auto cg = read_small_file(root + "/" + std::to_string(pid) + "/cgroup");
  if (!cg) return {};
  Cgroup out;
  out.container = container_id(*cg);
  size_t pos = cg->rfind("0::", 0) == 0 ? 0 : cg->find("\n0::");
  if (pos == std::string::npos) return out;
  pos += pos == 0 ? 3 : 4;
  auto eol = cg->find('\n', pos);
  out.path = cg->substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
  return out;
}

std::string container_id(const std::string& cgroup_path) {
  size_t run = 0;
  for (size_t i = 0; i <= cgroup_path.size(); ++i) {
    bool hex = i < cgroup_path.size() && std::isxdigit(static_cast<unsigned char>(cgroup_path[i])) &&
               !std::isupper(static_cast<unsigned char>(cgroup_path[i]));
    if (hex) {
      ++run;
      continue;
    }
    if (run == 64) return cgroup_path.substr(i - 64, 64);
    run = 0;
  }
  return {};
}

}  // namespace sockscope::procfs
