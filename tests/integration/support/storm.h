// SPDX-License-Identifier: GPL-2.0-only
// Two processes making and closing socketpairs as fast as they can, until
// the object goes away: more events than a tracer's ring takes (an ASan
// build, or a recorder capturing a stack with each).
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "support/helpers.h"

namespace sockscope::testing {

class Storm {
 public:
  Storm() {
    for (auto& c : children_)
      c = std::make_unique<Child>([] {
        if (::fork() != 0) return;
        ::close_range(3, ~0u, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (;;) {
          int sv[2];
          if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) continue;
          ::close(sv[0]);
          ::close(sv[1]);
        }
      });
  }

 private:
  std::unique_ptr<Child> children_[2];
};

}  // namespace sockscope::testing
