// SPDX-License-Identifier: GPL-2.0-only
// The history's BLOB columns (src/history/codec.h): a database file can be
// damaged or replaced, and its blobs are read back by every `fd`, `history`
// and `checkpoint`. A blob that decodes re-encodes to one that decodes the same.
#include "fuzz.h"
#include "history/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope;
  auto blob = fuzz::text(data, size);
  if (auto s = history::decode_stack(blob)) {
    auto again = history::decode_stack(history::encode_stack(*s));
    SOCKSCOPE_FUZZ_CHECK(again && again->frames.size() == s->frames.size() && again->end == s->end);
  }
  Event e;
  (void)history::decode_extra(blob, e);
  history::BlobReader r(blob);
  for (size_t n = 0; r.count(n);) {
    std::string b;
    if (!r.bytes(b)) break;
  }
  return 0;
}
