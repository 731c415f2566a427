// SPDX-License-Identifier: GPL-2.0-only
// Where the inventory's kernel data comes from: the live kernel, or a
// recorded fixture (tests/fixtures/NAME, made by scripts/record_fixture.sh).
#pragma once

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "procfs/process.h"
#include "sockdiag/sockdiag.h"

namespace sockscope::inventory {

// A network namespace and a path that opens it.
struct Netns {
  uint64_t inode = 0;
  std::string path;     // what we enter it by: /proc/PID/ns/net, /run/netns/NAME, ...
  std::string name;     // the /run/netns name, if it has one
  std::string held_by;  // what keeps it alive, for people: "pid 42", "fd 5 of pid 42", ...
};

// A socket in no dump, as it describes itself (sockdiag/borrow.h).
struct SocketSelf {
  int family = 0, type = 0, protocol = 0;
  std::optional<Netns> netns;  // when the kernel told (SIOCGSKNS)
};

// One sock_diag dump of one namespace. The kinds after kUdp6 came later:
// a fixture recorded before them has no file for them (see ReplaySource).
// Raw and ICMP (ping) sockets come from /proc/net tables, not sock_diag
// (sockdiag::read_proc_net says why).
enum class DumpKind {
  kUnix,
  kTcp4,
  kTcp6,
  kUdp4,
  kUdp6,
  kUdplite4,
  kUdplite6,
  kRaw4,
  kRaw6,
  kIcmp4,
  kIcmp6,
  kPacket,
  kNetlink
};
inline constexpr DumpKind kAllDumpKinds[] = {
    DumpKind::kUnix,     DumpKind::kTcp4,     DumpKind::kTcp6,   DumpKind::kUdp4, DumpKind::kUdp6,
    DumpKind::kUdplite4, DumpKind::kUdplite6, DumpKind::kRaw4,   DumpKind::kRaw6, DumpKind::kIcmp4,
    DumpKind::kIcmp6,    DumpKind::kPacket,   DumpKind::kNetlink};
const char* dump_kind_name(DumpKind k);  // "unix", "tcp4", ... (fixture file names)

class Source {
 public:
  virtual ~Source() = default;
  virtual std::string proc_root() const = 0;
  // Network namespaces held by the processes, plus named ones (/run/netns).
  virtual std::vector<Netns> namespaces(const std::vector<procfs::Process>& procs) = 0;
  virtual Result<sockdiag::Dump> dump(const Netns& ns, DumpKind kind) = 0;
  // Whether paths can be looked up through /proc/PID/root (not in replays).
  virtual bool live() const = 0;
  // What could not be read that belongs to no dump (a replay's bad
  // netns.txt lines); taken once, after namespaces().
  virtual std::vector<Diagnostic> take_diagnostics() { return {}; }
  // Asks fd `fd` of `pid`, a socket no dump listed, what it is and where it
  // lives. A namespace it names can be dumped afterwards.
  virtual Result<SocketSelf> ask_socket(int pid, int fd) = 0;
  // The name of interface `ifindex` in `ns`; empty when it cannot be known
  // (a replay records no interfaces).
  virtual std::string interface_name(const Netns&, int) { return {}; }
  // The inode of the netlink socket our own dumps of `ns` went through (it
  // is in the netlink dump, held by no process we scan); 0 if unknown.
  virtual uint64_t own_socket_inode(const Netns&) { return 0; }
};

// The running kernel. One netlink socket per namespace, opened on first use.
class LiveSource : public Source {
 public:
  explicit LiveSource(std::string netns_dir = "/run/netns") : netns_dir_(std::move(netns_dir)) {}
  std::string proc_root() const override { return "/proc"; }
  std::vector<Netns> namespaces(const std::vector<procfs::Process>& procs) override;
  Result<sockdiag::Dump> dump(const Netns& ns, DumpKind kind) override;
  bool live() const override { return true; }
  Result<SocketSelf> ask_socket(int pid, int fd) override;
  std::string interface_name(const Netns& ns, int ifindex) override;
  uint64_t own_socket_inode(const Netns& ns) override;

 private:
  Result<int> diag_socket(const Netns& ns);
  std::string netns_dir_;
  std::map<uint64_t, UniqueFd> sockets_;
  // Namespaces only sockets keep alive, by inode: the nsfs descriptor
  // SIOCGSKNS gave, entered as /proc/self/fd/N.
  std::map<uint64_t, UniqueFd> borrowed_netns_;
};

// A recorded fixture: DIR/proc is a /proc snapshot, DIR/diag/<netns>/<kind>
// the raw dumps, DIR/netns.txt lines of "<inode> <path> [name]". A fixture
// recorded before a dump kind existed has no file for it: dump() then
// answers kNotRecorded, and the sockets of that kind stay unknown, as any
// socket of a replay that no dump lists.
class ReplaySource : public Source {
 public:
  explicit ReplaySource(std::string dir) : dir_(std::move(dir)) {}
  std::string proc_root() const override { return dir_ + "/proc"; }
  std::vector<Netns> namespaces(const std::vector<procfs::Process>& procs) override;
  Result<sockdiag::Dump> dump(const Netns& ns, DumpKind kind) override;
  bool live() const override { return false; }
  std::vector<Diagnostic> take_diagnostics() override { return std::move(diagnostics_); }
  // A fixture has no live descriptors to ask (sockets in no dump stay unknown).
  Result<SocketSelf> ask_socket(int pid, int fd) override;
  // DIR/diag/<netns>/own: what `record` wrote for own_socket_inode().
  uint64_t own_socket_inode(const Netns& ns) override;

 private:
  std::string dir_;
  std::vector<Diagnostic> diagnostics_;
};

// The errno ReplaySource::dump() gives for a kind the fixture predates.
inline constexpr int kNotRecorded = ENODATA;

// Whether `dir` looks like what `sockscope record` writes (proc/ and
// netns.txt): an empty or wrong directory is not an empty machine.
Result<Ok> check_fixture(const std::string& dir);

}  // namespace sockscope::inventory
