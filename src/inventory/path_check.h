// SPDX-License-Identifier: GPL-2.0-only
// Does a bound unix socket's path still lead to it?
#pragma once

#include "inventory/inventory.h"

namespace sockscope::inventory {

// Sets path_state of every bound unix socket. The path is looked up as its
// holder sees it (/proc/PID/root/PATH, so inside its mount namespace) and
// compared with the bound inode from UNIX_DIAG_VFS. Without `live`, or with
// no holder, the state is kUnchecked. A relative path is looked up through
// each holder's cwd: kCurrent with `resolved_path` set when one leads to the
// bound inode, else kRelative (the binder's cwd at bind() is unknown).
void check_paths(Inventory& inv, bool live);

// The kernel reports UNIX_DIAG_VFS's device as the internal dev_t
// (MAJOR << 20 | MINOR, include/linux/kdev_t.h); stat(2) gives the
// userspace encoding. True when both name the same device.
bool same_device(uint64_t kernel_dev, uint64_t user_dev);

}  // namespace sockscope::inventory
