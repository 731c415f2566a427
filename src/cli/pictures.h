// SPDX-License-Identifier: GPL-2.0-only
// I/O of the pictures (docs/cli.md, "Pictures"): Graphviz as a child process
// for `ls --format svg`, and the files `--flamegraph FILE` writes. The
// pictures themselves are drawn by src/render.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "base/result.h"

namespace sockscope::cli {

// Runs Graphviz's `dot -Tsvg` (found through PATH) on `dot_text` and returns
// the SVG it wrote. Blocks until dot exits; dot is always reaped. Errors:
// ENOENT when dot is not installed (the hint says "install graphviz"), else
// what dot said on stderr when it failed.
Result<std::string> graphviz_svg(const std::string& dot_text);

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Opens `path` for writing (close-on-exec: a traced command never sees it),
// or prints why not (naming `option`) and returns null.
File open_output(const std::string& path, const std::string& option);

// Writes `text` to `f` and closes it; prints why not and returns false.
bool finish_output(File f, const std::string& text, const std::string& path);

}  // namespace sockscope::cli
