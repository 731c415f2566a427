// SPDX-License-Identifier: GPL-2.0-only
#include "base/result.h"

#include <cstring>

namespace sockscope {

Error sys_error(const std::string& what, int err) {
  return Error{what + ": " + std::strerror(err), err, {}};
}

}  // namespace sockscope
