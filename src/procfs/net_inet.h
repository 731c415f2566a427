// SPDX-License-Identifier: GPL-2.0-only
// /proc/net/{raw,raw6,icmp,icmp6}: the kernel's text tables of inet sockets,
// for the sockets no sock_diag module dumps (sockdiag::read_proc_net reads
// them inside the wanted namespace; sockdiag::decode_proc_net turns rows
// into sockets). Pure parser.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace sockscope::procfs {

// One line: sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
// (raw_sock_seq_show(), ping_v4_format_sock(): the same columns).
struct NetInetRow {
  // Each 32-bit word of an address as the kernel printed it (%08X of the
  // __be32): the address's bytes read as a native int. IPv4 uses word 0.
  std::array<uint32_t, 4> local{}, remote{};
  unsigned local_port = 0, remote_port = 0;  // host order; raw: the protocol
  unsigned state = 0;                        // TCP_* numbering
  unsigned tx_queue = 0, rx_queue = 0;
  uint64_t inode = 0;
};

// Every row of a table of `family` (AF_INET: 8 hex digits per address,
// AF_INET6: 32). A line that does not parse, or a table that ends inside a
// line, is an error, not one row fewer.
Result<std::vector<NetInetRow>> parse_net_inet(std::string_view text, int family);

}  // namespace sockscope::procfs
