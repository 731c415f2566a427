// SPDX-License-Identifier: GPL-2.0-only
// Replay fixtures (`--replay DIR`, src/inventory/source.cpp): a directory
// someone else recorded and handed over with a bug report, read by `ls`,
// `fd` and `doctor` as if it were a machine. The input is a packed fixture
// (fixture_archive.h; scripts/fuzz.sh packs the recorded ones as seeds),
// unpacked into a private directory, then read and shown the way `ls
// --json`, `ls` and `fd` do: JSON must parse, text must hold no raw control
// byte.
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "fixture_archive.h"
#include "fuzz.h"
#include "inventory/explain.h"
#include "inventory/filter.h"
#include "inventory/inventory.h"
#include "inventory/source.h"
#include "render/escape.h"
#include "render/inventory.h"

namespace {

using namespace sockscope;

// One directory per fuzzing process, emptied before each input and removed
// at exit (a fuzzer killed at its time budget leaves it in /tmp). A buffer
// without a destructor: the atexit() handler runs after static strings die.
char g_work_dir[] = "/tmp/sockscope-fuzz-replay.XXXXXX";

const std::string& work_dir() {
  static const std::string dir = [] {
    if (!::mkdtemp(g_work_dir)) std::abort();
    std::atexit([] { fuzz::remove_tree(g_work_dir); });
    return std::string(g_work_dir);
  }();
  return dir;
}

// What a terminal would receive: only newlines may be raw control bytes.
bool terminal_safe(const std::string& text) {
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  return true;
}

void show(const inventory::Inventory& inv) {
  auto rows = inventory::select(inv, {});
  auto doc = nlohmann::json::parse(render::ls_json(inv, rows), nullptr, false);
  SOCKSCOPE_FUZZ_CHECK(!doc.is_discarded());
  SOCKSCOPE_FUZZ_CHECK(terminal_safe(render::ls_text(inv, rows)));
  SOCKSCOPE_FUZZ_CHECK(terminal_safe(render::diagnostics_text(inv.diagnostics)));
  for (const auto& p : inv.scanned)
    for (const auto& f : p.fds) {
      auto e = inventory::explain_fd(inv, p.pid, f.fd);
      if (!e) continue;
      SOCKSCOPE_FUZZ_CHECK(terminal_safe(render::fd_text(inv, *e)));
      // What `fd --json` prints: render::dump() keeps bytes that are not UTF-8 as _hex members.
      SOCKSCOPE_FUZZ_CHECK(
          !nlohmann::json::parse(render::dump(render::fd_json(inv, *e)), nullptr, false).is_discarded());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& root = work_dir();
  fuzz::remove_tree(root, /*keep_root=*/true);
  if (!fuzz::unpack_fixture(fuzz::text(data, size), root)) return 0;
  if (!inventory::check_fixture(root)) return 0;
  inventory::ReplaySource source(root);
  show(inventory::build(source));
  return 0;
}
