#include "yaml/path.h"

#include <charconv>
#include <string_view>
#include <unordered_set>

namespace capstan::yaml {
namespace {

bool IsMergeKey(const Document& doc, NodeId key) {
  const Node& k = doc.node(doc.Resolve(key));
  return k.type == NodeType::kScalar && k.style == ScalarStyle::kPlain && k.value == "<<";
}

// Finds key in mapping, then in its merge sources (explicit keys win, as in ToJson).
bool FindEntry(const Document& doc, NodeId mapping, const std::string& key, int budget,
               NodeId* key_out, NodeId* value_out) {
  mapping = doc.Resolve(mapping);
  if (mapping == kNoNode || budget <= 0) return false;
  const Node& m = doc.node(mapping);
  if (m.type != NodeType::kMapping) return false;
  for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
    const std::string* k = doc.ScalarValue(m.children[i]);
    if (k != nullptr && *k == key && !IsMergeKey(doc, m.children[i])) {
      *key_out = m.children[i];
      *value_out = m.children[i + 1];
      return true;
    }
  }
  for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
    if (!IsMergeKey(doc, m.children[i])) continue;
    NodeId src = doc.Resolve(m.children[i + 1]);
    const Node& s = doc.node(src);
    if (s.type == NodeType::kSequence) {
      for (NodeId c : s.children)
        if (FindEntry(doc, c, key, budget - 1, key_out, value_out)) return true;
    } else if (FindEntry(doc, src, key, budget - 1, key_out, value_out)) {
      return true;
    }
  }
  return false;
}

void VisitEntries(const Document& doc, NodeId mapping, int budget,
                  std::unordered_set<std::string_view>& seen,
                  const std::function<void(NodeId, NodeId)>& fn) {
  mapping = doc.Resolve(mapping);
  if (mapping == kNoNode || budget <= 0) return;
  const Node& m = doc.node(mapping);
  if (m.type != NodeType::kMapping) return;
  auto first_time = [&](NodeId key) {
    const std::string* k = doc.ScalarValue(key);
    return k == nullptr || seen.insert(*k).second;  // complex keys cannot collide with scalars
  };
  for (std::size_t i = 0; i + 1 < m.children.size(); i += 2)
    if (!IsMergeKey(doc, m.children[i]) && first_time(m.children[i]))
      fn(m.children[i], m.children[i + 1]);
  for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
    if (!IsMergeKey(doc, m.children[i])) continue;
    NodeId src = doc.Resolve(m.children[i + 1]);
    if (src != kNoNode && doc.node(src).type == NodeType::kSequence) {
      for (NodeId c : doc.node(src).children) VisitEntries(doc, c, budget - 1, seen, fn);
    } else {
      VisitEntries(doc, src, budget - 1, seen, fn);
    }
  }
}

}  // namespace

void ForEachEntry(const Document& doc, NodeId mapping,
                  const std::function<void(NodeId key, NodeId value)>& fn) {
  std::unordered_set<std::string_view> seen;
  VisitEntries(doc, mapping, 8, seen, fn);
}

Located Locate(const Document& doc, std::span<const std::string> segments) {
  Located loc;
  loc.value = doc.root();
  for (const std::string& seg : segments) {
    NodeId cur = doc.Resolve(loc.value);
    if (cur == kNoNode) break;
    const Node& n = doc.node(cur);
    if (n.type == NodeType::kMapping) {
      NodeId k = kNoNode, v = kNoNode;
      if (!FindEntry(doc, cur, seg, 8, &k, &v)) break;
      loc.key = k;
      loc.value = v;
    } else if (n.type == NodeType::kSequence) {
      std::size_t idx = 0;
      auto [p, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), idx);
      if (ec != std::errc() || p != seg.data() + seg.size() || idx >= n.children.size()) break;
      loc.key = kNoNode;
      loc.value = n.children[idx];
    } else {
      break;
    }
    ++loc.depth;
  }
  return loc;
}

namespace {

bool Search(const Document& doc, NodeId id, std::size_t offset, std::vector<std::string>& path) {
  const Node& n = doc.node(id);
  if (n.pos.offset == offset && n.type != NodeType::kMapping && n.type != NodeType::kSequence)
    return true;
  if (n.type == NodeType::kSequence) {
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      path.push_back(std::to_string(i));
      if (Search(doc, n.children[i], offset, path)) return true;
      path.pop_back();
    }
  } else if (n.type == NodeType::kMapping) {
    for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
      const std::string* key = doc.ScalarValue(n.children[i]);
      path.push_back(key != nullptr ? *key : "?");
      if (doc.node(n.children[i]).pos.offset == offset) return true;
      if (Search(doc, n.children[i + 1], offset, path)) return true;
      path.pop_back();
    }
  }
  return n.pos.offset == offset;
}

}  // namespace

std::optional<std::vector<std::string>> PathToOffset(const Document& doc, std::size_t offset) {
  if (doc.root() == kNoNode) return std::nullopt;
  std::vector<std::string> path;
  if (!Search(doc, doc.root(), offset, path)) return std::nullopt;
  return path;
}

std::string JsonPointer(std::span<const std::string> segments) {
  std::string out;
  for (const auto& s : segments) {
    out += '/';
    for (char c : s) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
  }
  return out;
}

}  // namespace capstan::yaml
