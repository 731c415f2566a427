// SPDX-License-Identifier: GPL-2.0-only
#include "checkpoint/jvm_flags.h"

#include <optional>
#include <sstream>

namespace sockscope::checkpoint {
namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

// "-XX:Name=value" -> value when the flag is Name.
std::optional<std::string> xx_value(const std::string& arg, const std::string& name) {
  std::string prefix = "-XX:" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return std::nullopt;
  return arg.substr(prefix.size());
}

}  // namespace

JvmFacts parse_jvm(const std::vector<std::string>& argv, const std::string& java_tool_options) {
  JvmFacts j;
  std::vector<std::string> args = argv;
  std::istringstream tool(java_tool_options);
  for (std::string w; tool >> w;) args.push_back(w);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("-XX:CRaC", 0) == 0 || a.rfind("-XX:CRAllowed", 0) == 0) j.crac_flags = true;
    // crac_linux.cpp: repeated prefix flags append; old builds say CRAllowed...
    for (const char* name : {"CRaCAllowedOpenFilePrefixes", "CRAllowedOpenFilePrefixes"})
      if (auto v = xx_value(a, name)) {
        j.prefixes_given = true;
        for (auto& p : split_list(*v)) j.allowed_prefixes.push_back(p);
      }
    if (auto v = xx_value(a, "CRaCIgnoredFileDescriptors"))
      for (auto& p : split_list(*v)) j.ignored_fds.push_back(p);
    if (auto v = xx_value(a, "CRaCEngine")) j.engine = *v;
    if (auto v = xx_value(a, "CRaCCheckpointTo")) j.checkpoint_to = *v;
    if ((a == "-cp" || a == "-classpath" || a == "--class-path" || a == "-jar") && i + 1 < args.size()) {
      std::stringstream cp(args[++i]);
      for (std::string e; std::getline(cp, e, ':');) j.classpath.push_back(e);
    }
  }
  // globals_linux.hpp: the Linux default is "/var/lib/sss/mc/" (rulebook section 4).
  if (!j.prefixes_given) j.allowed_prefixes = {"/var/lib/sss/mc/"};
  return j;
}

}  // namespace sockscope::checkpoint
