#include "k8s/schema_quick.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "yaml/scalar.h"

namespace capstan::k8s::internal {
namespace {

constexpr std::size_t kBad = std::string_view::npos;
constexpr int kMaxDepth = 200;

// Reading JSON text in place. The schemas are generated and known to be well formed, but every
// step still checks what it reads and answers kBad rather than run off the end.
std::size_t SkipSpace(std::string_view t, std::size_t p) {
  while (p < t.size() && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t')) ++p;
  return p;
}

// The end of the string whose opening quote is at p (one past its closing quote).
std::size_t SkipString(std::string_view t, std::size_t p) {
  for (++p; p < t.size();) {
    const void* hit = std::memchr(t.data() + p, '"', t.size() - p);
    if (hit == nullptr) return kBad;
    const std::size_t quote = static_cast<std::size_t>(static_cast<const char*>(hit) - t.data());
    std::size_t backslashes = 0;
    while (quote - backslashes > p && t[quote - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return quote + 1;
    p = quote + 1;
  }
  return kBad;
}

// The end of the value that starts at p.
std::size_t SkipValue(std::string_view t, std::size_t p) {
  if (p >= t.size()) return kBad;
  if (t[p] == '"') return SkipString(t, p);
  if (t[p] == '{' || t[p] == '[') {
    // Only quotes and brackets matter inside; everything else is passed over a byte at a time.
    static constexpr auto kStructural = [] {
      std::array<bool, 256> table{};
      for (unsigned char c : std::string_view("\"{}[]")) table[c] = true;
      return table;
    }();
    int depth = 0;
    while (p < t.size()) {
      while (p < t.size() && !kStructural[static_cast<unsigned char>(t[p])]) ++p;
      if (p >= t.size()) break;
      const char c = t[p];
      if (c == '"') {
        p = SkipString(t, p);
        if (p == kBad) return kBad;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return p + 1;
      ++p;
    }
    return kBad;
  }
  while (p < t.size() && t[p] != ',' && t[p] != '}' && t[p] != ']' && t[p] != ' ' && t[p] != '\n' &&
         t[p] != '\r' && t[p] != '\t')
    ++p;
  return p;
}

// The string at p, unescaped; nullopt when p holds no string.
std::optional<std::string> StringAt(std::string_view t, std::size_t p) {
  if (p >= t.size() || t[p] != '"') return std::nullopt;
  const std::size_t end = SkipString(t, p);
  if (end == kBad) return std::nullopt;
  std::string_view raw = t.substr(p + 1, end - p - 2);
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  nlohmann::json decoded = nlohmann::json::parse(t.substr(p, end - p), nullptr, false);
  if (!decoded.is_string()) return std::nullopt;
  return decoded.get<std::string>();
}

// Calls visit(key, value_offset) for each member of the object at p, in order, until it returns
// false. Returns false when p holds no well-formed object.
template <typename Visit>
bool ForEachMember(std::string_view t, std::size_t p, Visit visit) {
  if (p >= t.size() || t[p] != '{') return false;
  p = SkipSpace(t, p + 1);
  if (p < t.size() && t[p] == '}') return true;
  while (p < t.size()) {
    std::optional<std::string> key = StringAt(t, p);
    if (!key) return false;
    p = SkipSpace(t, SkipString(t, p));
    if (p >= t.size() || t[p] != ':') return false;
    const std::size_t value = SkipSpace(t, p + 1);
    if (!visit(*key, value)) return true;
    p = SkipSpace(t, SkipValue(t, value));
    if (p >= t.size()) return false;
    if (t[p] == '}') return true;
    if (t[p] != ',') return false;
    p = SkipSpace(t, p + 1);
  }
  return false;
}

// Calls visit(element_offset) for each element of the array at p. False when p holds no array.
template <typename Visit>
bool ForEachElement(std::string_view t, std::size_t p, Visit visit) {
  if (p >= t.size() || t[p] != '[') return false;
  p = SkipSpace(t, p + 1);
  if (p < t.size() && t[p] == ']') return true;
  while (p < t.size()) {
    visit(p);
    p = SkipSpace(t, SkipValue(t, p));
    if (p >= t.size()) return false;
    if (t[p] == ']') return true;
    if (t[p] != ',') return false;
    p = SkipSpace(t, p + 1);
  }
  return false;
}

// Offsets of one schema node's keywords (kBad when absent).
struct Keywords {
  std::size_t type = kBad, properties = kBad, additional = kBad, items = kBad, required = kBad,
              enumeration = kBad, minimum = kBad, pattern = kBad, ref = kBad;
  bool unknown = false;
};

Keywords ReadKeywords(std::string_view t, std::size_t p) {
  Keywords k;
  const bool ok = ForEachMember(t, p, [&](const std::string& key, std::size_t value) {
    if (key == "type") {
      k.type = value;
    } else if (key == "properties") {
      k.properties = value;
    } else if (key == "additionalProperties") {
      k.additional = value;
    } else if (key == "items") {
      k.items = value;
    } else if (key == "required") {
      k.required = value;
    } else if (key == "enum") {
      k.enumeration = value;
    } else if (key == "minimum") {
      k.minimum = value;
    } else if (key == "pattern") {
      k.pattern = value;
    } else if (key == "$ref") {
      k.ref = value;
    } else if (key != "$schema" && key != "definitions") {
      k.unknown = true;
      return false;
    }
    return true;
  });
  if (!ok) k.unknown = true;
  return k;
}

// A bit per JSON Schema type name.
enum TypeBit : unsigned {
  kObject = 1,
  kArray = 2,
  kString = 4,
  kInteger = 8,
  kNumber = 16,
  kBoolean = 32,
  kNull = 64,
};

std::optional<unsigned> TypeBitOf(std::string_view name) {
  static constexpr std::pair<std::string_view, TypeBit> kNames[] = {
      {"object", kObject}, {"array", kArray},     {"string", kString}, {"integer", kInteger},
      {"number", kNumber}, {"boolean", kBoolean}, {"null", kNull}};
  for (const auto& [n, bit] : kNames)
    if (n == name) return bit;
  return std::nullopt;
}

// The instance as At reads it: its JSON types (a TypeBit set), string, number, members, items.
// A value At cannot judge as the JSON conversion would make it is Unknown().
class JsonValue {
 public:
  explicit JsonValue(const nlohmann::json& j) : j_(j) {}
  bool Unknown() const { return false; }
  unsigned Types() const {
    switch (j_.type()) {
      case nlohmann::json::value_t::object:
        return kObject;
      case nlohmann::json::value_t::array:
        return kArray;
      case nlohmann::json::value_t::string:
        return kString;
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned:
        return kInteger | kNumber;
      case nlohmann::json::value_t::number_float:
        return kNumber;
      case nlohmann::json::value_t::boolean:
        return kBoolean;
      case nlohmann::json::value_t::null:
        return kNull;
      default:
        return 0;
    }
  }
  const std::string* String() const {
    return j_.is_string() ? &j_.get_ref<const std::string&>() : nullptr;
  }
  std::optional<double> Number() const {
    return j_.is_number() ? std::optional<double>(j_.get<double>()) : std::nullopt;
  }
  bool Has(const std::string& name) const { return j_.contains(name); }
  // f(name, member) for each member of an object, stopping at the first answer not kConforms.
  template <class F>
  QuickVerdict EachMember(F f) const {
    for (const auto& [name, member] : j_.items()) {
      const QuickVerdict v = f(name, JsonValue(member));
      if (v != QuickVerdict::kConforms) return v;
    }
    return QuickVerdict::kConforms;
  }
  template <class F>
  QuickVerdict EachItem(F f) const {
    for (const nlohmann::json& item : j_) {
      const QuickVerdict v = f(JsonValue(item));
      if (v != QuickVerdict::kConforms) return v;
    }
    return QuickVerdict::kConforms;
  }

 private:
  const nlohmann::json& j_;
};

// A YAML node read as yaml::ToJson would convert it, without converting it. What the conversion
// could refuse or reshape (an alias, a merge key, a key that is a collection) is Unknown(), so
// the caller converts and checks the JSON. A root mapping may leave out its `sops` mapping, as
// the validator erases it before checking.
class YamlValue {
 public:
  YamlValue(const yaml::Document& doc, yaml::NodeId id, bool skip_sops = false)
      : doc_(doc), n_(doc.node(id)), skip_sops_(skip_sops) {
    if (n_.type == yaml::NodeType::kScalar) scalar_ = yaml::ResolveScalar(n_);
  }
  bool Unknown() const { return n_.type == yaml::NodeType::kAlias; }
  unsigned Types() const {
    switch (n_.type) {
      case yaml::NodeType::kMapping:
        return kObject;
      case yaml::NodeType::kSequence:
        return kArray;
      case yaml::NodeType::kNull:
        return kNull;
      case yaml::NodeType::kAlias:
        return 0;
      case yaml::NodeType::kScalar:
        break;
    }
    switch (scalar_.kind) {
      case yaml::ScalarKind::kNull:
        return kNull;
      case yaml::ScalarKind::kBool:
        return kBoolean;
      case yaml::ScalarKind::kInt:
      case yaml::ScalarKind::kUint:
        return kInteger | kNumber;
      case yaml::ScalarKind::kFloat:
        return kNumber;
      case yaml::ScalarKind::kString:
        return kString;
    }
    return 0;
  }
  const std::string* String() const { return Types() == kString ? &n_.value : nullptr; }
  std::optional<double> Number() const {
    if (Types() != kNumber && Types() != (kInteger | kNumber)) return std::nullopt;
    switch (scalar_.kind) {
      case yaml::ScalarKind::kInt:
        return static_cast<double>(scalar_.i);
      case yaml::ScalarKind::kUint:
        return static_cast<double>(scalar_.u);
      default:
        return scalar_.f;
    }
  }
  bool Has(const std::string& name) const {
    for (std::size_t i = 0; i + 1 < n_.children.size(); i += 2) {
      const std::string* key = KeyName(i);
      if (key != nullptr && *key == name && !Skipped(*key, i)) return true;
    }
    return false;
  }
  template <class F>
  QuickVerdict EachMember(F f) const {
    for (std::size_t i = 0; i + 1 < n_.children.size(); i += 2) {
      const std::string* key = KeyName(i);
      if (key == nullptr) return QuickVerdict::kUnknown;
      if (Skipped(*key, i)) continue;
      const QuickVerdict v = f(*key, YamlValue(doc_, n_.children[i + 1]));
      if (v != QuickVerdict::kConforms) return v;
    }
    return QuickVerdict::kConforms;
  }
  template <class F>
  QuickVerdict EachItem(F f) const {
    for (yaml::NodeId item : n_.children) {
      const QuickVerdict v = f(YamlValue(doc_, item));
      if (v != QuickVerdict::kConforms) return v;
    }
    return QuickVerdict::kConforms;
  }

 private:
  // The name the conversion gives the key of entry i; nullptr for a key it would not take as
  // it is (a merge key, an alias, a collection).
  const std::string* KeyName(std::size_t i) const {
    const yaml::Node& key = doc_.node(n_.children[i]);
    if (key.type == yaml::NodeType::kNull) return &kNullName;
    if (key.type != yaml::NodeType::kScalar) return nullptr;
    if (key.style == yaml::ScalarStyle::kPlain && key.value == "<<") return nullptr;
    return &key.value;
  }
  bool Skipped(const std::string& key, std::size_t i) const {
    return skip_sops_ && key == "sops" &&
           doc_.node(n_.children[i + 1]).type == yaml::NodeType::kMapping;
  }

  static inline const std::string kNullName = "null";
  const yaml::Document& doc_;
  const yaml::Node& n_;
  bool skip_sops_;
  yaml::ScalarValue scalar_;
};

}  // namespace

// One schema node as the check needs it, read from the text the first time it is visited.
struct QuickSchema::Node {
  bool unknown = false;    // a keyword or form the check does not know
  std::size_t ref = kBad;  // the definition a $ref names
  unsigned types = 0;      // 0: any type
  std::vector<std::pair<std::string, std::size_t>> properties;  // sorted by name
  bool has_properties = false;
  enum class Others { kAllowed, kForbidden, kSchema } others = Others::kAllowed;
  std::size_t others_schema = kBad;  // additionalProperties as a schema
  std::size_t items = kBad;
  std::vector<std::string> required;
  bool has_enum = false;
  std::vector<std::string> enum_strings;
  bool enum_null = false;
  std::optional<double> minimum;
  std::unique_ptr<RE2> pattern;  // nullptr: none, or one RE2 refuses (then no check)
};

QuickSchema::QuickSchema(std::string_view text, bool strict) : text_(text), strict_(strict) {
  root_ = SkipSpace(text_, 0);
  bool definitions_read = true;
  const bool root_read =
      ForEachMember(text_, root_, [&](const std::string& key, std::size_t value) {
        if (key != "definitions") return true;
        definitions_read =
            ForEachMember(text_, value, [&](const std::string& name, std::size_t schema) {
              definitions_.emplace(name, schema);
              return true;
            });
        return false;
      });
  usable_ = root_read && definitions_read;
}

QuickSchema::~QuickSchema() = default;

QuickVerdict QuickSchema::Check(const nlohmann::json& instance) const {
  if (!usable_) return QuickVerdict::kUnknown;
  return At(root_, JsonValue(instance), 0);
}

QuickVerdict QuickSchema::Check(const yaml::Document& doc, yaml::NodeId node,
                                bool skip_sops) const {
  if (!usable_ || node == yaml::kNoNode) return QuickVerdict::kUnknown;
  return At(root_, YamlValue(doc, node, skip_sops), 0);
}

std::unique_ptr<QuickSchema::Node> QuickSchema::Read(std::size_t schema) const {
  const std::string_view t = text_;
  auto node = std::make_unique<Node>();
  Node& n = *node;
  if (schema >= t.size() || t[schema] != '{') {
    n.unknown = true;
    return node;
  }
  const Keywords k = ReadKeywords(t, schema);
  n.unknown = k.unknown;
  if (n.unknown) return node;

  if (k.ref != kBad) {
    std::optional<std::string> ref = StringAt(t, k.ref);
    constexpr std::string_view kPrefix = "#/definitions/";
    auto def = ref && ref->starts_with(kPrefix) &&
                       ref->find_first_of("/~", kPrefix.size()) == std::string::npos
                   ? definitions_.find(std::string_view(*ref).substr(kPrefix.size()))
                   : definitions_.end();
    // valijson's reading of keywords beside a $ref is not this check's business.
    n.unknown = def == definitions_.end() || k.type != kBad || k.properties != kBad ||
                k.additional != kBad || k.items != kBad || k.required != kBad ||
                k.enumeration != kBad || k.minimum != kBad || k.pattern != kBad;
    if (!n.unknown) n.ref = def->second;
    return node;
  }

  bool ok = true;
  auto type_name = [&](std::size_t p) {
    std::optional<std::string> name = StringAt(t, p);
    std::optional<unsigned> bit = name ? TypeBitOf(*name) : std::nullopt;
    ok = ok && bit.has_value();
    n.types |= bit.value_or(0);
  };
  if (k.type != kBad) {
    if (t[k.type] == '[') {
      ok = ForEachElement(t, k.type, type_name) && ok;
    } else {
      type_name(k.type);
    }
    ok = ok && n.types != 0;
  }
  if (k.enumeration != kBad) {
    // Strings and null (a nullable enum), compared as valijson compares them.
    n.has_enum = true;
    ok = ForEachElement(t, k.enumeration,
                        [&](std::size_t p) {
                          if (t.substr(p, 4) == "null" && SkipValue(t, p) == p + 4) {
                            n.enum_null = true;
                            return;
                          }
                          std::optional<std::string> s = StringAt(t, p);
                          ok = ok && s.has_value();
                          if (s) n.enum_strings.push_back(std::move(*s));
                        }) &&
         ok;
  }
  if (k.minimum != kBad) {
    const std::size_t end = SkipValue(t, k.minimum);
    const std::string number(t.substr(k.minimum, end == kBad ? 0 : end - k.minimum));
    char* stop = nullptr;
    const double minimum = std::strtod(number.c_str(), &stop);
    ok = ok && !number.empty() && stop != number.c_str() && *stop == '\0';
    n.minimum = minimum;
  }
  if (k.pattern != kBad) {
    std::optional<std::string> pattern = StringAt(t, k.pattern);
    ok = ok && pattern.has_value();
    if (pattern) {
      RE2::Options options;
      options.set_log_errors(false);
      n.pattern = std::make_unique<RE2>(*pattern, options);
      if (!n.pattern->ok()) n.pattern.reset();  // CheckPatterns skips it too
    }
  }
  if (k.required != kBad) {
    ok = ForEachElement(t, k.required,
                        [&](std::size_t p) {
                          std::optional<std::string> name = StringAt(t, p);
                          ok = ok && name.has_value();
                          if (name) n.required.push_back(std::move(*name));
                        }) &&
         ok;
  }
  if (k.properties != kBad) {
    n.has_properties = true;
    ok = ForEachMember(t, k.properties,
                       [&](const std::string& name, std::size_t sub) {
                         n.properties.emplace_back(name, sub);
                         return true;
                       }) &&
         ok;
    std::sort(n.properties.begin(), n.properties.end());
  }
  if (k.additional == kBad) {
    if (strict_ && k.properties != kBad) n.others = Node::Others::kForbidden;
  } else if (t.substr(k.additional, 5) == "false") {
    n.others = Node::Others::kForbidden;
  } else if (t[k.additional] == '{') {
    n.others = Node::Others::kSchema;
    n.others_schema = k.additional;
  } else {
    ok = ok && t.substr(k.additional, 4) == "true";
  }
  if (k.items != kBad) {
    ok = ok && t[k.items] == '{';
    n.items = k.items;
  }
  n.unknown = !ok;
  return node;
}

const QuickSchema::Node& QuickSchema::NodeAt(std::size_t schema) const {
  {
    std::shared_lock<std::shared_mutex> lock(nodes_mu_);
    auto it = nodes_.find(schema);
    if (it != nodes_.end()) return *it->second;
  }
  std::unique_ptr<Node> node = Read(schema);
  std::unique_lock<std::shared_mutex> lock(nodes_mu_);
  return *nodes_.try_emplace(schema, std::move(node)).first->second;
}

template <class Value>
QuickVerdict QuickSchema::At(std::size_t schema, const Value& value, int depth) const {
  using V = QuickVerdict;
  if (depth > kMaxDepth || value.Unknown()) return V::kUnknown;
  const Node& n = NodeAt(schema);
  if (n.unknown) return V::kUnknown;
  if (n.ref != kBad) return At(n.ref, value, depth + 1);

  const unsigned types = value.Types();
  if (n.types != 0 && (types & n.types) == 0) return V::kFails;
  if (n.has_enum) {
    const std::string* text = value.String();
    const bool found =
        types == kNull ? n.enum_null
                       : text != nullptr && std::find(n.enum_strings.begin(), n.enum_strings.end(),
                                                      *text) != n.enum_strings.end();
    if (!found) return V::kFails;
  }
  if (n.minimum) {
    if (std::optional<double> number = value.Number(); number && *number < *n.minimum)
      return V::kFails;
  }
  if (n.pattern) {
    if (const std::string* text = value.String(); text && !RE2::PartialMatch(*text, *n.pattern))
      return V::kFails;
  }

  if (types == kObject) {
    for (const std::string& name : n.required)
      if (!value.Has(name)) return V::kFails;
    const V members = value.EachMember([&](const std::string& name, const Value& member) {
      auto it = std::lower_bound(n.properties.begin(), n.properties.end(), name,
                                 [](const std::pair<std::string, std::size_t>& p,
                                    const std::string& key) { return p.first < key; });
      std::size_t sub = kBad;
      if (it != n.properties.end() && it->first == name) {
        sub = it->second;
      } else if (n.others == Node::Others::kForbidden) {
        return V::kFails;
      } else if (n.others == Node::Others::kSchema) {
        sub = n.others_schema;
      }
      return sub == kBad ? V::kConforms : At(sub, member, depth + 1);
    });
    if (members != V::kConforms) return members;
  }
  if (n.items != kBad && types == kArray)
    return value.EachItem([&](const Value& item) { return At(n.items, item, depth + 1); });
  return V::kConforms;
}

}  // namespace capstan::k8s::internal
