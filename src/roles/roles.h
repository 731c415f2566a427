// SPDX-License-Identifier: GPL-2.0-only
// Well-known unix socket endpoints: who listens there and what clients use it
// for. A small table (roles.cpp); extend it there.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sockscope::roles {

struct Role {
  std::string name;         // short: "sssd NSS pipe"
  std::string description;  // one line: what talks to it and why
};

// The role of a socket path ("/var/lib/sss/pipes/nss", "@/containerd-shim/..."),
// or nullopt when it is not well known.
std::optional<Role> for_path(std::string_view path);

}  // namespace sockscope::roles
