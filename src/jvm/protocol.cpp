// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/protocol.h"

#include <cerrno>
#include <charconv>

namespace sockscope::jvm {

namespace {

Error invalid(std::string what, std::string hint) {
  return Error{std::move(what), EINVAL, std::move(hint)};
}

// Every string travels '\0'-terminated, so none may contain one.
Result<Ok> check_no_nul(const std::vector<std::string>& args) {
  for (const auto& a : args)
    if (a.find('\0') != std::string::npos)
      return invalid("an attach argument contains a NUL byte",
                     "the protocol separates strings with NUL; remove it from the argument");
  return Ok{};
}

void append_string(std::string& out, std::string_view s) {
  out.append(s);
  out.push_back('\0');
}

}  // namespace

bool fits_v1(const std::vector<std::string>& args) {
  if (args.empty() || args.size() - 1 > kV1MaxArgs) return false;
  if (args[0].size() > kV1MaxNameLength) return false;
  for (size_t i = 1; i < args.size(); ++i)
    if (args[i].size() > kV1MaxArgLength) return false;
  return true;
}

Result<std::string> encode_v1(const std::vector<std::string>& args) {
  if (args.empty()) return invalid("no attach command given", "name a command, e.g. properties");
  if (auto ok = check_no_nul(args); !ok) return ok.error();
  if (!fits_v1(args))
    return invalid("protocol v1 carries a command of up to 16 bytes and 3 arguments of up to "
                   "1024 bytes each",
                   "shorten the arguments, or use a JDK 24+ target with --protocol 2");
  std::string out;
  append_string(out, "1");
  append_string(out, args[0]);
  // v1 always carries exactly three arguments; HotSpot reads until it has
  // seen four strings (attachListener.cpp, read_request).
  for (size_t i = 1; i <= kV1MaxArgs; ++i) append_string(out, i < args.size() ? args[i] : "");
  return out;
}

Result<std::string> encode_v2(const std::vector<std::string>& args, const std::string& options) {
  if (args.empty()) return invalid("no attach command given", "name a command, e.g. properties");
  if (auto ok = check_no_nul(args); !ok) return ok.error();
  std::string body;
  append_string(body, options.empty() ? args[0] : args[0] + " " + options);
  for (size_t i = 1; i < args.size(); ++i) append_string(body, args[i]);
  if (body.size() > kV2MaxRequestBytes)
    return invalid("the request is " + std::to_string(body.size()) +
                       " bytes; HotSpot accepts at most 262144 (256 KiB)",
                   "pass large agent options through a file the agent reads");
  std::string out;
  append_string(out, "2");
  append_string(out, std::to_string(body.size()));
  out += body;
  return out;
}

Result<Reply> parse_reply(std::string_view bytes) {
  size_t eol = bytes.find('\n');
  if (eol == std::string_view::npos || eol == 0)
    return Error{bytes.empty() ? "the JVM closed the connection without a reply"
                               : "the JVM's reply has no status line",
                 EPROTO,
                 "the target may be shutting down, or the socket is not a HotSpot attach "
                 "listener; retry, or check the target's stderr"};
  std::string_view line = bytes.substr(0, eol);
  int status = 0;
  auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), status);
  if (ec != std::errc() || end != line.data() + line.size())
    return Error{"the JVM's reply starts with \"" + std::string(line.substr(0, 40)) +
                     "\", not a status code",
                 EPROTO,
                 "the socket is not a HotSpot attach listener (OpenJ9 uses another protocol)"};
  return Reply{status, std::string(bytes.substr(eol + 1))};
}

std::optional<int> parse_getversion(const Reply& reply) {
  if (reply.status != 0) return std::nullopt;
  std::string_view s = reply.output;
  size_t end = s.find_first_of(" \n");
  s = s.substr(0, end);
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<int> parse_load_result(std::string_view output) {
  constexpr std::string_view kPrefix = "return code: ";  // JDK 21+
  if (output.substr(0, kPrefix.size()) == kPrefix) output.remove_prefix(kPrefix.size());
  size_t end = output.find('\n');
  std::string_view num = output.substr(0, end);
  int v = 0;
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), v);
  if (ec != std::errc() || p != num.data() + num.size() || num.empty()) return std::nullopt;
  return v;
}

}  // namespace sockscope::jvm
