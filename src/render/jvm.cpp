// SPDX-License-Identifier: GPL-2.0-only
#include "render/jvm.h"

#include "render/escape.h"
#include "render/inventory.h"
#include "render/table.h"

namespace sockscope::render {

std::string jvm_list_text(const jvm::Listing& l) {
  Table t({"PID", "NSPID", "USER", "JDK", "ATTACH", "MAIN"});
  for (const auto& j : l.jvms)
    t.add({std::to_string(j.target.pid), std::to_string(j.target.nspid), printable(j.user),
           j.target.version.empty() ? "?" : printable(j.target.version),
           j.target.attach_disabled ? "disabled" : jvm::listener_state_name(j.listener), printable(j.main)});
  return t.str();
}

nlohmann::json jvm_list_json(const jvm::Listing& l) {
  auto arr = nlohmann::json::array();
  for (const auto& j : l.jvms)
    arr.push_back({{"pid", j.target.pid},
                   {"nspid", j.target.nspid},
                   {"user", j.user},
                   {"uid", j.target.euid},
                   {"main", j.main},
                   {"jdk", j.target.version},
                   {"java_home", j.target.java_home},
                   {"libjvm", j.target.libjvm},
                   {"attach", jvm::listener_state_name(j.listener)},
                   {"attach_disabled", j.target.attach_disabled},
                   {"hsperfdata", j.hsperfdata}});
  // The same diagnostics objects as every other command ("message", "hint", "pid").
  return {{"jvms", arr}, {"diagnostics", diagnostics_json(l.diagnostics)}};
}

nlohmann::json attach_json(int pid, const std::vector<std::string>& request, int status, int protocol_version,
                           const std::string& output) {
  return {{"pid", pid},
          {"request", request},
          {"status", status},
          {"protocol_version", protocol_version},
          {"output", output}};
}

}  // namespace sockscope::render
