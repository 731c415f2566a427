// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/net_inet.h"

#include <sys/socket.h>

#include <charconv>
#include <sstream>
#include <string>

namespace sockscope::procfs {
namespace {

template <typename T>
bool parse_hex(std::string_view t, T& v) {
  auto r = std::from_chars(t.data(), t.data() + t.size(), v, 16);
  return !t.empty() && r.ec == std::errc() && r.ptr == t.data() + t.size();
}

// "0100007F:0001" (IPv4) or 32 hex digits and a port (IPv6).
bool parse_address(std::string_view field, int family, std::array<uint32_t, 4>& addr, unsigned& port) {
  size_t digits = family == AF_INET6 ? 32 : 8;
  if (field.find(':') != digits || field.size() > digits + 5) return false;
  for (size_t i = 0; i < digits / 8; ++i)
    if (!parse_hex(field.substr(i * 8, 8), addr[i])) return false;
  return parse_hex(field.substr(digits + 1), port);
}

bool parse_row(const std::string& line, int family, NetInetRow& row) {
  std::istringstream in(line);
  std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
  if (!(in >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
    return false;
  auto colon = queues.find(':');
  std::string_view q(queues);
  return parse_address(local, family, row.local, row.local_port) &&
         parse_address(remote, family, row.remote, row.remote_port) && parse_hex(state, row.state) &&
         colon != std::string::npos && parse_hex(q.substr(0, colon), row.tx_queue) &&
         parse_hex(q.substr(colon + 1), row.rx_queue) &&
         std::from_chars(inode.data(), inode.data() + inode.size(), row.inode).ec == std::errc();
}

}  // namespace

Result<std::vector<NetInetRow>> parse_net_inet(std::string_view text, int family) {
  std::vector<NetInetRow> rows;
  if (text.empty()) return rows;
  if (text.back() != '\n')  // the kernel ends every line: this table was cut
    return Error{"a /proc/net table ends inside a line", 0, "record the fixture again"};
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    NetInetRow row;
    if (!parse_row(line, family, row))
      return Error{"a /proc/net table line does not parse: " + line.substr(0, 80), 0, "record the fixture again"};
    rows.push_back(row);
  }
  return rows;
}

}  // namespace sockscope::procfs
