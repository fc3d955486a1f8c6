#include "yaml/to_json.h"

#include "yaml/scalar.h"

namespace capstan::yaml {
namespace {

class Converter {
 public:
  Converter(const Document& doc, const Limits& limits, ConvertError* error)
      : doc_(doc), limits_(limits), error_(error) {}

  bool Convert(NodeId id, nlohmann::json& out, int depth = 0) {
    // Aliases can stack documents' nesting on top of each other; the parser bounds each
    // document's own nesting, this bounds the expanded one (and so the recursion).
    if (depth > 4 * limits_.max_depth) {
      return Fail(doc_.node(id).pos, IssueKind::kLimit,
                  "aliases nest deeper than " + std::to_string(4 * limits_.max_depth) + " levels");
    }
    if (++visited_ > limits_.max_expanded_nodes) {
      return Fail(doc_.node(id).pos, IssueKind::kLimit,
                  "aliases expand to more than " + std::to_string(limits_.max_expanded_nodes) +
                      " nodes (an alias bomb?)");
    }
    const Node& n = doc_.node(id);
    switch (n.type) {
      case NodeType::kAlias:
        if (n.children.empty())
          return Fail(n.pos, IssueKind::kSyntax, "alias to an unknown anchor");
        return Convert(n.children[0], out, depth + 1);
      case NodeType::kNull:
        out = nullptr;
        return true;
      case NodeType::kScalar:
        out = Scalar(n);
        return true;
      case NodeType::kSequence: {
        out = nlohmann::json::array();
        for (NodeId c : n.children) {
          nlohmann::json item;
          if (!Convert(c, item, depth + 1)) return false;
          out.push_back(std::move(item));
        }
        return true;
      }
      case NodeType::kMapping:
        return Mapping(n, out, depth);
    }
    return true;
  }

 private:
  static nlohmann::json Scalar(const Node& n) {
    ScalarValue v = ResolveScalar(n);
    switch (v.kind) {
      case ScalarKind::kNull:
        return nullptr;
      case ScalarKind::kBool:
        return v.b;
      case ScalarKind::kInt:
        return v.i;
      case ScalarKind::kUint:
        return v.u;
      case ScalarKind::kFloat:
        return v.f;
      case ScalarKind::kString:
        return n.value;
    }
    return n.value;
  }

  static bool IsMergeKey(const Node& key) {
    return key.type == NodeType::kScalar && key.style == ScalarStyle::kPlain && key.value == "<<" &&
           (key.tag.empty() || key.tag == "tag:yaml.org,2002:merge");
  }

  bool Mapping(const Node& n, nlohmann::json& out, int depth) {
    out = nlohmann::json::object();
    std::vector<NodeId> merges;
    for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
      const Node& key = doc_.node(doc_.Resolve(n.children[i]));
      if (IsMergeKey(key)) {
        merges.push_back(n.children[i + 1]);
        continue;
      }
      std::string name;
      if (key.type == NodeType::kScalar) {
        name = key.value;
      } else if (key.type == NodeType::kNull) {
        name = "null";
      } else {
        return Fail(key.pos, IssueKind::kSyntax,
                    "a mapping key must be a scalar, not a collection");
      }
      nlohmann::json value;
      if (!Convert(n.children[i + 1], value, depth + 1)) return false;
      out[name] = std::move(value);
    }
    for (NodeId m : merges) {
      NodeId src = doc_.Resolve(m);
      const Node& sn = doc_.node(src);
      std::vector<NodeId> sources;
      if (sn.type == NodeType::kSequence) {
        sources = sn.children;
      } else {
        sources.push_back(src);
      }
      for (NodeId s : sources) {
        nlohmann::json merged;
        if (!Convert(s, merged, depth + 1)) return false;
        if (!merged.is_object()) {
          return Fail(doc_.node(s).pos, IssueKind::kSyntax,
                      "merge key '<<' needs a mapping or a list of mappings");
        }
        for (auto& [k, v] : merged.items())
          if (!out.contains(k)) out[k] = v;
      }
    }
    return true;
  }

  bool Fail(const Position& pos, IssueKind kind, std::string message) {
    if (error_ != nullptr) *error_ = ConvertError{pos, std::move(message), kind};
    return false;
  }

  const Document& doc_;
  const Limits& limits_;
  ConvertError* error_;
  std::size_t visited_ = 0;
};

}  // namespace

std::optional<nlohmann::json> ToJson(const Document& doc, NodeId id, const Limits& limits,
                                     ConvertError* error) {
  if (id == kNoNode) id = doc.root();
  if (id == kNoNode) return nlohmann::json(nullptr);
  nlohmann::json out;
  Converter c(doc, limits, error);
  if (!c.Convert(id, out)) return std::nullopt;
  return out;
}

}  // namespace capstan::yaml
