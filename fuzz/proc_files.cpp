// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/fdinfo/N, /proc/PID/mountinfo (mount ids and nsfs mounts; mount points are paths users
// choose in their own mount namespaces) and /proc/locks.
#include "fuzz.h"
#include "procfs/files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope::procfs;
  auto text = sockscope::fuzz::text(data, size);
  (void)parse_fdinfo(text);
  (void)parse_mount_ids(text);
  (void)parse_locks(text);
  (void)parse_netns_mounts(text);
  return 0;
}
