#include "secrets/sops.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <utility>

#include "core/base64.h"

namespace capstan::secrets {
namespace {

constexpr std::string_view kDefaultUnencryptedSuffix = "_unencrypted";

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM), the form Go's time.RFC3339 parses.
bool IsRfc3339(std::string_view s) {
  if (s.size() < 20) return false;
  auto field = [&](std::size_t at, std::size_t len, int lo, int hi) {
    std::string_view f = s.substr(at, len);
    if (!IsDigits(f)) return false;
    int v = ToInt(f);
    return v >= lo && v <= hi;
  };
  if (!field(0, 4, 0, 9999) || s[4] != '-' || !field(5, 2, 1, 12) || s[7] != '-' ||
      !field(8, 2, 1, 31) || (s[10] != 'T' && s[10] != 't') || !field(11, 2, 0, 23) ||
      s[13] != ':' || !field(14, 2, 0, 59) || s[16] != ':' || !field(17, 2, 0, 60)) {
    return false;
  }
  std::size_t i = 19;
  if (s[i] == '.') {
    std::size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  std::string_view zone = s.substr(i);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && field(i + 1, 2, 0, 23) &&
         zone[3] == ':' && field(i + 4, 2, 0, 59);
}

// 3.7.3, 3.8, 3.9.0-rc.1
bool IsVersion(std::string_view s) {
  static const RE2 kVersion(R"(\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.+-]+)?)");
  return RE2::FullMatch(s, kVersion);
}

std::optional<std::string> Base64Field(std::string_view value, std::size_t min_bytes,
                                       std::size_t max_bytes, const char* name) {
  std::string why = std::string("value is a malformed sops value: ") + name;
  if (value.find_first_of("\r\n") != std::string_view::npos || value.size() % 4 != 0) {
    return why + " is not base64";
  }
  std::optional<std::string> bytes = DecodeBase64(value);
  if (!bytes) return why + " is not base64";
  if (bytes->size() < min_bytes || bytes->size() > max_bytes) {
    return why + " has the wrong length";
  }
  return std::nullopt;
}

// Which values SOPS selects for encryption, from a file's metadata (see sops.h).
class Selection {
 public:
  void set_unencrypted_suffix(std::string s) { unencrypted_suffix_ = std::move(s); }
  void set_encrypted_suffix(std::string s) { encrypted_suffix_ = std::move(s); }
  // Returns false when RE2 cannot compile the pattern; everything is then selected.
  bool set_unencrypted_regex(const std::string& pattern) {
    return Compile(pattern, unencrypted_regex_);
  }
  bool set_encrypted_regex(const std::string& pattern) {
    return Compile(pattern, encrypted_regex_);
  }
  void set_encrypt_everything() { encrypt_everything_ = true; }
  bool has_rule() const {
    return !unencrypted_suffix_.empty() || !encrypted_suffix_.empty() || unencrypted_regex_ ||
           encrypted_regex_ || encrypt_everything_;
  }

  bool Encrypted(const std::vector<std::string_view>& keys) const {
    if (encrypt_everything_) return true;
    auto any = [&](auto&& pred) {
      for (std::string_view k : keys) {
        if (pred(k)) return true;
      }
      return false;
    };
    bool encrypted = true;
    if (!unencrypted_suffix_.empty() &&
        any([&](std::string_view k) { return k.ends_with(unencrypted_suffix_); })) {
      encrypted = false;
    }
    if (!encrypted_suffix_.empty()) {
      encrypted = any([&](std::string_view k) { return k.ends_with(encrypted_suffix_); });
    }
    if (unencrypted_regex_ &&
        any([&](std::string_view k) { return RE2::PartialMatch(k, *unencrypted_regex_); })) {
      encrypted = false;
    }
    if (encrypted_regex_) {
      encrypted = any([&](std::string_view k) { return RE2::PartialMatch(k, *encrypted_regex_); });
    }
    return encrypted;
  }

 private:
  bool Compile(const std::string& pattern, std::unique_ptr<RE2>& out) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern, options);
    if (!re->ok()) {
      encrypt_everything_ = true;
      return false;
    }
    out = std::move(re);
    return true;
  }

  std::string unencrypted_suffix_;
  std::string encrypted_suffix_;
  std::unique_ptr<RE2> unencrypted_regex_;
  std::unique_ptr<RE2> encrypted_regex_;
  bool encrypt_everything_ = false;
};

// The selection rules and metadata checks shared by the YAML and dotenv forms: `get` returns
// the scalar text of a metadata field, or nullopt when it is absent (or not a scalar).
template <typename Get, typename Report>
Selection ReadMetadata(Get&& get, Report&& report) {
  auto check = [&](const char* field, auto&& valid, const char* what) {
    std::optional<std::string> v = get(field);
    if (!v) {
      report(field, std::string("sops.") + field + " is missing");
    } else if (!valid(*v)) {
      report(field, std::string("sops.") + field + " is not " + what);
    }
  };
  check("version", IsVersion, "a version number");
  check("lastmodified", IsRfc3339, "an RFC 3339 time");
  {
    std::optional<std::string> mac = get("mac");
    if (!mac) {
      report("mac", "sops.mac is missing");
    } else if (std::optional<std::string> why = SopsValueProblem(*mac)) {
      report("mac", "sops.mac: " + *why);
    }
  }
  Selection sel;
  if (auto s = get("unencrypted_suffix"); s && !s->empty()) sel.set_unencrypted_suffix(*s);
  if (auto s = get("encrypted_suffix"); s && !s->empty()) sel.set_encrypted_suffix(*s);
  for (const char* field : {"unencrypted_regex", "encrypted_regex"}) {
    std::optional<std::string> s = get(field);
    if (!s || s->empty()) continue;
    bool ok = std::string_view(field) == "encrypted_regex" ? sel.set_encrypted_regex(*s)
                                                           : sel.set_unencrypted_regex(*s);
    if (!ok) report(field, std::string("sops.") + field + " is not a valid regular expression");
  }
  if (!sel.has_rule()) sel.set_unencrypted_suffix(std::string(kDefaultUnencryptedSuffix));
  return sel;
}

class YamlChecker {
 public:
  YamlChecker(const yaml::Document& doc, const Selection& sel, std::vector<SopsProblem>& out)
      : doc_(doc), sel_(sel), out_(out) {}

  void Walk(yaml::NodeId id, std::vector<std::string_view>& keys, std::vector<std::string>& path) {
    const yaml::Node& n = doc_.node(id);
    yaml::NodeId target = doc_.Resolve(id);
    const yaml::Node& t = doc_.node(target);
    if (n.type == yaml::NodeType::kAlias && t.type != yaml::NodeType::kScalar) {
      return;  // the anchored collection is checked where it stands; expanding risks a bomb
    }
    switch (t.type) {
      case yaml::NodeType::kMapping:
        for (std::size_t i = 0; i + 1 < t.children.size(); i += 2) {
          const std::string* key = doc_.ScalarValue(t.children[i]);
          std::string_view k = key ? std::string_view(*key) : std::string_view();
          keys.push_back(k);
          path.emplace_back(k);
          Walk(t.children[i + 1], keys, path);
          path.pop_back();
          keys.pop_back();
        }
        break;
      case yaml::NodeType::kSequence:
        for (std::size_t i = 0; i < t.children.size(); ++i) {
          path.push_back(std::to_string(i));
          Walk(t.children[i], keys, path);
          path.pop_back();
        }
        break;
      case yaml::NodeType::kScalar:
        if (!t.value.empty() && sel_.Encrypted(keys)) {
          if (std::optional<std::string> why = SopsValueProblem(t.value)) {
            out_.push_back(SopsProblem{id, path, std::move(*why)});
          }
        }
        break;
      case yaml::NodeType::kNull:
      case yaml::NodeType::kAlias:
        break;
    }
  }

 private:
  const yaml::Document& doc_;
  const Selection& sel_;
  std::vector<SopsProblem>& out_;
};

}  // namespace

std::optional<std::string> SopsValueProblem(std::string_view value) {
  constexpr std::string_view kPrefix = "ENC[";
  if (!value.starts_with(kPrefix)) return "value is not encrypted";
  const std::string bad = "value is a malformed sops value: ";
  if (!value.ends_with("]")) return bad + "no closing bracket";
  std::string_view body = value.substr(kPrefix.size(), value.size() - kPrefix.size() - 1);
  std::array<std::string_view, 5> parts;
  std::size_t count = 0;
  while (count < parts.size()) {
    std::size_t comma = body.find(',');
    parts[count++] = body.substr(0, comma);
    if (comma == std::string_view::npos) {
      body = {};
      break;
    }
    body.remove_prefix(comma + 1);
  }
  if (count != parts.size() || !body.empty()) return bad + "wrong number of fields";
  if (parts[0] != "AES256_GCM") return bad + "cipher is not AES256_GCM";
  static constexpr std::array<std::string_view, 4> kNames = {"data:", "iv:", "tag:", "type:"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (!parts[i + 1].starts_with(kNames[i])) {
      return bad + "field " + std::string(kNames[i].substr(0, kNames[i].size() - 1)) +
             " is missing";
    }
    parts[i + 1].remove_prefix(kNames[i].size());
  }
  if (auto why = Base64Field(parts[1], 1, std::string_view::npos, "data")) return why;
  if (auto why = Base64Field(parts[2], 12, 64, "iv")) return why;
  if (auto why = Base64Field(parts[3], 16, 16, "tag")) return why;
  std::string_view type = parts[4];
  if (type != "str" && type != "int" && type != "float" && type != "bool" && type != "bytes") {
    return bad + "type is not one of str, int, float, bool, bytes";
  }
  return std::nullopt;
}

bool IsSopsValue(std::string_view value) { return !SopsValueProblem(value).has_value(); }

SopsVerdict VerifySops(const yaml::Document& doc) {
  SopsVerdict verdict;
  yaml::NodeId root = doc.root();
  if (root == yaml::kNoNode) return verdict;
  root = doc.Resolve(root);
  if (doc.node(root).type != yaml::NodeType::kMapping) return verdict;
  yaml::NodeId meta = doc.Get(root, "sops");
  if (meta == yaml::kNoNode) return verdict;
  meta = doc.Resolve(meta);
  if (doc.node(meta).type != yaml::NodeType::kMapping) return verdict;
  yaml::NodeId sops_key = doc.GetKey(root, "sops");

  std::vector<SopsProblem> problems;
  auto get = [&](const char* field) -> std::optional<std::string> {
    const std::string* v = doc.ScalarValue(doc.Get(meta, field));
    if (v == nullptr) return std::nullopt;
    return *v;
  };
  auto report = [&](const char* field, std::string message) {
    yaml::NodeId at = doc.Get(meta, field);
    problems.push_back(
        SopsProblem{at == yaml::kNoNode ? sops_key : at, {"sops", field}, std::move(message)});
  };
  Selection sel = ReadMetadata(get, report);

  YamlChecker checker(doc, sel, problems);
  const yaml::Node& r = doc.node(root);
  std::vector<std::string_view> keys;
  std::vector<std::string> path;
  for (std::size_t i = 0; i + 1 < r.children.size(); i += 2) {
    if (r.children[i] == sops_key) continue;
    const std::string* key = doc.ScalarValue(r.children[i]);
    std::string_view k = key ? std::string_view(*key) : std::string_view();
    keys.assign(1, k);
    path.assign(1, std::string(k));
    checker.Walk(r.children[i + 1], keys, path);
  }
  // Metadata problems were found first but sit at the end of the file; keep document order.
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const SopsProblem& a, const SopsProblem& b) {
                     return doc.node(a.node).pos.offset < doc.node(b.node).pos.offset;
                   });
  verdict.state = problems.empty() ? SopsState::kEncrypted : SopsState::kBroken;
  verdict.problems = std::move(problems);
  return verdict;
}

SopsDotenvVerdict VerifySopsDotenv(std::string_view text) {
  struct Line {
    int number;
    std::string_view key;
    std::string_view value;
    int value_column;
  };
  std::vector<Line> entries;
  int number = 0;
  while (!text.empty()) {
    ++number;
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    entries.push_back(
        Line{number, line.substr(0, eq), line.substr(eq + 1), static_cast<int>(eq) + 2});
  }

  SopsDotenvVerdict verdict;
  auto find = [&](std::string_view field) -> const Line* {
    for (const Line& e : entries) {
      if (e.key.starts_with("sops_") && e.key.substr(5) == field) return &e;
    }
    return nullptr;
  };
  if (!find("mac") && !find("version") && !find("lastmodified")) return verdict;

  auto get = [&](const char* field) -> std::optional<std::string> {
    const Line* e = find(field);
    if (e == nullptr) return std::nullopt;
    return std::string(e->value);
  };
  auto report = [&](const char* field, std::string message) {
    const Line* e = find(field);
    if (e == nullptr) {
      // A missing field is reported where the metadata block starts.
      for (const Line& m : entries) {
        if (m.key.starts_with("sops_")) {
          verdict.problems.push_back(
              SopsLineProblem{m.number, 1, std::string("sops_") + field, std::move(message)});
          return;
        }
      }
    }
    verdict.problems.push_back(SopsLineProblem{e ? e->number : 1, e ? e->value_column : 1,
                                               std::string("sops_") + field, std::move(message)});
  };
  Selection sel = ReadMetadata(get, report);
  std::vector<std::string_view> keys(1);
  for (const Line& e : entries) {
    if (e.key.starts_with("sops_") || e.value.empty()) continue;
    keys[0] = e.key;
    if (!sel.Encrypted(keys)) continue;
    if (std::optional<std::string> why = SopsValueProblem(e.value)) {
      verdict.problems.push_back(
          SopsLineProblem{e.number, e.value_column, std::string(e.key), std::move(*why)});
    }
  }
  std::stable_sort(
      verdict.problems.begin(), verdict.problems.end(),
      [](const SopsLineProblem& a, const SopsLineProblem& b) { return a.line < b.line; });
  verdict.state = verdict.problems.empty() ? SopsState::kEncrypted : SopsState::kBroken;
  return verdict;
}

}  // namespace capstan::secrets
