// SPDX-License-Identifier: GPL-2.0-only
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "base/exit_codes.h"
#include "cli/app.h"

namespace sockscope::cli {

int fail(int code, const std::string& what, const std::string& hint) {
  fmt::print(stderr, "sockscope: {}\n", what);
  if (!hint.empty()) fmt::print(stderr, "  hint: {}\n", hint);
  return code;
}

}  // namespace sockscope::cli

int main(int argc, char** argv) {
  using namespace sockscope;
  CLI::App app{"sockscope: who made this socket, who is on the other end, and what will break"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sockscope 0.1.0");
  cli::Action action;
  cli::add_ls(app, action);
  cli::add_fd(app, action);
  cli::add_record(app, action);
  cli::add_doctor(app, action);
  cli::add_watch(app, action);
  cli::add_trace(app, action);
  cli::add_run(app, action);
  cli::add_probes(app, action);
  cli::add_checkpoint(app, action);
  cli::add_jvm(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    return action();
  } catch (const std::exception& e) {  // a bug or out of memory: say so, never a silent abort
    return cli::fail(kExitFailure, std::string("internal error: ") + e.what(),
                     "please report this with the command line");
  }
}
