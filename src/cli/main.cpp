// SPDX-License-Identifier: GPL-2.0-only
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "render/escape.h"

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

constexpr std::string_view kCompletion = "completion";

constexpr Subcommand kSubcommands[] = {
    {"ls", whole<add_ls>},
    {"fd", whole<add_fd>},
    {"record", whole<add_record>},
    {"doctor", whole<add_doctor>},
    {"watch", whole<add_watch>},
    {"trace", whole<add_trace>},
    {"run", whole<add_run>},
    {"probes", whole<add_probes>},
    {"checkpoint", whole<add_checkpoint>},
    {"recorder", whole<add_recorder>},
    {"history", whole<add_history>},
    {"jvm", add_jvm},
};

}  // namespace

// Building every subcommand's options costs a few hundred microseconds of
// CLI11 set-up; a short command such as `jvm attach` would pay it on every
// call (bench/jvm_attach_vs_jattach.sh). So when the first word names a
// subcommand, only that one is built; otherwise (--help, --version, a typo)
// all are, so that help and "did you mean" see the whole tree.
// `completion` (hidden) walks the whole tree, so it is built after all of them.
void register_subcommands(CLI::App& app, Action& action, std::string_view first,
                          std::string_view next) {
  for (const auto& s : kSubcommands)
    if (s.name == first) return s.add(app, action, next);
  for (const auto& s : kSubcommands) s.add(app, action, {});
  if (first == kCompletion) add_completion(app, action);
}

namespace {

constexpr int kParsed = -1;

// CLI11 pads an option's name to its column and may leave a single space
// before the description; help2man (packaging/generate.sh) then reads both
// as the option's name. One more space after the name makes it at least two.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* opt) const override {
    return CLI::Formatter::make_option_opts(opt) + " ";
  }
};

// "unknown command lss; did you mean ls?" for a first word that names no
// subcommand (CLI11 would say "A subcommand is required"), and the same for
// the word after `jvm`; kParsed when the words are known (or options).
int check_command_words(int argc, char** argv) {
  auto unknown = [](std::string_view kind, std::string_view word, const std::vector<std::string_view>& names,
                    std::string_view help) {
    std::string near = closest(word, names);
    return fail(kExitUsage,
                fmt::format("unknown {} {}{}", kind, render::printable(word),
                            near.empty() ? "" : fmt::format("; did you mean {}?", near)),
                fmt::format("`{}` lists them", help));
  };
  if (argc < 2 || argv[1][0] == '-' || argv[1] == kCompletion) return kParsed;
  std::vector<std::string_view> names;
  for (const auto& s : kSubcommands) names.push_back(s.name);
  if (std::find(names.begin(), names.end(), argv[1]) == names.end())
    return unknown("command", argv[1], names, "sockscope --help");
  if (std::string_view(argv[1]) != "jvm" || argc < 3 || argv[2][0] == '-') return kParsed;
  std::vector<std::string_view> ops{"ls", "perfmap"};
  for (const auto& op : attach_operations()) ops.push_back(op.name);
  if (std::find(ops.begin(), ops.end(), argv[2]) == ops.end())
    return unknown("jvm operation", argv[2], ops, "sockscope jvm --help");
  return kParsed;
}

// A CLI11 parse error in the documented form: what, then whose --help to
// read. The words were checked by check_command_words.
int usage_error(const CLI::ParseError& e, int argc, char** argv) {
  std::string cmd = "sockscope";
  if (argc > 1 && argv[1][0] != '-') cmd += fmt::format(" {}", argv[1]);
  bool nested = argc > 2 && ((cmd == "sockscope jvm" && argv[2][0] != '-') ||
                             (cmd == "sockscope recorder" && std::string_view(argv[2]) == "status"));
  if (nested) cmd += fmt::format(" {}", argv[2]);
  return fail(kExitUsage, render::printable(e.what()), fmt::format("`{} --help` lists the arguments", cmd));
}

// Fills `action` from the command line; returns kParsed, or the exit code of
// --help, --version or a usage error.
int parse_command_line(int argc, char** argv, Action& action) {
  if (int rc = check_command_words(argc, argv); rc != kParsed) return rc;
  // Named, not taken from argv[0], so that --help reads "Usage: sockscope ..."
  // wherever the binary lies: help2man builds the man pages from it.
  CLI::App app{"sockscope: who made this socket, who is on the other end, and what will break", "sockscope"};
  app.formatter(std::make_shared<HelpFormatter>());
  app.require_subcommand(1);
  // "NAME VERSION" on one line, the form help2man reads; the version is
  // project()'s in CMakeLists.txt, as the package's is.
  app.set_version_flag("--version", "sockscope " SOCKSCOPE_VERSION);
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
    return usage_error(e, argc, argv);
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
