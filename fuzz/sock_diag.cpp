// SPDX-License-Identifier: GPL-2.0-only
// sock_diag dumps: the kernel writes them, but socket paths and abstract
// names in them are any bytes a user bound, and a dump can be cut short.
// Every input goes through every decoder, the /proc/net table one included
// (a replayed fixture's raw and icmp files are that text).
#include <netinet/in.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "sockdiag/sockdiag.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope::sockdiag;
  Dump dump(data, data + size);
  (void)decode_unix(dump);
  (void)decode_inet(dump, IPPROTO_TCP);
  (void)decode_inet(dump, IPPROTO_UDP);
  (void)decode_packet(dump);
  (void)decode_netlink(dump);
  (void)decode_proc_net(dump, AF_INET, SOCK_RAW);
  (void)decode_proc_net(dump, AF_INET6, SOCK_DGRAM);
  return 0;
}
