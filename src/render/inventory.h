// SPDX-License-Identifier: GPL-2.0-only
// Text and JSON views of the inventory (`ls`) and of one descriptor (`fd`).
// The JSON schema is documented in docs/json.md. No I/O here: callers print.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "inventory/explain.h"
#include "inventory/inventory.h"

namespace sockscope::render {

std::string ls_text(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows);
// The whole `ls --json` document, one socket object per line: built piece by
// piece, so 50,000 sockets never sit in memory as one JSON tree.
std::string ls_json(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows);

std::string fd_text(const inventory::Inventory& inv, const inventory::FdExplanation& e);
nlohmann::json fd_json(const inventory::Inventory& inv, const inventory::FdExplanation& e);

nlohmann::json socket_json(const inventory::Inventory& inv, const SocketInfo& s);

std::string diagnostics_text(const std::vector<Diagnostic>& diags);
nlohmann::json diagnostics_json(const std::vector<Diagnostic>& diags);

// A socket's name with what became of its path: "/run/a.sock (unlinked)",
// "./@x (at /tmp/d/@x)", "rel.sock (relative: the binder's cwd is unknown)".
std::string local_text(const SocketInfo& s);

// "java[4242]:6,sssd_nss[311]:23" (at most `limit`, then "+N more").
std::string owners_text(const std::vector<Owner>& owners, size_t limit = 3);

}  // namespace sockscope::render
