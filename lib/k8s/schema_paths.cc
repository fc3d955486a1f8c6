#include "k8s/schema_paths.h"

#include <algorithm>
#include <set>

#include "core/edit_distance.h"

namespace capstan::k8s {
namespace {

constexpr std::size_t kMaxNodes = 256;

const nlohmann::json* ResolveRef(const nlohmann::json& root, const nlohmann::json& node) {
  auto it = node.find("$ref");
  if (it == node.end() || !it->is_string()) return nullptr;
  const std::string& ref = it->get_ref<const std::string&>();
  if (ref.empty() || ref[0] != '#') return nullptr;
  try {
    nlohmann::json::json_pointer ptr(ref.substr(1));
    if (!root.contains(ptr)) return nullptr;
    return &root.at(ptr);
  } catch (const std::exception&) {
    return nullptr;
  }
}

void ExpandInto(const nlohmann::json& root, const nlohmann::json& node, int depth,
                std::vector<const nlohmann::json*>& out) {
  if (!node.is_object() || depth > 16 || out.size() >= kMaxNodes) return;
  if (std::find(out.begin(), out.end(), &node) != out.end()) return;
  out.push_back(&node);
  if (const nlohmann::json* target = ResolveRef(root, node))
    ExpandInto(root, *target, depth + 1, out);
  for (const char* list : {"allOf", "anyOf", "oneOf"}) {
    auto it = node.find(list);
    if (it != node.end() && it->is_array())
      for (const auto& sub : *it) ExpandInto(root, sub, depth + 1, out);
  }
}

bool DescribesObject(const nlohmann::json& n) {
  return n.contains("properties") || n.contains("additionalProperties") ||
         n.contains("patternProperties");
}

}  // namespace

std::string JsonTypeName(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "integer";
    case nlohmann::json::value_t::number_float:
      return "number";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::array:
      return "array";
    case nlohmann::json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

std::vector<const nlohmann::json*> SchemaView::Expand(const nlohmann::json& root,
                                                      const nlohmann::json& node) {
  std::vector<const nlohmann::json*> out;
  ExpandInto(root, node, 0, out);
  return out;
}

SchemaView SchemaView::At(const nlohmann::json& root, const std::vector<std::string>& path) {
  SchemaView view;
  view.nodes_ = Expand(root, root);
  for (const std::string& seg : path) {
    std::vector<const nlohmann::json*> next;
    for (const nlohmann::json* n : view.nodes_) {
      const nlohmann::json* sub = nullptr;
      auto props = n->find("properties");
      if (props != n->end() && props->is_object() && props->contains(seg)) {
        sub = &(*props)[seg];
      } else if (auto extra = n->find("additionalProperties");
                 extra != n->end() && extra->is_object()) {
        sub = &*extra;
      } else if (auto items = n->find("items"); items != n->end()) {
        if (items->is_object()) {
          sub = &*items;
        } else if (items->is_array()) {
          try {
            std::size_t idx = std::stoul(seg);
            if (idx < items->size()) sub = &(*items)[idx];
          } catch (...) {
          }
        }
      }
      if (sub != nullptr) {
        for (const nlohmann::json* e : Expand(root, *sub))
          if (std::find(next.begin(), next.end(), e) == next.end()) next.push_back(e);
      }
    }
    view.nodes_ = std::move(next);
  }
  return view;
}

bool SchemaView::AllowsAnyProperty() const {
  bool described = false;
  for (const nlohmann::json* n : nodes_) {
    if (!DescribesObject(*n)) continue;
    described = true;
    if (n->contains("patternProperties")) return true;
    auto extra = n->find("additionalProperties");
    if (extra != n->end() && !(extra->is_boolean() && !extra->get<bool>())) return true;
  }
  return !described;
}

bool SchemaView::HasProperty(const std::string& name) const {
  for (const nlohmann::json* n : nodes_) {
    auto props = n->find("properties");
    if (props != n->end() && props->is_object() && props->contains(name)) return true;
  }
  return false;
}

std::string SchemaView::Closest(const std::string& name) const {
  std::vector<std::string_view> names;
  for (const nlohmann::json* n : nodes_) {
    auto props = n->find("properties");
    if (props == n->end() || !props->is_object()) continue;
    for (const auto& [k, v] : props->items()) names.push_back(k);
  }
  return ClosestMatch(name, names);
}

std::string SchemaView::ExpectedTypes() const {
  std::set<std::string> types;
  for (const nlohmann::json* n : nodes_) {
    auto t = n->find("type");
    if (t == n->end()) continue;
    if (t->is_string()) types.insert(t->get<std::string>());
    if (t->is_array())
      for (const auto& x : *t)
        if (x.is_string()) types.insert(x.get<std::string>());
  }
  types.erase("null");
  if (types.count("number")) types.erase("integer");
  std::string out;
  std::size_t i = 0;
  for (const auto& t : types) {
    if (i > 0) out += (i + 1 == types.size()) ? " or " : ", ";
    out += t;
    ++i;
  }
  return out;
}

std::string SchemaView::EnumValues(std::size_t limit) const {
  std::vector<std::string> values;
  for (const nlohmann::json* n : nodes_) {
    auto e = n->find("enum");
    if (e == n->end() || !e->is_array()) continue;
    for (const auto& v : *e) {
      if (v.is_null()) continue;  // "may be omitted", not a value anyone writes
      std::string s = v.is_string() ? v.get<std::string>() : v.dump();
      if (std::find(values.begin(), values.end(), s) == values.end()) values.push_back(s);
    }
  }
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < limit; ++i) out += (i ? ", " : "") + values[i];
  if (values.size() > limit) out += ", ...";
  return out;
}

}  // namespace capstan::k8s
