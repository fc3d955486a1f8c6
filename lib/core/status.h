// Errors as values. Every fallible call in lib/ returns a Status or a Result<T>; nothing in lib/
// throws across its public surface (exceptions from nlohmann and valijson are caught at the
// wrapper edge).
//
// Messages read like git's: lowercase, no trailing period, what failed then why:
//   cannot read 'apps/web/deploy.yaml': permission denied
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace capstan {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller or the user asked for something malformed (exit 2)
  kNotFound,         // a named file, key, revision or schema does not exist
  kIoError,          // the environment failed us: read, write, network, git (exit 3)
  kUnauthenticated,  // credentials missing or refused (exit 3)
  kTimeout,          // a deadline passed (exit 4)
  kLimitExceeded,    // input exceeds a configured limit (size, depth, alias expansion)
  kParseError,       // input is not well-formed YAML/JSON/...
  kInternal,         // a bug in capstan
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status Timeout(std::string m) { return {StatusCode::kTimeout, std::move(m)}; }
  static Status LimitExceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }
  static Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // The message alone, e.g. "cannot read 'x': permission denied". Empty when ok().
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<prefix>: <message>".
  Status WithPrefix(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Renders errno as the short lowercase phrase git uses ("no such file or directory").
std::string ErrnoText(int err);

}  // namespace capstan
