// SPDX-License-Identifier: GPL-2.0-only
// Access to recorded fixtures (tests/fixtures/NAME, scripts/record_fixture.sh).
#pragma once

#include <fstream>
#include <string>
#include <vector>

namespace sockscope::testing {

inline std::string fixture(const std::string& name) { return std::string(SOCKSCOPE_FIXTURES) + "/" + name; }

// pids.txt: "<main> <netns child> <peer child>" of the recorded topology.
inline std::vector<int> fixture_pids(const std::string& name) {
  std::ifstream in(fixture(name) + "/pids.txt");
  std::vector<int> pids;
  for (int p; in >> p;) pids.push_back(p);
  return pids;
}

// workdir.txt: the directory the recorded topology bound its paths in.
inline std::string fixture_workdir(const std::string& name) {
  std::ifstream in(fixture(name) + "/workdir.txt");
  std::string dir;
  in >> dir;
  return dir;
}

}  // namespace sockscope::testing
