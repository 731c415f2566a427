// SPDX-License-Identifier: GPL-2.0-only
// `sockscope probes`: the attach rungs and kernel features (model/features.h)
// with the rung `trace`/`watch` and `run` pick, as text and JSON. No I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "model/features.h"

namespace sockscope::render {

struct ProbesView {
  const Features& features;
  std::optional<Backend> chosen;      // for trace and watch
  std::optional<Backend> chosen_run;  // for run
  std::string missing;                // what is missing when nothing is chosen
};

std::string probes_text(const ProbesView& p);
nlohmann::json probes_json(const ProbesView& p);

}  // namespace sockscope::render
