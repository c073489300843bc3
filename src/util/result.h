// Errors as values: every fallible operation in ng-annotate returns a Result.
// The message is written for the person who will read it (a developer in a
// terminal, an agent in a tool result, the overlay in the browser).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace nga {

enum class ErrorCode {
  kInvalidArgument,  // the caller sent something malformed or of the wrong type
  kLimitExceeded,    // a value is over one of the limits of SPEC §3
  kNotFound,         // no session / annotation with that id
  kWrongStatus,      // the annotation is not in a status that allows this change
  kForbidden,        // the annotation belongs to another session
  kStorage,          // SQLite failed (disk full, corrupt file, newer schema, ...)
  kIo,               // the file system failed
};

// A short stable name for the code ("not_found"), used on the wire.
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

// Holds either a T or an Error. Small on purpose: std::expected is C++23.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing on success.
struct Ok {};
using Status = Result<Ok>;

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace nga
