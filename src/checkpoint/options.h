// SPDX-License-Identifier: GPL-2.0-only
// The CRIU command-line options that change a verdict, parsed the way CRIU
// parses them (UP config.c:634,773-779; sk-unix.c:2323-2358: rulebook 3.1
// "Option forms"). CRAC_CRIU_OPTS is split on spaces, as criuengine.cpp does.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace sockscope::checkpoint {

// CRIU's default --ghost-limit: cr_options.h DEFAULT_GHOST_LIMIT (1 << 20).
constexpr uint64_t kDefaultGhostLimit = 1u << 20;

struct CriuOptions {
  bool ext_unix_sk = false;          // legacy --ext-unix-sk / -x (also set by its =ino form)
  std::set<uint64_t> external_unix;  // unix[<ino>] from --external or --ext-unix-sk=<ino>
  std::set<std::string> external_files;  // file[<mnt_id>:<ino>]
  bool tcp_established = false;
  bool tcp_close = false;
  bool skip_in_flight = false;
  bool file_locks = false;
  bool link_remap = false;
  uint64_t ghost_limit = kDefaultGhostLimit;
  std::vector<std::string> ignored;  // words that change no verdict here
  // Options whose value CRIU would refuse ("--ghost-limit banana: ..."), each
  // with what it wants; the verdict then uses the default.
  std::vector<std::string> invalid;
  std::string text;                  // what was parsed, for display

  bool empty() const { return text.empty(); }
};

// Parses "--ext-unix-sk --external unix[123] --ghost-limit 10M". Never fails:
// words it does not know land in `ignored`, bad values in `invalid`.
CriuOptions parse_criu_options(const std::string& text);

// Both sets together (--criu-opts plus the target's CRAC_CRIU_OPTS).
CriuOptions merge(const CriuOptions& a, const CriuOptions& b);

}  // namespace sockscope::checkpoint
