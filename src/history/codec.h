// SPDX-License-Identifier: GPL-2.0-only
// The compact binary encodings of what the history keeps in BLOB columns: a
// symbolized Stack (stored once, keyed by stack_hash of its encoding), the
// rarely-set Event fields (`extra`), and a snapshot's holders. Varints and
// length-prefixed bytes; decoding checks every length and rejects a bad
// blob with an Error, never reading past its end (tests/unit/history and
// any fuzzer can feed it anything).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "history/history.h"
#include "model/event.h"
#include "model/stack.h"

namespace sockscope::history {

std::string encode_stack(const Stack& s);
Result<Stack> decode_stack(std::string_view blob);
// FNV-1a 64 of the encoding: the stack's key in the stacks table.
uint64_t stack_hash(std::string_view blob);

// fd2, sock_ino2, peer_ino, flags, path2, fds, fd_inos, fds_total and
// exit_status of `e`, only those that are set; "" when none is.
std::string encode_extra(const Event& e);
// Sets those fields of `e` from the blob.
Result<Ok> decode_extra(std::string_view blob, Event& e);

// Appends varints and byte strings; the reading side is BlobReader.
class BlobWriter {
 public:
  void u(uint64_t v);
  void s(int64_t v) { u((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }  // zigzag
  void bytes(std::string_view b);
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class BlobReader {
 public:
  explicit BlobReader(std::string_view b) : b_(b) {}
  bool u(uint64_t& v);
  bool s(int64_t& v);
  bool bytes(std::string& v);
  // A count of items that take at least one byte each: never more than
  // the bytes left, so a bad count cannot make a huge allocation.
  bool count(size_t& n);
  bool done() const { return pos_ == b_.size(); }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

}  // namespace sockscope::history
