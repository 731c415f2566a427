// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/negotiate.h"

#include <cerrno>

namespace sockscope::jvm {

namespace {

// 1 or 2; a probe that fails to parse means a v1-only VM, as in the JDK's
// own client (HotSpotVirtualMachine.getDefaultProps, JDK 24+).
Result<int> probe(const Exchange& exchange) {
  auto req = encode_v1({"getversion", "options"});
  if (!req) return req.error();
  auto raw = exchange(*req);
  if (!raw) return raw.error().context("asking the JVM for its attach protocol version");
  auto reply = parse_reply(*raw);
  if (!reply) return reply.error();
  auto v = parse_getversion(*reply);
  return v && *v >= 2 ? 2 : 1;
}

Result<Negotiated> send(const std::vector<std::string>& args, int version,
                        const Exchange& exchange) {
  auto req = version == 2 ? encode_v2(args) : encode_v1(args);
  if (!req) return req.error();
  auto raw = exchange(*req);
  if (!raw) return raw.error();
  return Negotiated{version, std::move(raw.value())};
}

}  // namespace

Result<Negotiated> negotiate(const std::vector<std::string>& args, Protocol protocol,
                             const Exchange& exchange) {
  if (protocol == Protocol::kV1) return send(args, 1, exchange);
  if (protocol == Protocol::kV2) return send(args, 2, exchange);
  if (protocol == Protocol::kAuto && fits_v1(args)) return send(args, 1, exchange);
  auto v = probe(exchange);
  if (!v) return v.error();
  if (*v == 1 && !fits_v1(args))
    return Error{"this request needs attach protocol v2 (more than 3 arguments, or one longer "
                 "than 1024 bytes), and the JVM speaks only v1",
                 ENOTSUP, "v2 arrived in JDK 24; shorten the arguments for an older JVM"};
  return send(args, *v, exchange);
}

}  // namespace sockscope::jvm
