// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/record.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/strings.h"
#include "inventory/source.h"

namespace sockscope::inventory {
namespace fs = std::filesystem;

namespace {

// Symlinks carry the kernel's link text verbatim ("socket:[123]"), which is
// all that procfs::read_process reads back.
Result<Ok> snapshot_process(const fs::path& root, const procfs::Process& p) {
  fs::path dir = root / std::to_string(p.pid);
  std::error_code ec;
  fs::create_directories(dir / "fd", ec);
  fs::create_directories(dir / "ns", ec);
  if (ec) return Error{"cannot create " + dir.string() + ": " + ec.message(), 0, {}};
  std::ofstream(dir / "comm") << p.comm << "\n";
  // ppid and PF_* flags (checkpoint T1: a kernel thread); gone meanwhile: none.
  if (auto stat = read_small_file("/proc/" + std::to_string(p.pid) + "/stat")) std::ofstream(dir / "stat") << *stat;
  for (const auto& f : p.fds) fs::create_symlink(f.target, dir / "fd" / std::to_string(f.fd), ec);
  fs::create_symlink("net:[" + std::to_string(p.netns) + "]", dir / "ns" / "net", ec);
  fs::create_symlink("mnt:[" + std::to_string(p.mntns) + "]", dir / "ns" / "mnt", ec);
  if (ec) return Error{"cannot write the snapshot of " + std::to_string(p.pid) + ": " + ec.message(), 0, {}};
  return Ok{};
}

}  // namespace

Result<std::vector<Diagnostic>> record(const std::string& dir, const std::vector<int>& pids) {
  fs::path root(dir);
  auto scan = procfs::scan("/proc", pids);
  // Asked for by pid: that process is the fixture, so it must be read.
  if (!pids.empty() && scan.processes.empty() && !scan.diagnostics.empty())
    return Error{scan.diagnostics.front().what, 0, scan.diagnostics.front().hint};
  for (const auto& p : scan.processes)
    if (auto r = snapshot_process(root / "proc", p); !r) return r.error();
  LiveSource live;
  std::ofstream netns(root / "netns.txt");
  for (const auto& ns : live.namespaces(scan.processes)) {
    // A path or name may hold a space or a newline (a bind mount anywhere):
    // escaped as mountinfo does, one namespace per line.
    netns << ns.inode << " " << octal_escape(ns.path) << " " << octal_escape(ns.name) << "\n";
    fs::path d = root / "diag" / std::to_string(ns.inode);
    fs::create_directories(d);
    for (DumpKind k : kAllDumpKinds) {
      auto dump = live.dump(ns, k);
      // A kernel without packet_diag or netlink_diag still records the rest:
      // with no file, a replay leaves those sockets unknown.
      if (!dump && k > DumpKind::kUdp6) {
        scan.diagnostics.push_back({"netns " + std::to_string(ns.inode) + ": " + dump.error().what +
                                        " (not recorded: a replay leaves these sockets unknown)",
                                    dump.error().hint, 0});
        continue;
      }
      if (!dump) return dump.error().context("recording netns " + std::to_string(ns.inode));
      std::ofstream(d / dump_kind_name(k), std::ios::binary)
          .write(reinterpret_cast<const char*>(dump->data()), static_cast<std::streamsize>(dump->size()));
    }
    std::ofstream(d / "own") << live.own_socket_inode(ns) << "\n";
  }
  return std::move(scan.diagnostics);
}

}  // namespace sockscope::inventory
