// SPDX-License-Identifier: GPL-2.0-only
#include "roles/roles.h"

#include <fnmatch.h>

#include <array>
#include <string>

namespace sockscope::roles {
namespace {

struct Entry {
  const char* glob;  // fnmatch(3) pattern on the socket path
  const char* name;
  const char* description;
};

// /run and /var/run are the same directory on merged systems; both are listed
// because a socket keeps the name it was bound with.
constexpr std::array kTable = {
    Entry{"/var/lib/sss/pipes/nss", "sssd NSS pipe",
          "sssd_nss answers getpwnam/getpwuid/getgr* for glibc's libnss_sss (nsswitch.conf: sss)"},
    Entry{"/var/lib/sss/pipes/pam", "sssd PAM pipe", "sssd_pam answers pam_sss"},
    Entry{"/var/lib/sss/pipes/private/*", "sssd private pipe", "sssd's internal responders"},
    Entry{"/var/lib/sss/pipes/*", "sssd pipe", "an sssd responder (sudo, ssh, autofs, pac)"},
    Entry{"/var/run/nscd/socket", "nscd socket",
          "nscd answers passwd/group/hosts lookups for glibc before NSS modules are tried"},
    Entry{"/run/nscd/socket", "nscd socket",
          "nscd answers passwd/group/hosts lookups for glibc before NSS modules are tried"},
    Entry{"/run/systemd/journal/*", "systemd-journald",
          "journald's log sockets (syslog, native protocol, stdout streams)"},
    Entry{"/dev/log", "syslog socket", "syslog(3) messages, usually to systemd-journald"},
    Entry{"/run/dbus/system_bus_socket", "D-Bus system bus", "dbus-daemon/dbus-broker system bus"},
    Entry{"/var/run/dbus/system_bus_socket", "D-Bus system bus",
          "dbus-daemon/dbus-broker system bus"},
    Entry{"/run/user/*/bus", "D-Bus session bus", "the user's D-Bus session bus"},
    Entry{"*/.java_pid*", "JVM attach listener",
          "HotSpot's attach listener (jcmd, jstack, jattach); created on first attach request"},
    Entry{"/run/docker.sock", "Docker API", "dockerd's API socket"},
    Entry{"/var/run/docker.sock", "Docker API", "dockerd's API socket"},
    Entry{"/run/containerd/containerd.sock*", "containerd API", "containerd's gRPC socket"},
    Entry{"@/containerd-shim/*", "containerd shim", "a containerd-shim's ttrpc socket"},
    Entry{"/run/systemd/notify", "systemd notify", "sd_notify(3) readiness messages to PID 1"},
    Entry{"/run/systemd/private", "systemd private bus", "systemctl talking to PID 1"},
    Entry{"/run/systemd/userdb/*", "systemd userdb", "NSS lookups through nss-systemd/userdbd"},
};

}  // namespace

std::optional<Role> for_path(std::string_view path) {
  std::string p(path);
  for (const auto& e : kTable)
    if (::fnmatch(e.glob, p.c_str(), 0) == 0) return Role{e.name, e.description};
  return std::nullopt;
}

}  // namespace sockscope::roles
