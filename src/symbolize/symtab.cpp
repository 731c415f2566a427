// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/symtab.h"

#include <cxxabi.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>

namespace sockscope::symbolize {

std::string demangle(std::string_view raw) {
  std::string name(raw.substr(0, raw.find('@')));
  if (name.rfind("_Z", 0) != 0) return name;
  int status = 0;
  char* d = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || !d) return name;
  std::string out(d);
  std::free(d);
  return out;
}

void SymbolIndex::add(uint64_t addr, uint64_t size, std::string_view raw, uint8_t rank) {
  // Demangled lazily at lookup (libjvm has 48k functions: demangling them
  // all would cost ~100 ms before the first stack), then cached.
  std::string_view name = raw.substr(0, raw.find('@'));
  if (name.rfind("__GI_", 0) == 0) rank += 4;  // glibc's internal aliases
  entries_.push_back({addr, size, static_cast<uint32_t>(names_.size()), rank});
  names_ += name;
  names_ += '\0';
}

void SymbolIndex::finish() {
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.addr, a.rank, b.size) < std::tie(b.addr, b.rank, a.size);
  });
  // Keep the best-ranked symbol per address.
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.addr == b.addr; }),
                 entries_.end());
}

SymbolIndex SymbolIndex::build(Dwfl_Module* mod) {
  SymbolIndex idx;
  GElf_Addr bias = 0;
  if (!dwfl_module_getelf(mod, &bias)) return idx;
  int n = dwfl_module_getsymtab(mod);
  for (int i = 1; i < n; i++) {
    GElf_Sym sym;
    GElf_Addr addr = 0;
    GElf_Word shndx = 0;
    Elf* elf = nullptr;
    Dwarf_Addr symbias = 0;
    const char* name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, &elf, &symbias);
    if (!name || !*name || sym.st_shndx == SHN_UNDEF || addr == 0) continue;
    int type = GELF_ST_TYPE(sym.st_info);
    if (type != STT_FUNC && type != STT_GNU_IFUNC) continue;
    int bind = GELF_ST_BIND(sym.st_info);
    uint8_t rank = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
    idx.add(addr - bias, sym.st_size, name, rank);
  }
  idx.finish();
  return idx;
}

SymbolIndex SymbolIndex::from(std::vector<std::tuple<uint64_t, uint64_t, std::string>> syms) {
  SymbolIndex idx;
  for (auto& [a, s, n] : syms) idx.add(a, s, n, 0);
  idx.finish();
  return idx;
}

std::optional<SymbolHit> SymbolIndex::lookup(uint64_t vaddr) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), vaddr,
                             [](uint64_t a, const Entry& e) { return a < e.addr; });
  // Walk back over a few candidates: a small symbol nested at a higher
  // address than a larger one that contains vaddr.
  for (int i = 0; i < 8 && it != entries_.begin(); i++) {
    --it;
    bool contains = vaddr < it->addr + it->size;
    bool unsized_nearest = it->size == 0 && i == 0;
    if (!contains && !unsized_nearest) continue;
    auto [c, fresh] = demangled_.try_emplace(it->name);
    if (fresh) c->second = demangle(names_.c_str() + it->name);
    return SymbolHit{c->second, vaddr - it->addr};
  }
  return std::nullopt;
}

}  // namespace sockscope::symbolize
