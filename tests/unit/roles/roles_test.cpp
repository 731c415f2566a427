// SPDX-License-Identifier: GPL-2.0-only
#include "roles/roles.h"

#include <gtest/gtest.h>

namespace sockscope::roles {

std::string name_of(const std::string& path) {
  auto r = for_path(path);
  return r ? r->name : "(no role)";
}

TEST(Roles, NamesWellKnownEndpoints) {
  EXPECT_EQ(for_path("/var/lib/sss/pipes/nss")->name, "sssd NSS pipe");
  EXPECT_EQ(for_path("/var/run/nscd/socket")->name, "nscd socket");
  // glibc binds _PATH_NSCDSOCKET as built: /var/run/... on Debian, /run/... elsewhere.
  EXPECT_EQ(name_of("/run/nscd/socket"), "nscd socket");
  EXPECT_EQ(name_of("/run/nscd/socket.old"), "(no role)");
  EXPECT_EQ(for_path("/run/systemd/journal/stdout")->name, "systemd-journald");
  EXPECT_EQ(for_path("/tmp/.java_pid4242")->name, "JVM attach listener");
  EXPECT_EQ(for_path("/proc/9/root/tmp/.java_pid1")->name, "JVM attach listener");
  EXPECT_EQ(for_path("/run/containerd/containerd.sock.ttrpc")->name, "containerd API");
}

TEST(Roles, UnknownPathsHaveNoRole) {
  EXPECT_FALSE(for_path("/tmp/app.sock"));
  EXPECT_FALSE(for_path(""));
}

}  // namespace sockscope::roles
