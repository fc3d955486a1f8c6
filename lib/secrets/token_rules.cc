#include "secrets/token_rules.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>

#include "core/strings.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::secrets {
namespace {

bool KnownSeverity(std::string_view s) { return s == "error" || s == "warning" || s == "note"; }

std::string KeywordPattern(const std::vector<std::string>& keywords) {
  std::string pattern;
  for (const std::string& k : keywords) {
    if (!pattern.empty()) pattern += '|';
    pattern += RE2::QuoteMeta(k);
  }
  return pattern;
}

Status AtLine(const yaml::Position& pos, const std::string& message) {
  return Status::InvalidArgument("line " + std::to_string(pos.line) + ": " + message);
}

constexpr std::string_view kRuleKeys[] = {"id",       "description", "regex",
                                          "keywords", "entropy",     "severity"};

// One `rules:` item. Keys are checked on the YAML nodes (for their lines), values on the JSON
// form (for go-yaml typing, so `entropy: 3` and `entropy: 3.5` are both numbers).
Result<Rule> ParseRule(const yaml::Document& doc, yaml::NodeId id) {
  const yaml::Node& item = doc.node(id);
  if (item.type != yaml::NodeType::kMapping) return AtLine(item.pos, "a rule must be a mapping");
  for (std::size_t k = 0; k < item.children.size(); k += 2) {
    const std::string* key = doc.ScalarValue(item.children[k]);
    if (key == nullptr ||
        std::find(std::begin(kRuleKeys), std::end(kRuleKeys), *key) == std::end(kRuleKeys)) {
      return AtLine(doc.node(item.children[k]).pos,
                    "unknown key " + QuoteForMessage(key ? *key : std::string("?")) + " in rule");
    }
  }
  yaml::ConvertError error;
  std::optional<nlohmann::json> j = yaml::ToJson(doc, id, yaml::Limits{}, &error);
  if (!j) return AtLine(error.pos, error.message);
  auto field_pos = [&](std::string_view key) { return doc.node(doc.GetKey(id, key)).pos; };

  Rule rule;
  if (!j->contains("id") || !(*j)["id"].is_string() || (*j)["id"].get<std::string>().empty()) {
    return AtLine(j->contains("id") ? field_pos("id") : item.pos, "a rule needs a string 'id'");
  }
  rule.id = (*j)["id"].get<std::string>();
  if (!j->contains("regex") || !(*j)["regex"].is_string()) {
    return AtLine(j->contains("regex") ? field_pos("regex") : item.pos,
                  "rule " + QuoteForMessage(rule.id) + " needs a string 'regex'");
  }
  rule.regex = (*j)["regex"].get<std::string>();
  if (j->contains("description")) {
    if (!(*j)["description"].is_string())
      return AtLine(field_pos("description"), "'description' must be a string");
    rule.description = (*j)["description"].get<std::string>();
  }
  if (j->contains("keywords")) {
    const nlohmann::json& kw = (*j)["keywords"];
    if (!kw.is_array())
      return AtLine(field_pos("keywords"), "'keywords' must be a list of strings");
    for (const nlohmann::json& k : kw) {
      if (!k.is_string())
        return AtLine(field_pos("keywords"), "'keywords' must be a list of strings");
      rule.keywords.push_back(k.get<std::string>());
    }
  }
  if (j->contains("entropy")) {
    const nlohmann::json& e = (*j)["entropy"];
    if (!e.is_number() || e.get<double>() < 0) {
      return AtLine(field_pos("entropy"),
                    "'entropy' must be a number of bits per character, 0 or more");
    }
    rule.min_entropy = e.get<double>();
  }
  if (j->contains("severity")) {
    const nlohmann::json& s = (*j)["severity"];
    if (!s.is_string() || !KnownSeverity(s.get<std::string>())) {
      return AtLine(field_pos("severity"), "'severity' must be error, warning or note");
    }
    rule.severity = s.get<std::string>();
  }
  return rule;
}

}  // namespace

const char* ConfidenceName(Confidence c) { return c == Confidence::kHigh ? "high" : "low"; }

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double bits = 0;
  const double n = static_cast<double>(s.size());
  for (std::size_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / n;
    bits -= p * std::log2(p);
  }
  return bits;
}

TokenScanner::TokenScanner(TokenScanner&&) noexcept = default;
TokenScanner& TokenScanner::operator=(TokenScanner&&) noexcept = default;
TokenScanner::~TokenScanner() = default;

Result<TokenScanner> TokenScanner::Create(std::vector<Rule> rules,
                                          std::vector<std::string> extra_keywords) {
  TokenScanner s;
  // Parsing is cheap where compiling is not: a scratch set parses each regex without compiling.
  RE2::Options syntax_options;
  syntax_options.set_log_errors(false);
  RE2::Set syntax(syntax_options, RE2::UNANCHORED);
  RE2::Options set_options;
  set_options.set_case_sensitive(false);
  set_options.set_log_errors(false);
  // The set is the cost paid on every text; give its DFA room so it never falls back.
  set_options.set_max_mem(64 << 20);
  auto unicode_set = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  std::vector<std::string> ascii_keywords;
  std::set<std::string, std::less<>> ids;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    Rule& r = rules[i];
    if (r.id.empty())
      return Status::InvalidArgument("rule " + std::to_string(i + 1) + ": empty id");
    if (!ids.insert(r.id).second)
      return Status::InvalidArgument("rule " + QuoteForMessage(r.id) + ": duplicate id");
    if (!KnownSeverity(r.severity)) {
      return Status::InvalidArgument("rule " + QuoteForMessage(r.id) + ": unknown severity " +
                                     QuoteForMessage(r.severity) +
                                     " (want error, warning or note)");
    }
    std::string regex_error;
    if (!r.known_good && syntax.Add(r.regex, &regex_error) < 0)
      return Status::InvalidArgument("rule " + QuoteForMessage(r.id) +
                                     ": invalid regex: " + regex_error);
    for (std::string& k : r.keywords) {
      std::transform(k.begin(), k.end(), k.begin(),
                     [](unsigned char c) { return std::tolower(c); });
    }
    std::erase(r.keywords, std::string());
    if (r.keywords.empty()) {
      s.always_.push_back(i);
    } else if (std::all_of(r.keywords.begin(), r.keywords.end(), KeywordFilter::Accepts)) {
      for (const std::string& k : r.keywords) {
        ascii_keywords.push_back(k);
        s.keyword_to_rule_.push_back(i);
      }
    } else {
      std::string error;
      if (unicode_set->Add(KeywordPattern(r.keywords), &error) < 0) {
        return Status::InvalidArgument("rule " + QuoteForMessage(r.id) +
                                       ": bad keywords: " + error);
      }
      s.set_to_rule_.push_back(i);
    }
  }
  s.extra_count_ = extra_keywords.size();
  ascii_keywords.insert(ascii_keywords.end(), extra_keywords.begin(), extra_keywords.end());
  if (!ascii_keywords.empty()) s.keywords_ = std::make_unique<KeywordFilter>(ascii_keywords);
  if (!s.set_to_rule_.empty()) {
    if (!unicode_set->Compile())
      return Status::Internal("cannot compile the keyword prefilter: out of memory");
    s.unicode_set_ = std::move(unicode_set);
  }
  s.regexes_.resize(rules.size());
  s.compiled_ = std::make_unique<std::once_flag[]>(rules.size());
  s.rules_ = std::move(rules);
  return s;
}

const RE2& TokenScanner::Regex(std::size_t i) const {
  std::call_once(compiled_[i], [&] {
    RE2::Options options;
    options.set_log_errors(false);
    regexes_[i] = std::make_unique<RE2>(rules_[i].regex, options);
  });
  return *regexes_[i];
}

std::vector<TokenMatch> TokenScanner::Scan(std::string_view text,
                                           std::vector<bool>* extra_seen) const {
  std::vector<std::size_t> candidates = always_;
  if (extra_seen != nullptr) extra_seen->assign(extra_count_, false);
  if (keywords_) {
    for (std::size_t k : keywords_->Find(text)) {
      if (k < keyword_to_rule_.size()) {
        candidates.push_back(keyword_to_rule_[k]);
      } else if (extra_seen != nullptr) {
        (*extra_seen)[k - keyword_to_rule_.size()] = true;
      }
    }
  }
  if (unicode_set_) {
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{};
    if (unicode_set_->Match(re2::StringPiece(text.data(), text.size()), &hits, &info)) {
      for (int h : hits) candidates.push_back(set_to_rule_[static_cast<std::size_t>(h)]);
    } else if (info.kind != RE2::Set::kNoError) {
      // Better slow than silent: a prefilter failure must not read as "no secrets".
      candidates.insert(candidates.end(), set_to_rule_.begin(), set_to_rule_.end());
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  std::vector<TokenMatch> out;
  const re2::StringPiece piece(text.data(), text.size());
  for (std::size_t i : candidates) {
    const Rule& rule = rules_[i];
    const RE2& re = Regex(i);
    if (!re.ok()) continue;
    const int nsub = 1 + re.NumberOfCapturingGroups();
    std::vector<re2::StringPiece> groups(static_cast<std::size_t>(nsub));
    std::size_t pos = 0;
    while (pos <= text.size() &&
           re.Match(piece, pos, text.size(), RE2::UNANCHORED, groups.data(), nsub)) {
      const re2::StringPiece whole = groups[0];
      const std::size_t end = static_cast<std::size_t>(whole.data() - text.data()) + whole.size();
      pos = whole.empty() ? end + 1 : end;
      re2::StringPiece secret = whole;
      for (std::size_t g = 1; g < groups.size(); ++g) {
        if (groups[g].data() != nullptr) {
          secret = groups[g];
          break;
        }
      }
      if (secret.empty()) continue;
      const std::string_view value(secret.data(), secret.size());
      if (rule.min_entropy > 0 && ShannonEntropy(value) < rule.min_entropy) continue;
      Confidence confidence = Confidence::kHigh;
      if (rule.verify != nullptr) {
        std::optional<Confidence> verdict = rule.verify(value);
        if (!verdict) continue;
        confidence = *verdict;
      }
      out.push_back({rule.id, static_cast<std::size_t>(value.data() - text.data()), value.size(),
                     confidence, rule.severity});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TokenMatch& a, const TokenMatch& b) { return a.offset < b.offset; });
  return out;
}

Result<std::vector<Rule>> ParseRuleFile(std::string_view yaml_text) {
  yaml::ParsedFile file = yaml::Parse(yaml_text);
  if (!file.issues.empty()) return AtLine(file.issues[0].pos, file.issues[0].message);
  if (file.documents.size() > 1)
    return AtLine(file.documents[1].start(), "a rule file holds one document");
  std::vector<Rule> rules;
  if (file.documents.empty() || file.documents[0].root() == yaml::kNoNode) return rules;
  const yaml::Document& doc = file.documents[0];
  const yaml::Node& root = doc.node(doc.root());
  if (root.type != yaml::NodeType::kMapping)
    return AtLine(root.pos, "a rule file must be a mapping with 'rules'");
  for (std::size_t k = 0; k < root.children.size(); k += 2) {
    const std::string* key = doc.ScalarValue(root.children[k]);
    if (key == nullptr || *key != "rules") {
      return AtLine(doc.node(root.children[k]).pos,
                    "unknown key " + QuoteForMessage(key ? *key : std::string("?")));
    }
  }
  const yaml::NodeId list_id = doc.Get(doc.root(), "rules");
  if (list_id == yaml::kNoNode || doc.node(list_id).type == yaml::NodeType::kNull) return rules;
  const yaml::Node& list = doc.node(doc.Resolve(list_id));
  if (list.type != yaml::NodeType::kSequence) return AtLine(list.pos, "'rules' must be a list");
  for (yaml::NodeId item : list.children) {
    Result<Rule> rule = ParseRule(doc, doc.Resolve(item));
    if (!rule.ok()) return rule.status();
    rules.push_back(std::move(rule).value());
  }
  // Reports bad regexes and duplicate ids by rule id, exactly as the scanner will, and compiles
  // each regex in full (the scanner compiles on first use).
  Result<TokenScanner> check = TokenScanner::Create(rules);
  if (!check.ok()) return check.status();
  for (const Rule& r : rules) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(r.regex, options);
    if (!re.ok())
      return Status::InvalidArgument("rule " + QuoteForMessage(r.id) +
                                     ": invalid regex: " + re.error());
  }
  return rules;
}

}  // namespace capstan::secrets
