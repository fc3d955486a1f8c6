// A compiled JSON Schema and the check of one JSON value against it, with errors turned into
// one message per problem and a path that points into the instance. valijson does the
// validation; `pattern` is checked with RE2 (valijson's std::regex can exhaust the stack on long
// strings), and messages are rebuilt from the schema so users read "expected integer, got
// string" rather than the validator's internals.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "yaml/document.h"

namespace capstan::k8s {

class Schema;

enum class ViolationKind { kRequired, kUnknownField, kType, kEnum, kPattern, kOther };

struct Violation {
  std::vector<std::string> path;  // instance path: object keys and array indexes
  std::string message;            // one line, lowercase, no trailing period
  bool at_key = false;            // point at the key of `path` (unknown field), not its value
  ViolationKind kind = ViolationKind::kOther;
  std::string field;  // kRequired: the missing property's name
};

// Compiles a schema document. `source` names it in error messages ("embedded
// k8s/service-v1.json", a file path). Fails with kInvalidArgument when valijson cannot use it.
Result<std::shared_ptr<const Schema>> CompileSchema(nlohmann::json doc, std::string source);

// A schema compiled into the binary, as CompileSchema(parse(text) made strict when `strict`,
// source) would give, but neither parsed nor compiled until a Check needs it: an instance that
// conforms is checked against the text in place. REQUIRES: text lives as long as the process
// (embedded data) and is a JSON object using the keywords the embedded schemas use (anything
// else is compiled and checked as CompileSchema's schema would be). When the text cannot be
// compiled after all, Check returns one violation saying so.
std::shared_ptr<const Schema> EmbeddedSchema(std::string_view text, std::string source,
                                             bool strict);

// Validates instance; returns no violations when it conforms. Thread-safe for a shared Schema.
std::vector<Violation> Check(const Schema& schema, const nlohmann::json& instance);

// Whether a YAML node conforms to an embedded schema, judged without converting it to JSON: true
// only where Check(schema, *yaml::ToJson(doc, node)) would return no violations (with the root
// mapping's `sops` mapping left out when without_sops, as SOPS decryption removes it). False says
// nothing: convert the node and Check it. Saves the conversion for the conforming majority.
bool ConformsInPlace(const Schema& schema, const yaml::Document& doc, yaml::NodeId node,
                     bool without_sops);

// The value at path inside instance (object keys and decimal array indexes, as in
// Violation::path), or nullptr when the path does not lead to one. The pointer is into instance.
const nlohmann::json* ValueAt(const nlohmann::json& instance, const std::vector<std::string>& path);

// Where the schema came from, for messages.
const std::string& SchemaSource(const Schema& schema);

}  // namespace capstan::k8s
