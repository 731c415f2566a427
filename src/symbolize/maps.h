// SPDX-License-Identifier: GPL-2.0-only
// The symbolizer's names for /proc/PID/maps mappings, which are procfs's
// (procfs/maps.h: the one maps parser; run/stack_glue.cpp also builds them
// from the tracer's journal records). Names only, so that the symbolizer's
// many uses read unqualified.
#pragma once

#include "procfs/maps.h"

namespace sockscope::symbolize {

using procfs::find_mapping;
using procfs::map_files_name;
using procfs::Mapping;
using procfs::parse_maps;
using procfs::set_path;

}  // namespace sockscope::symbolize
