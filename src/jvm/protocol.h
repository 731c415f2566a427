// SPDX-License-Identifier: GPL-2.0-only
// The HotSpot attach protocol as bytes: request encoders and reply decoders.
// Pure functions, no I/O; tests/unit/jvm/protocol_test.cpp covers them.
//
// Requests (openjdk src/hotspot/share/services/attachListener.{hpp,cpp}):
//   v1 (JDK 6+):  "1\0<cmd>\0<a1>\0<a2>\0<a3>\0" - always three arguments
//                 (absent ones are empty), each at most 1024 bytes; the
//                 command name at most 16 bytes.
//   v2 (JDK 24+): "2\0<size>\0<cmd>\0(<arg>\0)*" - any number of arguments;
//                 <size> is the decimal byte count of everything after it
//                 (every string with its '\0'); the VM refuses more than
//                 256 KiB. JDK 25 lets the command carry options after a
//                 space: "jcmd streaming=0" (JDK-8319055).
// A VM that predates v2 answers a v2 request with status 101
// (ATTACH_ERROR_BADVERSION) and the v1-only "getversion" probe with
// "Operation getversion not recognized!".
// Replies (all versions): "<status>\n<output>", status a signed decimal int
// (0 = JNI_OK, -1 = JNI_ERR, 101 = bad version), then free-form output until
// the VM closes the connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace sockscope::jvm {

inline constexpr size_t kV1MaxArgs = 3;
inline constexpr size_t kV1MaxArgLength = 1024;    // AttachOperation::arg_length_max
inline constexpr size_t kV1MaxNameLength = 16;     // AttachOperation::name_length_max
inline constexpr size_t kV2MaxRequestBytes = 256 * 1024;
inline constexpr int kStatusBadVersion = 101;      // ATTACH_ERROR_BADVERSION

// args[0] is the command, the rest its arguments.
// Errors (EINVAL, with a hint): empty args, more than 3 arguments, an argument
// or name that is too long, or a '\0' inside a string.
Result<std::string> encode_v1(const std::vector<std::string>& args);

// `options` ("streaming=0", JDK 25+) is appended to the command after a space
// when not empty. Errors (EINVAL): empty args, '\0' inside, over 256 KiB.
Result<std::string> encode_v2(const std::vector<std::string>& args,
                              const std::string& options = {});

// Whether a v1 request can carry these args (see encode_v1's limits).
bool fits_v1(const std::vector<std::string>& args);

struct Reply {
  int status = 0;      // the VM's completion status
  std::string output;  // everything after the status line
};

// Splits "<status>\n<output>". A reply without a complete, numeric status
// line is an error (EPROTO): the VM closed the connection early or this is
// not an attach listener.
Result<Reply> parse_reply(std::string_view bytes);

// The version a "getversion" reply names: 2 for "2" or "2 streaming".
// nullopt when the VM did not recognize the command (v1-only VM, < JDK 24)
// or the text is not a version.
std::optional<int> parse_getversion(const Reply& reply);

// The agent's own return code in the output of a successful "load":
// JDK 9-20 print the bare number ("0"), JDK 21+ "return code: 0"
// (async-profiler issue 885: status is 0 even when the agent failed).
// nullopt when the output carries neither form.
std::optional<int> parse_load_result(std::string_view output);

}  // namespace sockscope::jvm
