// Command-line flags from one table (STYLE 10): parsing and the usage text both come from the
// same Flag array, so --help can never disagree with what is accepted.
//
// Accepted forms: --name, --name=value, --name value, -x, -xVALUE, -x VALUE, "--" ends options,
// "-" alone is a positional (stdin).
#pragma once

#include <chrono>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace capstan::flags {

struct Flag {
  std::string_view name;        // long name without dashes, e.g. "fail-on"
  char short_name = 0;          // e.g. 'j'; 0 for none
  std::string_view value_name;  // e.g. "LEVEL"; empty for a boolean switch
  std::string_view help;        // one line
  bool repeatable = false;      // may be given more than once (values accumulate)
};

class Parsed {
 public:
  bool Has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  // The last value given, or fallback.
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  // Every value given, in order (empty when absent).
  const std::vector<std::string>& All(std::string_view name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend Result<Parsed> Parse(std::span<const Flag>, std::span<const std::string>);
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positionals_;
};

// Parses args (without argv[0]). Fails with kInvalidArgument and a one-line message such as
// "unknown option '--sarif'" or "option '--format' needs a value".
Result<Parsed> Parse(std::span<const Flag> table, std::span<const std::string> args);

// "usage: <synopsis>\n\n<description>\n\noptions:\n  -j, --jobs N   ...\n".
std::string Usage(std::string_view synopsis, std::string_view description,
                  std::span<const Flag> table);

// Parses a non-negative decimal integer flag value; kInvalidArgument names the flag.
Result<long> ParseCount(std::string_view flag, std::string_view value, long min, long max);

// Parses a duration flag value: plain seconds ("300", as the argocd CLI takes --timeout), or
// one or more <number><unit> with units h, m, s, ms ("5m", "1h30m", "90s", "250ms"); at least
// `min`. kInvalidArgument "option '--<flag>' needs a duration
// such as 30s, 5m or 1h, not '<value>'" otherwise.
Result<std::chrono::milliseconds> ParseDuration(
    std::string_view flag, std::string_view value,
    std::chrono::milliseconds min = std::chrono::milliseconds(1));

}  // namespace capstan::flags
