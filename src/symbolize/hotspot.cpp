// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/hotspot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/strings.h"
#include "procfs/libjvm.h"

namespace sockscope::symbolize {
namespace {

// The exported symbols we need from libjvm's .dynsym (JDK 8..21 all export them).
const char* const kExports[] = {
    "gHotSpotVMStructs", "gHotSpotVMStructEntryArrayStride", "gHotSpotVMStructEntryTypeNameOffset",
    "gHotSpotVMStructEntryFieldNameOffset", "gHotSpotVMStructEntryIsStaticOffset",
    "gHotSpotVMStructEntryOffsetOffset", "gHotSpotVMStructEntryAddressOffset", "gHotSpotVMTypes",
    "gHotSpotVMTypeEntryArrayStride", "gHotSpotVMTypeEntryTypeNameOffset", "gHotSpotVMTypeEntrySizeOffset",
};

std::map<std::string, uint64_t> dynsym_values(int fd) {
  std::map<std::string, uint64_t> out;
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  if (!elf) return out;
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(elf, scn));) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
    for (size_t i = 0; data && i < n; i++) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) continue;
      const char* name = elf_strptr(elf, sh.sh_link, sym.st_name);
      if (name && name[0] == 'g' && std::find_if(std::begin(kExports), std::end(kExports), [&](const char* e) {
                                        return std::strcmp(e, name) == 0;
                                      }) != std::end(kExports))
        out[name] = sym.st_value;
    }
  }
  elf_end(elf);
  return out;
}

}  // namespace

bool JavaNames::read(uint64_t addr, void* out, size_t n) {
  if (addr >= copy_base_ && addr + n <= copy_base_ + copy_.size()) {
    std::memcpy(out, copy_.data() + (addr - copy_base_), n);
    return true;
  }
  return ::pread(mem_.get(), out, n, static_cast<off_t>(addr)) == static_cast<ssize_t>(n);
}

uint64_t JavaNames::read_u64(uint64_t addr) {
  uint64_t v = 0;
  return read(addr, &v, sizeof(v)) ? v : 0;
}

std::string JavaNames::read_cstr(uint64_t addr) {
  char buf[128] = {};
  if (!addr || ::pread(mem_.get(), buf, sizeof(buf) - 1, static_cast<off_t>(addr)) <= 0) return {};
  return c_string(buf, sizeof(buf) - 1);
}

bool JavaNames::load_vmstructs(Image& img) {
  const Mapping* jvm = nullptr;
  for (const auto& m : img.maps())
    if (procfs::is_libjvm(m.path)) {
      jvm = &m;
      break;
    }
  ModuleFile* f = jvm ? img.file_of(*jvm) : nullptr;
  if (!f || !f->is_elf) return false;
  auto syms = dynsym_values(f->fd.get());
  if (syms.size() != std::size(kExports)) return false;
  auto var = [&](const char* name) { return read_u64(f->bias + syms[name]); };
  uint64_t structs = var("gHotSpotVMStructs"), stride = var("gHotSpotVMStructEntryArrayStride");
  uint64_t o_type = var("gHotSpotVMStructEntryTypeNameOffset"), o_field = var("gHotSpotVMStructEntryFieldNameOffset");
  uint64_t o_static = var("gHotSpotVMStructEntryIsStaticOffset"), o_off = var("gHotSpotVMStructEntryOffsetOffset");
  uint64_t o_addr = var("gHotSpotVMStructEntryAddressOffset");
  if (!structs || !stride) return false;
  for (uint64_t e = structs; fields_.size() < 5000; e += stride) {
    uint64_t type = read_u64(e + o_type);
    if (!type) break;
    int32_t is_static = 0;
    read(e + o_static, &is_static, sizeof(is_static));
    std::string key = read_cstr(type) + "::" + read_cstr(read_u64(e + o_field));
    fields_[key] = is_static ? read_u64(e + o_addr) : read_u64(e + o_off);
  }
  uint64_t types = var("gHotSpotVMTypes"), tstride = var("gHotSpotVMTypeEntryArrayStride");
  uint64_t t_name = var("gHotSpotVMTypeEntryTypeNameOffset"), t_size = var("gHotSpotVMTypeEntrySizeOffset");
  for (uint64_t e = types; tstride && sizes_.size() < 5000; e += tstride) {
    uint64_t name = read_u64(e + t_name);
    if (!name) break;
    sizes_[read_cstr(name)] = read_u64(e + t_size);
  }
  for (const char* k : {"Method::_constMethod", "ConstMethod::_constants", "ConstMethod::_name_index",
                        "ConstMethod::_signature_index", "ConstantPool::_pool_holder", "Klass::_name",
                        "Symbol::_length", "Symbol::_body", "AbstractInterpreter::_code",
                        "StubQueue::_stub_buffer", "StubQueue::_buffer_limit"})
    if (!fields_.count(k)) return false;
  return sizes_.count("ConstantPool") > 0;
}

std::unique_ptr<JavaNames> JavaNames::open(Image& img, const std::string& proc) {
  auto j = std::unique_ptr<JavaNames>(new JavaNames());
  j->mem_.reset(::open(fmt::format("{}/{}/mem", proc, img.pid()).c_str(), O_RDONLY | O_CLOEXEC));
  if (!j->mem_.valid() || !j->load_vmstructs(img)) return nullptr;
  return j;
}

bool JavaNames::interpreter_range() {
  if (interp_hi_) return true;
  // Created during VM init (TemplateInterpreter::initialize); 0 before that.
  uint64_t q = read_u64(fields_["AbstractInterpreter::_code"]);
  if (!q) return false;
  uint64_t buf = read_u64(q + fields_["StubQueue::_stub_buffer"]);
  int32_t limit = 0;
  if (!buf || !read(q + fields_["StubQueue::_buffer_limit"], &limit, sizeof(limit)) || limit <= 0) return false;
  interp_lo_ = buf;
  interp_hi_ = buf + static_cast<uint64_t>(limit);
  return true;
}

void JavaNames::set_frame(uint64_t rbp, uint64_t copy_base, std::span<const uint8_t> copy) {
  rbp_ = rbp;
  copy_base_ = copy_base;
  copy_ = copy;
}

std::string JavaNames::symbol(uint64_t sym) {
  uint16_t len = 0;
  if (!sym || !read(sym + fields_["Symbol::_length"], &len, sizeof(len))) return {};
  std::string s(len, '\0');
  if (len && !read(sym + fields_["Symbol::_body"], s.data(), len)) return {};
  return s;
}

std::optional<std::string> JavaNames::method_name(uint64_t method) {
  uint64_t cm = read_u64(method + fields_["Method::_constMethod"]);
  uint64_t cp = cm ? read_u64(cm + fields_["ConstMethod::_constants"]) : 0;
  uint16_t name_idx = 0, sig_idx = 0;
  if (!cp || !read(cm + fields_["ConstMethod::_name_index"], &name_idx, 2) ||
      !read(cm + fields_["ConstMethod::_signature_index"], &sig_idx, 2))
    return std::nullopt;
  uint64_t slots = cp + sizes_["ConstantPool"];
  std::string name = symbol(read_u64(slots + 8u * name_idx));
  std::string sig = symbol(read_u64(slots + 8u * sig_idx));
  std::string klass = symbol(read_u64(read_u64(cp + fields_["ConstantPool::_pool_holder"]) + fields_["Klass::_name"]));
  if (name.empty() || klass.empty()) return std::nullopt;
  std::replace(klass.begin(), klass.end(), '/', '.');
  return klass + "." + name + sig;
}

std::optional<std::string> JavaNames::interpreted(uint64_t pc) {
  if (!interpreter_range() || pc < interp_lo_ || pc >= interp_hi_ || !rbp_) return std::nullopt;
  uint64_t method = read_u64(rbp_ - 24);
  if (!method) return std::string("(interpreted, method unknown)");
  auto [it, fresh] = cache_.try_emplace(method);
  if (fresh) it->second = method_name(method);
  return it->second ? it->second : std::optional<std::string>("(interpreted, method unreadable)");
}

}  // namespace sockscope::symbolize
