// The Secret values a manifest plainly holds, found line by line, for a file the YAML parser
// could not read (an unterminated quote, an undefined alias, invalid UTF-8): capstan-scan must
// not wave such a file through because its structure is broken. Reads only block-style and
// JSON-style key/value lines; does no decoding and no judging (the scanner does both).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::secrets {

struct TextSecretValue {
  std::string field;       // "data" or "stringData"
  std::string key;         // the entry's key, unquoted
  std::string value;       // the entry's value, unquoted; a block scalar's lines joined by '\n'
  std::size_t offset = 0;  // byte offset of the value in the text
  std::size_t length = 0;  // bytes of the value as written (at least 1)
};

// In every document (split at lines starting with `---`) that has a line `kind: Secret` (any
// quoting, block or JSON style), the entries of each `data:` / `stringData:` mapping: the lines
// below the header indented deeper than it, of the form `key: value` or `"key": "value",`, up to
// the first line indented no deeper (comments and blank lines skipped). A `|` or `>` value takes
// the deeper-indented lines after it. Flow mappings on the header's own line (`data: {a: b}`)
// are split at commas. Entries with an empty value are left out. Never fails.
std::vector<TextSecretValue> FindSecretValuesByText(std::string_view text);

}  // namespace capstan::secrets
