// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON views of the inventory (`ls`) and of one descriptor (`fd`).
// The JSON schema is documented in docs/json.md. No I/O here: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inventory/explain.h"
#include "inventory/inventory.h"
#include "render/style.h"

namespace sockscope::render {

// `style`: headings bold, warnings yellow when style.color (--color).
std::string ls_text(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows,
                    const Style& style = {});
// The whole `ls --json` document, one socket object per line: built piece by
// piece, so 50,000 sockets never sit in memory as one JSON tree.
std::string ls_json(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows);

// The same rows (and the sockets at their other ends) as a Graphviz digraph:
// one cluster per network namespace, inside it one per mount namespace when
// its processes live in several (a container's usual shape); processes and
// sockets as nodes; edges from holders (fd), between peers and from a
// pending (not yet accepted) connection to its listener; well-known roles
// (roles/) on sockets and on the processes that serve them. Deterministic:
// clusters, nodes and edges in inode and pid order.
std::string ls_dot(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows);

std::string fd_text(const inventory::Inventory& inv, const inventory::FdExplanation& e, const Style& style = {});
nlohmann::json fd_json(const inventory::Inventory& inv, const inventory::FdExplanation& e);

nlohmann::json socket_json(const inventory::Inventory& inv, const SocketInfo& s);

std::string diagnostics_text(const std::vector<Diagnostic>& diags, const Style& style = {});
nlohmann::json diagnostics_json(const std::vector<Diagnostic>& diags);

// "unix/stream", "tcp/4", "?" (in no dump and could not be asked).
std::string kind_text(const SocketInfo& s);

// A socket's name with what became of its path: "/run/a.sock (unlinked)",
// "./@x (at /tmp/d/@x)", "rel.sock (relative: the binder's cwd is unknown)".
std::string local_text(const SocketInfo& s);

// "java[4242]:6,sssd_nss[311]:23" (at most `limit`, then "+N more").
std::string owners_text(const std::vector<Owner>& owners, size_t limit = 3);

}  // namespace sockscope::render
