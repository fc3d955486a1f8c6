// libFuzzer target: capstan-bump's byte-exact edit (yaml/edit.h), on YAML text (the input after
// its first line) with a new value (the first line) for one of its scalar mapping values.
// Property: when SetScalar gives an edit, the edited text re-parses to the same documents with
// only that scalar changed, to exactly the new value, and every byte outside the edit is the
// old one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "yaml/edit.h"
#include "yaml/parser.h"

namespace {

using capstan::yaml::Document;
using capstan::yaml::NodeId;
using capstan::yaml::NodeType;

// The scalar values of mappings in doc, in node order.
std::vector<NodeId> MappingValues(const Document& doc) {
  std::vector<NodeId> out;
  for (NodeId id = 0; id < doc.size(); ++id) {
    const auto& n = doc.node(id);
    if (n.type != NodeType::kMapping) continue;
    for (std::size_t i = 1; i < n.children.size(); i += 2)
      if (doc.node(n.children[i]).type == NodeType::kScalar ||
          doc.node(n.children[i]).type == NodeType::kNull)
        out.push_back(n.children[i]);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::yaml;
  auto [value, text] = capstan::fuzz::FirstLine(capstan::fuzz::AsText(data, size));
  ParsedFile before = Parse(text);
  if (!before.issues.empty() || before.documents.empty()) return 0;
  const Document& doc = before.documents.front();
  std::vector<NodeId> values = MappingValues(doc);
  if (values.empty()) return 0;
  NodeId target = values[value.size() % values.size()];
  auto edit = SetScalar(text, doc, target, value);
  if (!edit.ok()) return 0;
  auto edited = ApplyEdits(text, {*edit});
  CAPSTAN_FUZZ_CHECK(edited.ok());
  const std::string& out = *edited;
  CAPSTAN_FUZZ_CHECK(out.substr(0, edit->offset) == text.substr(0, edit->offset));
  CAPSTAN_FUZZ_CHECK(out.substr(edit->offset + edit->replacement.size()) ==
                     text.substr(edit->offset + edit->length));

  ParsedFile after = Parse(out);
  CAPSTAN_FUZZ_CHECK(after.issues.empty());
  CAPSTAN_FUZZ_CHECK(after.documents.size() == before.documents.size());
  for (std::size_t d = 0; d < before.documents.size(); ++d) {
    const Document& a = before.documents[d];
    const Document& b = after.documents[d];
    CAPSTAN_FUZZ_CHECK(a.size() == b.size());
    for (NodeId id = 0; id < a.size(); ++id) {
      CAPSTAN_FUZZ_CHECK(a.node(id).children == b.node(id).children);
      if (d == 0 && id == target) {
        CAPSTAN_FUZZ_CHECK(b.node(id).value == value);
      } else {
        CAPSTAN_FUZZ_CHECK(a.node(id).type == b.node(id).type);
        CAPSTAN_FUZZ_CHECK(a.node(id).value == b.node(id).value);
      }
    }
  }
  return 0;
}
