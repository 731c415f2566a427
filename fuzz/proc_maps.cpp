// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/maps: the path field is any file name a user can create.
#include "fuzz.h"
#include "procfs/maps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sockscope::procfs;
  auto text = sockscope::fuzz::text(data, size);
  auto maps = parse_maps(text);
  for (const auto& m : maps) {
    (void)map_files_name(m);
    (void)m.file_backed();
    (void)find_mapping(maps, m.start);
    (void)find_mapping(maps, m.end - 1);
  }
  // Each line alone, as visit_maps reads them.
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (auto m = parse_maps_line(line)) SOCKSCOPE_FUZZ_CHECK(m->exec == (m->perms.size() > 2 && m->perms[2] == 'x'));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return 0;
}
