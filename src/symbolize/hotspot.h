// SPDX-License-Identifier: GPL-2.0-only
// Names of HotSpot interpreted frames, read from outside the JVM through the
// vmstructs tables libjvm exports for serviceability agents
// (gHotSpotVMStructs/gHotSpotVMTypes in .dynsym, src/hotspot/share/runtime/
// vmStructs.cpp; verified on OpenJDK 17.0.15, docs/stacks.md §5):
//   pc inside AbstractInterpreter::_code (the interpreter's StubQueue)
//   -> Method* at [rbp - 24] (frame::interpreter_frame_method_offset = -3, x86_64)
//   -> Method::_constMethod -> ConstMethod::_constants, _name_index, _signature_index
//   -> ConstantPool::_pool_holder -> Klass::_name; CP slots follow the
//      ConstantPool header (sizeof(ConstantPool)), 8 bytes each.
// Memory is read from the stack copy or /proc/PID/mem, so the JVM must still
// be alive when its stack is symbolized (results are cached per Method*).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "base/unique_fd.h"
#include "symbolize/image.h"

namespace sockscope::symbolize {

class JavaNames {
 public:
  // nullptr when libjvm or its vmstructs cannot be read.
  static std::unique_ptr<JavaNames> open(Image& img, const std::string& proc);
  // The frame about to be named (its rbp; the stack copy to read it from).
  void set_frame(uint64_t rbp, uint64_t copy_base, std::span<const uint8_t> copy);
  // "java.lang.Thread.run()V" when pc is in the interpreter; nullopt otherwise.
  std::optional<std::string> interpreted(uint64_t pc);

 private:
  bool read(uint64_t addr, void* out, size_t n);
  uint64_t read_u64(uint64_t addr);
  std::string read_cstr(uint64_t addr);
  std::string symbol(uint64_t sym);  // a Symbol*'s text
  bool load_vmstructs(Image& img);
  bool interpreter_range();
  std::optional<std::string> method_name(uint64_t method);

  UniqueFd mem_;
  std::map<std::string, uint64_t> fields_;  // "Type::_field" -> offset, or address if static
  std::map<std::string, uint64_t> sizes_;   // "Type" -> size
  uint64_t interp_lo_ = 0, interp_hi_ = 0;
  uint64_t rbp_ = 0, copy_base_ = 0;
  std::span<const uint8_t> copy_;
  std::map<uint64_t, std::optional<std::string>> cache_;  // by Method*
};

}  // namespace sockscope::symbolize
