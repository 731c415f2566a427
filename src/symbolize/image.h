// SPDX-License-Identifier: GPL-2.0-only
// One process image (a tgid between two execs): its mappings, an open fd per
// mapped ELF file, and the libdwfl session built from them.
//
// The mappings come from /proc/PID/maps (refresh), or, for a process that
// began (exec or fork) while a module-map journal ran, from the journal
// alone (journaled(): add, inherit), which still holds them after the
// process has exited.
//
// The fds are opened when the process is first seen (from the journal: when
// first needed), through
// /proc/PID/map_files/<range> (the exact inode, even deleted or replaced; needs
// root or CAP_SYS_ADMIN), else /proc/PID/root/<path> (containers), else the
// path as the host sees it. Holding them is what lets a process that has
// already exited be symbolized: libdwfl reads the ELF and its CFI from the
// fds, never from /proc. Not thread-safe (libdwfl is not).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/unique_fd.h"
#include "symbolize/maps.h"

typedef struct Dwfl Dwfl;
typedef struct Dwfl_Module Dwfl_Module;

namespace sockscope::symbolize {

struct ModuleFile {
  UniqueFd fd;
  std::string path;       // as mapped (in the process's mount namespace)
  std::string name;       // basename, for display
  std::string build_id;   // hex, "" if none
  uint64_t bias = 0;      // load bias in this process
  bool is_elf = false;
  bool reported = false;  // given to libdwfl
};

class Image {
 public:
  Image(std::string proc, int pid);
  ~Image();
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;

  // Reads /proc/PID/maps and opens files not seen yet. Returns false when the
  // process is gone (nothing changes then: what was captured stays usable).
  // A journaled image keeps its mappings and only opens its files.
  bool refresh();
  // From now on the journal alone describes this image (after an exec).
  void set_journaled() { journaled_ = true; }
  // The process has exited: /proc/PID no longer names it.
  void set_exited() { exited_ = true; }
  bool journaled() const { return journaled_; }
  // Whether /proc/PID/maps was read at least once.
  bool from_proc() const { return !maps_text_.empty(); }
  // A mapping the journal reports; replaces whatever it overlaps, as mmap does.
  void add(const Mapping& m);
  // A forked child's image: the parent's mappings, its open files (dup'ed),
  // and its kind (journaled, or read from /proc: then /proc is read again
  // for the child while it lives).
  void inherit(const Image& parent);
  int pid() const { return pid_; }
  const std::vector<Mapping>& maps() const { return maps_; }
  // The module file behind a mapping, or nullptr.
  ModuleFile* file_of(const Mapping& m);
  // The libdwfl session with every ELF reported; nullptr if none could be.
  Dwfl* dwfl();
  // What libdwfl's callbacks read during one unwind (unwind.cpp). Lives as
  // long as the Dwfl, which keeps a pointer to it (dwfl_attach_state).
  struct UnwindSlot {
    const uint64_t* regs = nullptr;  // kDwarfRegs registers (model/stack.h)
    const uint8_t* copy = nullptr;
    size_t copy_len = 0;
    uint64_t copy_base = 0;
    uint32_t holes = 0;  // bit i: page i of the copy could not be read in BPF
    int tid = 0;
    // The last read that failed since the last frame was produced: the one
    // that ended the unwind, if it ended there (unwind.cpp classifies it).
    uint64_t fail_addr = 0;
    int fail_kind = 0;  // UnwindResult::Fail
    bool attached = false;        // dwfl_attach_state done for the current Dwfl
  } slot;

 private:
  using Key = std::pair<uint64_t, uint64_t>;  // (dev, inode)
  static Key key_of(const Mapping& m);
  void open_file(const Mapping& m);
  // The file of every executable mapping not opened yet (a journaled image
  // opens them at refresh(), the moment its process is most likely alive).
  void open_files();
  UniqueFd open_module(const Mapping& m) const;
  void report_all();
  std::string proc_;
  int pid_;
  std::string maps_text_;
  std::vector<Mapping> maps_;
  std::map<Key, ModuleFile> files_;
  Dwfl* dwfl_ = nullptr;
  bool dirty_ = true;      // files to report
  bool rebuild_ = false;   // a mapping went away: start a fresh Dwfl
  bool journaled_ = false;
  bool exited_ = false;
};

}  // namespace sockscope::symbolize
