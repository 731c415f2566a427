// SPDX-License-Identifier: GPL-2.0-only
#include "checkpoint/options.h"

#include <cstdint>
#include <optional>
#include <sstream>

#include "base/strings.h"

namespace sockscope::checkpoint {
namespace {

// CRIU's parse_size(): a number with an optional K, M or G suffix.
std::optional<uint64_t> parse_size(const std::string& s) {
  if (s.empty()) return std::nullopt;
  uint64_t mult = 1;
  std::string digits = s;
  switch (s.back()) {
    case 'K': case 'k': mult = 1ull << 10; digits.pop_back(); break;
    case 'M': case 'm': mult = 1ull << 20; digits.pop_back(); break;
    case 'G': case 'g': mult = 1ull << 30; digits.pop_back(); break;
    default: break;
  }
  auto v = parse_u64(digits);
  if (!v || *v > UINT64_MAX / mult) return std::nullopt;
  return *v * mult;
}

void set_ghost_limit(CriuOptions& o, const std::string& option, const std::string& value) {
  if (auto v = parse_size(value)) o.ghost_limit = *v;
  else if (value.empty()) o.invalid.push_back(option + ": no size given (a number with an optional K, M or G)");
  else o.invalid.push_back(option + " " + value + ": not a size (a number with an optional K, M or G)");
}

// "unix[123]" -> 123 (sk-unix.c: external ids are "unix[<ino>]").
bool add_external(CriuOptions& o, const std::string& id) {
  if (id.rfind("unix[", 0) == 0 && id.back() == ']') {
    if (auto ino = parse_u64(id.substr(5, id.size() - 6))) {
      o.external_unix.insert(*ino);
      return true;
    }
  }
  if (id.rfind("file[", 0) == 0 && id.back() == ']') {
    o.external_files.insert(id.substr(5, id.size() - 6));
    return true;
  }
  return false;
}

// --ext-unix-sk=<ino>[,<ino>...] adds unix[<ino>] ids and sets the legacy flag.
void add_ext_unix_list(CriuOptions& o, const std::string& list) {
  o.ext_unix_sk = true;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');)
    if (auto ino = parse_u64(item)) o.external_unix.insert(*ino);
}

}  // namespace

CriuOptions parse_criu_options(const std::string& text) {
  CriuOptions o;
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    auto next = [&]() -> std::string { return i + 1 < words.size() ? words[++i] : std::string(); };
    if (w == "--ext-unix-sk" || w == "-x") o.ext_unix_sk = true;
    else if (w.rfind("--ext-unix-sk=", 0) == 0) add_ext_unix_list(o, w.substr(14));
    else if (w.rfind("-x", 0) == 0) add_ext_unix_list(o, w.substr(2));
    else if (w == "--external" && i + 1 == words.size())
      o.invalid.push_back(w + ": no id given (unix[INODE] or file[MNT:INODE])");
    else if (w == "--external") { std::string id = next(); if (!add_external(o, id)) o.ignored.push_back(w + " " + id); }
    else if (w.rfind("--external=", 0) == 0) { if (!add_external(o, w.substr(11))) o.ignored.push_back(w); }
    else if (w == "--tcp-established") o.tcp_established = true;
    else if (w == "--tcp-close") o.tcp_close = true;
    else if (w == "--skip-in-flight") o.skip_in_flight = true;
    else if (w == "--file-locks" || w == "-l") o.file_locks = true;
    else if (w == "--link-remap") o.link_remap = true;
    else if (w == "--ghost-limit") set_ghost_limit(o, w, next());
    else if (w.rfind("--ghost-limit=", 0) == 0) set_ghost_limit(o, "--ghost-limit", w.substr(14));
    else o.ignored.push_back(w);
  }
  for (const auto& w : words) o.text += (o.text.empty() ? "" : " ") + w;
  return o;
}

CriuOptions merge(const CriuOptions& a, const CriuOptions& b) {
  CriuOptions o = a;
  o.ext_unix_sk |= b.ext_unix_sk;
  o.external_unix.insert(b.external_unix.begin(), b.external_unix.end());
  o.external_files.insert(b.external_files.begin(), b.external_files.end());
  o.tcp_established |= b.tcp_established;
  o.tcp_close |= b.tcp_close;
  o.skip_in_flight |= b.skip_in_flight;
  o.file_locks |= b.file_locks;
  o.link_remap |= b.link_remap;
  if (b.ghost_limit != kDefaultGhostLimit) o.ghost_limit = b.ghost_limit;
  o.ignored.insert(o.ignored.end(), b.ignored.begin(), b.ignored.end());
  o.invalid.insert(o.invalid.end(), b.invalid.begin(), b.invalid.end());
  if (!b.text.empty()) o.text += (o.text.empty() ? "" : " ") + b.text;
  return o;
}

}  // namespace sockscope::checkpoint
