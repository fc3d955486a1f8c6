// Finds the node a JSON-pointer-like path names inside a Document, so errors found on the JSON
// form (schema validation) can be reported at the exact line and column of the YAML source.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "yaml/document.h"

namespace capstan::yaml {

struct Located {
  NodeId key = kNoNode;    // the mapping key of the last segment found, if it was a mapping entry
  NodeId value = kNoNode;  // the node of the last segment found
  std::size_t depth = 0;   // how many segments were found (== segments.size() when exact)
};

// Walks segments from the root (object keys and decimal array indexes), following aliases and
// merge keys. Stops at the first segment that does not exist; `depth` says how far it got.
Located Locate(const Document& doc, std::span<const std::string> segments);

// The path from the root to the node that starts at byte `offset` (a key's path ends with the
// key itself), searching the tree without following aliases; nullopt when no node starts there.
std::optional<std::vector<std::string>> PathToOffset(const Document& doc, std::size_t offset);

// Calls fn(key, value) for each entry of a mapping (aliases resolved), including entries pulled
// in by merge keys (`<<: *base`, `<<: [*a, *b]`), which are visited after the explicit ones and
// only when no explicit or earlier key has the same name, as ToJson resolves them. Merge
// sources nest at most 8 deep. Does nothing when mapping is not a mapping.
void ForEachEntry(const Document& doc, NodeId mapping,
                  const std::function<void(NodeId key, NodeId value)>& fn);

// "/spec/template/containers/0/image" (RFC 6901 escaping: ~0 for ~, ~1 for /); "" for the root.
std::string JsonPointer(std::span<const std::string> segments);

}  // namespace capstan::yaml
