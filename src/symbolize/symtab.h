// SPDX-License-Identifier: GPL-2.0-only
// A sorted function-symbol index for one ELF module, built once from libdwfl
// and looked up by binary search. libdwfl's own dwfl_module_addrinfo is a
// linear scan: 0.7-14 ms per stack against libjvm's 48k functions
// (docs/stacks.md §7), so we index once and share the index between
// processes mapping the same file (keyed by build-id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

typedef struct Dwfl_Module Dwfl_Module;

namespace sockscope::symbolize {

struct SymbolHit {
  std::string_view name;  // demangled, without @@VERSION; valid as long as the index
                          // (lookup is not thread-safe: it fills a cache)
  uint64_t offset = 0;    // from the symbol's start
};

class SymbolIndex {
 public:
  // Reads every function symbol libdwfl finds for the module: .symtab, else
  // the separate debug file (.gnu_debuglink, /usr/lib/debug/.build-id),
  // .gnu_debugdata (MiniDebugInfo), else .dynsym (elfutils 0.188
  // dwfl_module_getsymtab picks the best table). Addresses are stored
  // relative to the module's load bias, so the index is process-independent.
  static SymbolIndex build(Dwfl_Module* mod);
  // For tests: (vaddr, size, name) triples.
  static SymbolIndex from(std::vector<std::tuple<uint64_t, uint64_t, std::string>> syms);

  // The function containing vaddr (module-relative), or nullopt.
  std::optional<SymbolHit> lookup(uint64_t vaddr) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint64_t addr, size;
    uint32_t name;  // offset in names_
    uint8_t rank;   // lower wins at equal addresses: GLOBAL < WEAK < LOCAL, __GI_ last
  };
  void add(uint64_t addr, uint64_t size, std::string_view raw, uint8_t rank);
  void finish();
  std::vector<Entry> entries_;
  std::string names_;  // NUL-separated raw names, version suffix stripped
  mutable std::unordered_map<uint32_t, std::string> demangled_;  // by name offset
};

// C++ names demangled by abi::__cxa_demangle; others unchanged. "@@GLIBC_2.2.5"
// and "@GLIBC..." version suffixes are stripped first.
std::string demangle(std::string_view raw);

}  // namespace sockscope::symbolize
