// SPDX-License-Identifier: GPL-2.0-only
// The script embedded in every flame graph SVG (flame.h): zoom, reset,
// search, details on hover. Internal to src/render.
#pragma once

namespace sockscope::render {

// JavaScript for a CDATA section: contains no "]]>". It reads the frames
// (<g class="f" data-name>) and the controls by id from the document it is
// embedded in, so it works in a standalone SVG and inline in an HTML page.
extern const char* const kFlameScript;

}  // namespace sockscope::render
