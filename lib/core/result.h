// Result<T>: a value or a non-ok Status. Construct from a T for success or from a Status for
// failure; constructing from an ok Status is a bug and is turned into an internal error.
#pragma once

#include <optional>
#include <utility>

#include "core/status.h"

namespace capstan {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("result constructed from an ok status");
  }

  bool ok() const { return value_.has_value(); }
  // The error; Status::Ok() when ok().
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace capstan

// Propagates a non-ok Status (or Result) out of the enclosing function.
#define CAPSTAN_RETURN_IF_ERROR(expr)            \
  do {                                           \
    const ::capstan::Status capstan_s_ = (expr); \
    if (!capstan_s_.ok()) return capstan_s_;     \
  } while (0)
