// capstan's YAML document model: an arena of nodes built from libyaml's parse events, where
// every node carries its exact source position (1-based line and column, byte offset). Aliases
// are kept as alias nodes pointing at their anchored node, never copied, so an alias bomb costs
// nothing until something expands it (ToJson bounds that).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::yaml {

struct Position {
  int line = 0;            // 1-based
  int column = 0;          // 1-based, in Unicode code points
  std::size_t offset = 0;  // byte offset in the file as read (a BOM counts)
};

enum class NodeType : std::uint8_t { kNull, kScalar, kSequence, kMapping, kAlias };

enum class ScalarStyle : std::uint8_t { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xffffffffu;

struct Node {
  NodeType type = NodeType::kNull;
  ScalarStyle style = ScalarStyle::kPlain;  // scalars only
  bool flow = false;                        // collections only: written in [..] / {..} style
  bool implicit = false;                    // a null with no text of its own (`key:` alone)
  bool anchored = false;                    // carries an anchor (`&a`): aliases may share it
  Position pos;                             // of the node's first character (quote, [, key ...)
  std::size_t end = 0;  // scalars: byte offset just past the scalar's source text (closing quote,
                        // last line of a block scalar); other nodes: 0
  std::string tag;      // explicit tag, resolved ("!!str" is "tag:yaml.org,2002:str"), else ""
  std::string value;  // scalar text after unescaping; anchor name for an anchored node is not kept
  // kSequence: the items. kMapping: key, value, key, value ... kAlias: [target].
  std::vector<NodeId> children;
};

class Document {
 public:
  // The root node; kNoNode for an empty document (`---` alone, comments only).
  NodeId root() const { return root_; }
  // Where the document starts (its `---`, or its first node).
  const Position& start() const { return start_; }
  // 0-based index of this document in its file.
  int index() const { return index_; }

  const Node& node(NodeId id) const { return nodes_[id]; }
  std::size_t size() const { return nodes_.size(); }

  // Follows alias nodes to the anchored node. Returns id unchanged when it is not an alias.
  NodeId Resolve(NodeId id) const;

  // For a mapping: the value of the first entry whose key is the scalar `key` (merge keys not
  // followed), or kNoNode. Aliases on the mapping itself are resolved.
  NodeId Get(NodeId mapping, std::string_view key) const;
  // Like Get, but returns the key node.
  NodeId GetKey(NodeId mapping, std::string_view key) const;

  // Scalar text of id after resolving aliases, or nullptr when it is not a scalar.
  const std::string* ScalarValue(NodeId id) const;
  // The scalar text at `key` of a mapping (Get, then ScalarValue), or "" when mapping is kNoNode
  // or not a mapping, the key is absent, or its value is not a scalar. For fields where an
  // empty value and a missing one mean the same thing; use Get to tell them apart.
  std::string StringAt(NodeId mapping, std::string_view key) const;

  // Builder interface (used by the parsers).
  NodeId Add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<NodeId>(nodes_.size() - 1);
  }
  Node& mutable_node(NodeId id) { return nodes_[id]; }
  void set_root(NodeId id) { root_ = id; }
  void set_start(Position p) { start_ = p; }
  void set_index(int i) { index_ = i; }

 private:
  std::vector<Node> nodes_;
  NodeId root_ = kNoNode;
  Position start_;
  int index_ = 0;
};

}  // namespace capstan::yaml
