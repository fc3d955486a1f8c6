#include "yaml/document.h"

namespace capstan::yaml {

NodeId Document::Resolve(NodeId id) const {
  // Aliases always point at an earlier, complete node, so one hop suffices; the loop is a guard.
  for (int hops = 0; id != kNoNode && nodes_[id].type == NodeType::kAlias && hops < 8; ++hops) {
    id = nodes_[id].children.empty() ? kNoNode : nodes_[id].children[0];
  }
  return id;
}

NodeId Document::GetKey(NodeId mapping, std::string_view key) const {
  mapping = Resolve(mapping);
  if (mapping == kNoNode || nodes_[mapping].type != NodeType::kMapping) return kNoNode;
  const auto& kids = nodes_[mapping].children;
  for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
    const std::string* k = ScalarValue(kids[i]);
    if (k != nullptr && *k == key) return kids[i];
  }
  return kNoNode;
}

NodeId Document::Get(NodeId mapping, std::string_view key) const {
  mapping = Resolve(mapping);
  if (mapping == kNoNode || nodes_[mapping].type != NodeType::kMapping) return kNoNode;
  const auto& kids = nodes_[mapping].children;
  for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
    const std::string* k = ScalarValue(kids[i]);
    if (k != nullptr && *k == key) return kids[i + 1];
  }
  return kNoNode;
}

std::string Document::StringAt(NodeId mapping, std::string_view key) const {
  const std::string* value = ScalarValue(Get(mapping, key));
  return value == nullptr ? std::string() : *value;
}

const std::string* Document::ScalarValue(NodeId id) const {
  id = Resolve(id);
  if (id == kNoNode || nodes_[id].type != NodeType::kScalar) return nullptr;
  return &nodes_[id].value;
}

}  // namespace capstan::yaml
