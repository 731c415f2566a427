// SPDX-License-Identifier: GPL-2.0-only
// The one test of "is this process a JVM": HotSpot's libjvm.so is mapped.
// Not the exe's name: a JVM's exe may be bin/java, bin/keytool, jshell or an
// application's own launcher that loads libjvm.so (JNI_CreateJavaVM), and
// what the attach protocol and vmstructs need is the VM itself.
//
// Here rather than in src/jvm so that inventory (checkpoint facts) and
// symbolize (HotSpot frames) ask the same question without depending on jvm.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace sockscope::procfs {

// Whether a mapped file's path (" (deleted)" already taken off) is libjvm.so.
bool is_libjvm(std::string_view path);

// The path of libjvm.so in /proc/PID/maps text ("" if none). A JDK
// upgraded under a running JVM shows " (deleted)"; that suffix is dropped.
std::string find_libjvm(std::string_view maps);

// find_libjvm over ROOT/PID/maps, read line by line and only up to libjvm
// (a big JVM's maps runs to megabytes). "" = readable, not a JVM; errors:
// the file could not be opened (gone, or not ours to read).
Result<std::string> mapped_libjvm(const std::string& root, int pid);

// java.home from a libjvm path: <home>/lib/server/libjvm.so (JDK 9+) or
// <home>/lib/<arch>/server/libjvm.so (JDK 8, home = .../jre); "" if neither.
std::string java_home_of(const std::string& libjvm);

}  // namespace sockscope::procfs
