// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/image.h"

#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gelf.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>

#include "base/strings.h"

namespace sockscope::symbolize {
namespace {

char* g_debuginfo_path = nullptr;  // NULL: libdwfl's default ":.debug:/usr/lib/debug"

// find_elf is only a fallback: every module is reported with our own fd.
const Dwfl_Callbacks kCallbacks = {
    dwfl_linux_proc_find_elf,
    dwfl_standard_find_debuginfo,  // .gnu_debuglink and /usr/lib/debug/.build-id
    nullptr,
    &g_debuginfo_path,
};

// The load bias of a file whose lowest mapping starts at `start` with file
// offset `pgoff`: the PT_LOAD covering pgoff is mapped at bias + p_vaddr
// (page-aligned), so bias = start - (aligned p_vaddr + pgoff - aligned p_offset).
bool load_bias(int fd, uint64_t start, uint64_t pgoff, uint64_t& bias) {
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  if (!elf) return false;
  bool ok = false;
  size_t n = 0;
  GElf_Ehdr eh;
  if (elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &eh) && elf_getphdrnum(elf, &n) == 0) {
    for (size_t i = 0; i < n && !ok; i++) {
      GElf_Phdr ph;
      if (!gelf_getphdr(elf, static_cast<int>(i), &ph) || ph.p_type != PT_LOAD) continue;
      uint64_t off = ph.p_offset & ~uint64_t{4095}, va = ph.p_vaddr & ~uint64_t{4095};
      if (pgoff < off || pgoff >= ph.p_offset + ph.p_filesz) continue;
      bias = eh.e_type == ET_EXEC ? 0 : start - (va + (pgoff - off));
      ok = true;
    }
  }
  elf_end(elf);
  return ok;
}

}  // namespace

Image::Image(std::string proc, int pid) : proc_(std::move(proc)), pid_(pid) {
  static bool init = [] {
    elf_version(EV_CURRENT);
    return true;
  }();
  (void)init;
}

Image::~Image() {
  if (dwfl_) dwfl_end(dwfl_);
}

Image::Key Image::key_of(const Mapping& m) { return {makedev(m.dev_major, m.dev_minor), m.inode}; }

ModuleFile* Image::file_of(const Mapping& m) {
  if (!m.file_backed()) return nullptr;
  open_file(m);  // journaled mappings are opened when first needed
  auto it = files_.find(key_of(m));
  return it == files_.end() || !it->second.fd.valid() ? nullptr : &it->second;
}

// The mapped file itself (map_files, exact while the process lives); else
// the path in the process's root (containers); else the host's path. A
// journaled image opens its files late: after its exit record /proc/PID is
// not this process (the pid may be reused), and a path may name another
// file by then (an upgraded library, another container's file of the same
// name), so paths must still name the mapped inode. Better no symbols than
// another file's. Through the root only the inode is compared: since Linux
// 6.8 an overlayfs file is seen with the overlay's device, while its
// mapping names the device underneath.
UniqueFd Image::open_module(const Mapping& m) const {
  std::string pid_dir = fmt::format("{}/{}", proc_, pid_);
  auto open_checked = [&m](const std::string& path, bool same_device) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st{};
    bool same = fd.valid() && ::fstat(fd.get(), &st) == 0 && st.st_ino == m.inode &&
                (!same_device || st.st_dev == makedev(m.dev_major, m.dev_minor));
    return same ? std::move(fd) : UniqueFd();
  };
  if (!exited_) {
    if (UniqueFd fd(::open((pid_dir + "/map_files/" + map_files_name(m)).c_str(), O_RDONLY | O_CLOEXEC)); fd.valid())
      return fd;
    if (UniqueFd fd = open_checked(pid_dir + "/root" + m.path, false); fd.valid()) return fd;
  }
  return open_checked(m.path, true);
}

void Image::open_file(const Mapping& m) {
  auto [it, fresh] = files_.try_emplace(key_of(m));
  ModuleFile& f = it->second;
  if (!fresh) return;
  f.path = m.path;
  f.name = m.path.substr(m.path.rfind('/') + 1);
  f.fd = open_module(m);
  if (!f.fd.valid()) return;
  // The lowest mapping of a file comes first in maps (sorted by address).
  f.is_elf = load_bias(f.fd.get(), m.start, m.pgoff, f.bias);
  dirty_ = true;
}

void Image::add(const Mapping& m) {
  std::vector<Mapping> kept;
  kept.reserve(maps_.size() + 2);
  for (const auto& old : maps_) {
    if (old.end <= m.start || old.start >= m.end) {
      kept.push_back(old);
      continue;
    }
    // libdwfl cannot drop one module: a replaced one means a fresh session.
    if (old.file_backed() && old.exec) rebuild_ = true;
    if (old.start < m.start) {
      Mapping left = old;
      left.end = m.start;
      kept.push_back(std::move(left));
    }
    if (old.end > m.end) {
      Mapping right = old;
      right.pgoff += m.end - old.start;
      right.start = m.end;
      kept.push_back(std::move(right));
    }
  }
  auto at = std::upper_bound(kept.begin(), kept.end(), m.start,
                             [](uint64_t a, const Mapping& x) { return a < x.start; });
  kept.insert(at, m);
  maps_ = std::move(kept);
  dirty_ = true;
}

void Image::open_files() {
  for (const auto& m : maps_)
    if (m.exec && m.file_backed()) open_file(m);
}

void Image::inherit(const Image& parent) {
  maps_ = parent.maps_;
  for (const auto& [key, pf] : parent.files_) {
    ModuleFile& f = files_[key];
    f.path = pf.path;
    f.name = pf.name;
    f.build_id = pf.build_id;
    f.bias = pf.bias;
    f.is_elf = pf.is_elf;
    if (pf.fd.valid()) f.fd.reset(::fcntl(pf.fd.get(), F_DUPFD_CLOEXEC, 0));
  }
  journaled_ = parent.journaled_;
  dirty_ = true;
}

bool Image::refresh() {
  if (journaled_) {  // the journal keeps the mappings; only files to open
    open_files();
    return true;
  }
  auto text = procfs::read_maps_text(proc_, pid_);
  if (!text || text->empty()) return false;
  if (*text == maps_text_) return true;
  auto maps = parse_maps(*text);
  // A mapping that went away (dlclose, or munmap+mmap of another file at the
  // same place) would overlap what libdwfl has: start a fresh session then.
  for (const auto& old : maps_)
    if (old.file_backed() && old.exec) {
      const Mapping* now = find_mapping(maps, old.start);
      if (!now || now->inode != old.inode) rebuild_ = true;
    }
  for (const auto& m : maps)
    if (m.file_backed()) open_file(m);
  maps_text_ = std::move(*text);
  maps_ = std::move(maps);
  return true;
}

void Image::report_all() {
  if (rebuild_ && dwfl_) {
    dwfl_end(dwfl_);
    dwfl_ = nullptr;
    slot.attached = false;
    for (auto& [k, f] : files_) f.reported = false;
  }
  rebuild_ = false;
  if (!dwfl_) dwfl_ = dwfl_begin(&kCallbacks);
  if (!dwfl_) return;
  dwfl_report_begin_add(dwfl_);
  for (const auto& m : maps_) {
    if (!m.exec) continue;
    ModuleFile* f = file_of(m);
    if (!f || !f->is_elf || f->reported) continue;
    f->reported = true;
    int fd = ::dup(f->fd.get());  // libdwfl owns (and closes) what it is given
    Dwfl_Module* mod = dwfl_report_elf(dwfl_, f->name.c_str(), f->path.c_str(), fd, f->bias, true);
    if (!mod) {
      ::close(fd);
      continue;
    }
    const unsigned char* bits = nullptr;
    GElf_Addr vaddr = 0;
    int len = dwfl_module_build_id(mod, &bits, &vaddr);
    for (int i = 0; i < len; i++) f->build_id += fmt::format("{:02x}", bits[i]);
  }
  dwfl_report_end(dwfl_, nullptr, nullptr);
  dirty_ = false;
}

Dwfl* Image::dwfl() {
  if (dirty_ || rebuild_) report_all();
  return dwfl_;
}

}  // namespace sockscope::symbolize
