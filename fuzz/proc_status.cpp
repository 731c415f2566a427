// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/status: its Name: line is the comm a process set for itself.
#include <string>

#include "fuzz.h"
#include "procfs/process.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope::procfs;
  std::string text(sockscope::fuzz::text(data, size));
  for (const char* key : {"Name", "Tgid", "PPid", "Uid", "NStgid", "NSpid", "SigCgt", "SigBlk", "SigPnd", "ShdPnd"}) {
    auto v = status_value(text, key);
    if (!v) continue;
    for (int sig : {0, 1, 10, 12, 19, 31, 32, 64, 65, -1}) (void)in_sigmask(*v, sig);
  }
  (void)environ_value(text, "CRAC_CRIU_OPTS");
  (void)parse_stat(text);  // /proc/PID/stat: its comm is the process's own
  return 0;
}
