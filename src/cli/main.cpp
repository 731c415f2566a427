// SPDX-License-Identifier: GPL-2.0-only
#include <fmt/format.h>

#include <string_view>

#include "base/exit_codes.h"
#include "cli/app.h"

namespace sockscope::cli {

namespace {

struct Subcommand {
  std::string_view name;
  void (*add)(CLI::App&, Action&, std::string_view next);
};

// Most subcommands build all of their options; `jvm` builds only the
// operation named by the next word (see register_subcommands).
template <void (*Add)(CLI::App&, Action&)>
void whole(CLI::App& app, Action& action, std::string_view) {
  Add(app, action);
}

constexpr Subcommand kSubcommands[] = {
    {"ls", whole<add_ls>},         {"fd", whole<add_fd>},       {"record", whole<add_record>},
    {"doctor", whole<add_doctor>}, {"watch", whole<add_watch>}, {"trace", whole<add_trace>},
    {"run", whole<add_run>},       {"probes", whole<add_probes>}, {"checkpoint", whole<add_checkpoint>},
    {"recorder", whole<add_recorder>}, {"history", whole<add_history>},
    {"jvm", add_jvm},
};

}  // namespace

// Building every subcommand's options costs a few hundred microseconds of
// CLI11 set-up; a short command such as `jvm attach` would pay it on every
// call (bench/jvm_attach_vs_jattach.sh). So when the first word names a
// subcommand, only that one is built; otherwise (--help, --version, a typo)
// all are, so that help and "did you mean" see the whole tree.
void register_subcommands(CLI::App& app, Action& action, std::string_view first,
                          std::string_view next) {
  for (const auto& s : kSubcommands)
    if (s.name == first) return s.add(app, action, next);
  for (const auto& s : kSubcommands) s.add(app, action, {});
}

namespace {

constexpr int kParsed = -1;

// Fills `action` from the command line; returns kParsed, or the exit code of
// --help, --version or a usage error.
int parse_command_line(int argc, char** argv, Action& action) {
  CLI::App app{"sockscope: who made this socket, who is on the other end, and what will break"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sockscope 0.1.0");
  register_subcommands(app, action, argc > 1 ? argv[1] : "", argc > 2 ? argv[2] : "");
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
  return kParsed;
}

}  // namespace
}  // namespace sockscope::cli

int main(int argc, char** argv) {
  using namespace sockscope;
  cli::Action action = cli::plain_attach(argc, argv);
  if (!action)
    if (int rc = cli::parse_command_line(argc, argv, action); rc != cli::kParsed) return rc;
  return cli::run_action(action);
}
