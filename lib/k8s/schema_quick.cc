#include "k8s/schema_quick.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

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
  for (++p; p < t.size(); ++p) {
    if (t[p] == '\\') {
      ++p;
    } else if (t[p] == '"') {
      return p + 1;
    }
  }
  return kBad;
}

// The end of the value that starts at p.
std::size_t SkipValue(std::string_view t, std::size_t p) {
  if (p >= t.size()) return kBad;
  if (t[p] == '"') return SkipString(t, p);
  if (t[p] == '{' || t[p] == '[') {
    int depth = 0;
    while (p < t.size()) {
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

// Whether value has the JSON Schema type `name`; nullopt for a name no draft defines.
std::optional<bool> HasType(const nlohmann::json& value, std::string_view name) {
  if (name == "object") return value.is_object();
  if (name == "array") return value.is_array();
  if (name == "string") return value.is_string();
  if (name == "integer") return value.is_number_integer();
  if (name == "number") return value.is_number();
  if (name == "boolean") return value.is_boolean();
  if (name == "null") return value.is_null();
  return std::nullopt;
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

}  // namespace

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
  return At(root_, instance, 0);
}

const re2::RE2* QuickSchema::Pattern(const std::string& pattern) const {
  std::lock_guard<std::mutex> lock(patterns_mu_);
  auto it = patterns_.find(pattern);
  if (it == patterns_.end()) {
    RE2::Options options;
    options.set_log_errors(false);
    it = patterns_.emplace(pattern, std::make_unique<RE2>(pattern, options)).first;
  }
  return it->second->ok() ? it->second.get() : nullptr;
}

QuickVerdict QuickSchema::At(std::size_t schema, const nlohmann::json& value, int depth) const {
  using V = QuickVerdict;
  const std::string_view t = text_;
  if (depth > kMaxDepth || schema >= t.size() || t[schema] != '{') return V::kUnknown;
  const Keywords k = ReadKeywords(t, schema);
  if (k.unknown) return V::kUnknown;

  if (k.ref != kBad) {
    if (k.type != kBad || k.properties != kBad || k.additional != kBad || k.items != kBad ||
        k.required != kBad || k.enumeration != kBad || k.minimum != kBad || k.pattern != kBad)
      return V::kUnknown;
    std::optional<std::string> ref = StringAt(t, k.ref);
    constexpr std::string_view kPrefix = "#/definitions/";
    if (!ref || !ref->starts_with(kPrefix) ||
        ref->find_first_of("/~", kPrefix.size()) != std::string::npos)
      return V::kUnknown;
    auto def = definitions_.find(std::string_view(*ref).substr(kPrefix.size()));
    if (def == definitions_.end()) return V::kUnknown;
    return At(def->second, value, depth + 1);
  }

  if (k.type != kBad) {
    bool matched = false, known = true;
    auto one = [&](std::size_t p) {
      std::optional<std::string> name = StringAt(t, p);
      std::optional<bool> has = name ? HasType(value, *name) : std::nullopt;
      if (!has) known = false;
      matched = matched || has.value_or(false);
    };
    if (t[k.type] == '[') {
      if (!ForEachElement(t, k.type, one)) return V::kUnknown;
    } else {
      one(k.type);
    }
    if (!known) return V::kUnknown;
    if (!matched) return V::kFails;
  }

  if (k.enumeration != kBad) {
    // Strings and null (a nullable enum), the values compared as valijson compares them.
    bool known = true, found = false;
    if (!ForEachElement(t, k.enumeration,
                        [&](std::size_t p) {
                          if (t.substr(p, 4) == "null" && SkipValue(t, p) == p + 4) {
                            found = found || value.is_null();
                            return;
                          }
                          std::optional<std::string> s = StringAt(t, p);
                          if (!s) known = false;
                          found = found || (s && value.is_string() &&
                                            value.get_ref<const std::string&>() == *s);
                        }) ||
        !known)
      return V::kUnknown;
    if (!found) return V::kFails;
  }

  if (k.minimum != kBad && value.is_number()) {
    const std::size_t end = SkipValue(t, k.minimum);
    if (end == kBad) return V::kUnknown;
    const std::string number(t.substr(k.minimum, end - k.minimum));
    char* stop = nullptr;
    const double minimum = std::strtod(number.c_str(), &stop);
    if (stop == number.c_str() || *stop != '\0') return V::kUnknown;
    if (value.get<double>() < minimum) return V::kFails;
  }

  if (k.pattern != kBad && value.is_string()) {
    std::optional<std::string> pattern = StringAt(t, k.pattern);
    if (!pattern) return V::kUnknown;
    const RE2* re = Pattern(*pattern);
    if (re != nullptr && !RE2::PartialMatch(value.get_ref<const std::string&>(), *re))
      return V::kFails;
  }

  if (value.is_object()) {
    if (k.required != kBad) {
      bool all = true, strings = true;
      if (!ForEachElement(t, k.required,
                          [&](std::size_t p) {
                            std::optional<std::string> name = StringAt(t, p);
                            if (!name) strings = false;
                            all = all && name && value.contains(*name);
                          }) ||
          !strings)
        return V::kUnknown;
      if (!all) return V::kFails;
    }
    std::vector<std::string> declared;
    V verdict = V::kConforms;
    if (k.properties != kBad &&
        !ForEachMember(t, k.properties, [&](const std::string& name, std::size_t sub) {
          declared.push_back(name);
          auto it = value.find(name);
          if (it != value.end()) verdict = At(sub, *it, depth + 1);
          return verdict == V::kConforms;
        }))
      return V::kUnknown;
    if (verdict != V::kConforms) return verdict;
    const bool forbid = k.additional == kBad ? strict_ && k.properties != kBad
                                             : t.substr(k.additional, 5) == "false";
    const bool schema_for_others = k.additional != kBad && t[k.additional] == '{';
    if (k.additional != kBad && !forbid && !schema_for_others &&
        t.substr(k.additional, 4) != "true")
      return V::kUnknown;
    if (forbid || schema_for_others) {
      for (const auto& [name, member] : value.items()) {
        if (std::find(declared.begin(), declared.end(), name) != declared.end()) continue;
        if (forbid) return V::kFails;
        verdict = At(k.additional, member, depth + 1);
        if (verdict != V::kConforms) return verdict;
      }
    }
  }

  if (k.items != kBad && value.is_array()) {
    if (t[k.items] != '{') return V::kUnknown;
    for (const nlohmann::json& item : value) {
      const V verdict = At(k.items, item, depth + 1);
      if (verdict != V::kConforms) return verdict;
    }
  }
  return V::kConforms;
}

}  // namespace capstan::k8s::internal
