// SPDX-License-Identifier: GPL-2.0-only
// A process's cgroup v2 path and the container it names: what `watch`'s
// lineage and `ls --format dot`'s container clusters show.
#pragma once

#include <string>

namespace sockscope::procfs {

struct Cgroup {
  std::string path;       // the cgroup v2 path ("0::/path"); empty: unreadable, or cgroup v1 only
  std::string container;  // container_id() of any line: on a hybrid or v1 system a runtime's
                          // id is in the v1 controllers' paths ("4:memory:/docker/<id>")
};

// What ROOT/PID/cgroup says.
Cgroup read_cgroup(const std::string& root, int pid);

// The 64-hex container id in a cgroup path, as runtimes name their scopes:
// docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>, /docker/<id>,
// /kubepods/.../<id>. Empty when there is none.
std::string container_id(const std::string& cgroup_path);

}  // namespace sockscope::procfs
