// SPDX-License-Identifier: GPL-2.0-only
// The symbolizer's names for /proc/PID/maps mappings. They are procfs's
// (procfs/maps.h: the one maps parser); the CLI also builds them from the
// tracer's journal records (cli/stacks.cpp).
#pragma once

#include "procfs/maps.h"

namespace sockscope::symbolize {

using procfs::find_mapping;
using procfs::map_files_name;
using procfs::Mapping;
using procfs::parse_maps;
using procfs::set_path;

}  // namespace sockscope::symbolize
