// SPDX-License-Identifier: GPL-2.0-only
// Result<T>: errors travel as values between modules (no exceptions across
// library boundaries). Shaped like C++23 std::expected so that moving to it
// is a one-line alias change once we are on a newer compiler.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sockscope {

// What went wrong, the errno behind it (0 if none) and what the user can do.
struct Error {
  std::string what;
  int sys_errno = 0;
  std::string hint;

  // Prefixes the message with where it happened, as the error travels up.
  Error context(const std::string& where) const {
    return Error{where + ": " + what, sys_errno, hint};
  }
  Error with_hint(std::string h) const { return Error{what, sys_errno, std::move(h)}; }
};

// Builds an Error from errno with a "what: strerror" message.
Error sys_error(const std::string& what, int err);

struct Ok {};

template <typename T = Ok>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error err) : v_(std::move(err)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace sockscope
