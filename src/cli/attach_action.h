// SPDX-License-Identifier: GPL-2.0-only
// The attach operations' actions (`jvm attach`, `properties`, `perfmap` ...),
// apart from their CLI11 wiring (cmd_jvm.cpp), because the plain shape
// `jvm OPERATION PID ...` without options runs before C++ static
// initialization (attach_action.cpp). Nothing in this library may have a
// namespace-scope object with a dynamic initializer, nor include CLI11 or
// <iostream>: tests/build/no_static_init.sh checks the archive.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::cli {

// The action a parsed subcommand runs; returns the process exit code.
using Action = std::function<int()>;

// Prints an error the user can act on to stderr and returns `code`.
int fail(int code, const std::string& what, const std::string& hint = {});

// Runs an action; an exception (a bug, or out of memory) becomes a message
// and kExitFailure, never a silent abort.
int run_action(const Action& action);

// --json: how the answer is printed instead of verbatim. Function pointers,
// set by cmd_jvm.cpp, so this library needs no JSON code (and stays free of
// static initializers); null: the JVM's output as it sent it.
struct AttachJson {
  void (*response)(int pid, const std::vector<std::string>& request, int status, int protocol_version,
                   const std::string& output) = nullptr;
  void (*perfmap)(int pid, const std::string& path) = nullptr;
};

struct AttachArgs {
  int pid = 0;
  std::vector<std::string> rest;
  int timeout_ms = 6000;
  std::string protocol = "auto";  // auto, 1, 2, detect
  AttachJson json;
};

// Sends one attach request and prints the JVM's answer; the exit code is the
// JVM's status (or the failure's, docs/jvm.md).
int run_attach(const AttachArgs& a, const std::vector<std::string>& args);
// `jvm perfmap`: Compiler.perfmap, then the map's path.
int run_perfmap(const AttachArgs& a);

// An attach operation (`jvm attach`, `threaddump`, `properties`, `jcmd`,
// `load`): its name, help, whether it takes ARGS, and the request it sends.
// One that takes ARGS needs at least one: `missing` says what is missing and
// `usage` how to give it.
struct AttachOperation {
  using Request = std::vector<std::string> (*)(const AttachArgs&);
  std::string_view name, help;
  bool takes_rest;
  Request request;
  std::string_view missing = {}, usage = {};
};

// All of them; constant-initialized, so usable before static initialization.
std::span<const AttachOperation> attach_operations();

// The action of one operation with its arguments (missing ARGS are a usage
// error, exit 64, and nothing is sent).
Action operation_action(const AttachOperation& op, const AttachArgs& a);

// The action of `jvm OPERATION PID [ARGS...]` without options or dashes,
// found without any CLI11 parser; empty when argv has another shape.
Action plain_attach(int argc, char** argv);

}  // namespace sockscope::cli
