// SPDX-License-Identifier: GPL-2.0-only
// A replay fixture (what `sockscope record DIR` writes) packed into one
// fuzz input, so that libFuzzer can mutate the whole directory: entries of
//   F <path>\n<length>\n<bytes>     a file
//   L <path>\n<length>\n<target>    a symlink (only proc/PID/fd/N,
//                                   proc/PID/ns/X, proc/PID/exe and cwd)
//   D <path>\n                      an empty directory
// Paths are relative to the fixture and stay inside it: netns.txt,
// pids.txt, proc/... or diag/..., no "." or ".." component. scripts/fuzz.sh
// packs the recorded fixtures (tests/fixtures/*/netns.txt) as seeds.
#pragma once

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::fuzz {

// Removes `dir` and all below it (not following symlinks); with keep_root,
// only what is below it.
inline void remove_tree(const std::string& dir, bool keep_root = false) {
  static const std::string* root = nullptr;
  static bool keep = false;
  root = &dir;
  keep = keep_root;
  ::nftw(
      dir.c_str(),
      [](const char* p, const struct stat*, int, struct FTW*) {
        if (!(keep && *root == p)) ::remove(p);
        return 0;
      },
      16, FTW_DEPTH | FTW_PHYS);
}

namespace archive {

inline std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  for (size_t at = 0; at <= path.size();) {
    size_t slash = path.find('/', at);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

inline bool safe_path(std::string_view path) {
  if (path.empty() || path.size() > 200 || path.find('\0') != std::string_view::npos) return false;
  auto parts = components(path);
  if (parts.size() > 6) return false;
  for (auto c : parts)
    if (c.empty() || c == "." || c == "..") return false;
  auto top = parts.front();
  return (parts.size() == 1 && (top == "netns.txt" || top == "pids.txt")) ||
         (parts.size() > 1 && (top == "proc" || top == "diag"));
}

inline bool link_place(std::string_view path) {
  auto parts = components(path);
  if (parts.size() == 3) return parts[0] == "proc" && (parts[2] == "exe" || parts[2] == "cwd");
  return parts.size() == 4 && parts[0] == "proc" && (parts[2] == "fd" || parts[2] == "ns");
}

// mkdir -p of the directories above `path` (below root).
inline bool make_parents(const std::string& root, std::string_view path) {
  std::string dir = root;
  auto parts = components(path);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    dir += "/";
    dir += parts[i];
    if (::mkdir(dir.c_str(), 0700) == 0) continue;
    // An existing entry must be a directory, not a link unpacked before:
    // writing through it would leave the fixture.
    struct stat st {};
    if (errno != EEXIST || ::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  }
  return true;
}

inline bool line(std::string_view& in, std::string_view& out) {
  size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return false;
  out = in.substr(0, nl);
  in.remove_prefix(nl + 1);
  return true;
}

}  // namespace archive

// Writes the packed fixture below `root` (which exists and is empty). False
// on an input that is no archive, or whose paths leave the fixture.
inline bool unpack_fixture(std::string_view in, const std::string& root) {
  using namespace archive;
  std::string_view head;
  while (line(in, head)) {
    if (head.size() < 3 || head[1] != ' ') return false;
    char kind = head[0];
    std::string_view path = head.substr(2);
    if (!safe_path(path) || !make_parents(root, path)) return false;
    std::string full = root + "/" + std::string(path);
    if (kind == 'D') {
      if (::mkdir(full.c_str(), 0700) != 0 && errno != EEXIST) return false;
      continue;
    }
    std::string_view len_text;
    size_t len = 0;
    if (!line(in, len_text)) return false;
    auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (ec != std::errc() || end != len_text.data() + len_text.size() || len > in.size()) return false;
    std::string bytes(in.substr(0, len));
    in.remove_prefix(len);
    if (kind == 'L') {
      if (!link_place(path) || bytes.empty() || bytes.find('\0') != std::string::npos) return false;
      if (::symlink(bytes.c_str(), full.c_str()) != 0) return false;
    } else if (kind == 'F') {
      FILE* f = std::fopen(full.c_str(), "wbx");  // x: never through a link unpacked before
      if (!f) return false;
      bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
      ok = std::fclose(f) == 0 && ok;
      if (!ok) return false;
    } else {
      return false;
    }
  }
  return in.empty();
}

}  // namespace sockscope::fuzz
