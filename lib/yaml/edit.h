// Byte-exact edits of YAML text: change one scalar's bytes and nothing else, so comments,
// indentation, key order, quoting elsewhere, anchors, CRLF, a BOM and a missing final newline
// all survive (what capstan-bump's one-line commits rest on).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "yaml/document.h"

namespace capstan::yaml {

// Replace `length` bytes at `offset` with `replacement`.
struct Edit {
  std::size_t offset = 0;
  std::size_t length = 0;
  std::string replacement;
};

// The edit that sets the scalar `node` of `doc` (parsed from `text`) to `value`. The quoting
// style is kept when the new value can be written in it with the same meaning: a plain scalar
// stays plain only if the new text is valid plain YAML and resolves to the same type as the old
// one did (so `newTag: 1.4.2` -> 1.5 becomes `newTag: "1.5"`, not a float); single and double
// quotes are kept with the escapes they need. Fails with kInvalidArgument and a one-line reason,
// touching nothing, when no safe in-place edit exists: an alias, an anchored value (other nodes
// share it), a block scalar, a scalar spanning lines, a key without a value, a non-scalar.
Result<Edit> SetScalar(std::string_view text, const Document& doc, NodeId node,
                       std::string_view value);

// The edit that adds `key: value` to a mapping that lacks the key (e.g. `newTag:` in a
// kustomization `images:` entry that has only `name:`). Block mappings get a new line after the
// mapping's last entry (its nested values and trailing comment included) with the first key's
// indentation and the file's line ending; flow mappings get `, key: value` before the `}`. The
// value is written plain when that keeps it a string, else double-quoted. Fails with
// kInvalidArgument when the key is already there or `mapping` is not a mapping.
Result<Edit> InsertKey(std::string_view text, const Document& doc, NodeId mapping,
                       std::string_view key, std::string_view value);

// Applies non-overlapping edits (in any order) to text. Fails with kInvalidArgument when two
// edits overlap or one reaches past the end.
Result<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits);

}  // namespace capstan::yaml
