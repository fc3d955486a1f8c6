// Converts a Document to nlohmann::json the way sigs.k8s.io/yaml does (go-yaml v2 typing, merge
// keys `<<` applied, aliases expanded), bounded by Limits::max_expanded_nodes so an alias bomb is
// an error, not an out-of-memory kill.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "yaml/document.h"
#include "yaml/parser.h"

namespace capstan::yaml {

struct ConvertError {
  Position pos;
  std::string message;
  IssueKind kind = IssueKind::kSyntax;
};

// Converts the subtree at id (the root when id is kNoNode). On failure returns nullopt and
// fills *error: kLimit for alias expansion past the limit, kSyntax for a key that is not a
// scalar (JSON objects need string keys).
std::optional<nlohmann::json> ToJson(const Document& doc, NodeId id, const Limits& limits,
                                     ConvertError* error);

}  // namespace capstan::yaml
