#include "image/tag_select.h"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "core/glob.h"
#include "core/strings.h"
#include "semver/constraint.h"
#include "semver/version.h"

namespace capstan::image {
namespace {

using Created = std::map<std::string, std::chrono::system_clock::time_point>;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// RE2's error text ends with the offending part of the pattern, which can be all of it.
std::string RegexError(const RE2& re) {
  const std::string& arg = re.error_arg();
  const std::string& text = re.error();
  if (arg.empty() || !text.ends_with(": " + arg)) return text;
  return text.substr(0, text.size() - arg.size()) + QuoteForMessage(arg, kQuotePartLimit);
}

// Turns Flux's Go-style template ("$1", "${1}", "$name", "${name}", "$$") into RE2 rewrite
// syntax; RE2's own "\\N" passes through. RE2 rewrites reach \9 at most.
Result<std::string> ToRewrite(std::string_view tmpl, const RE2& re) {
  auto invalid = [&](std::string_view why) {
    return Status::InvalidArgument("invalid extract template " + QuoteForMessage(tmpl) + ": " +
                                   std::string(why));
  };
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c == '\\') {
      if (i + 1 == tmpl.size()) return invalid("trailing '\\'");
      char next = tmpl[++i];
      if (next == '\\') {
        out += "\\\\";
        continue;
      }
      if (!IsDigit(next)) return invalid("'\\' must be followed by a digit or '\\'");
      if (next - '0' > re.NumberOfCapturingGroups()) {
        return invalid("no group " + QuoteForMessage(std::string(1, next)));
      }
      out += c;
      out += next;
      continue;
    }
    if (c != '$') {
      out += c;
      continue;
    }
    if (i + 1 < tmpl.size() && tmpl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string_view name;
    if (i + 1 < tmpl.size() && tmpl[i + 1] == '{') {
      std::size_t close = tmpl.find('}', i + 2);
      if (close == std::string_view::npos) return invalid("unterminated '${'");
      name = tmpl.substr(i + 2, close - i - 2);
      i = close;
    } else {
      std::size_t end = i + 1;
      while (end < tmpl.size() && IsNameChar(tmpl[end])) ++end;
      name = tmpl.substr(i + 1, end - i - 1);
      i = end - 1;
    }
    if (name.empty()) return invalid("'$' without a group");
    int group = -1;
    if (std::all_of(name.begin(), name.end(), IsDigit)) {
      group = 0;
      for (char d : name) group = std::min(group * 10 + (d - '0'), 100);
    } else {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      if (it == re.NamedCapturingGroups().end()) {
        return invalid("no group named " + QuoteForMessage(name, kQuotePartLimit));
      }
      group = it->second;
    }
    if (group > re.NumberOfCapturingGroups())
      return invalid("no group " + QuoteForMessage(name, kQuotePartLimit));
    if (group > 9)
      return invalid("group " + QuoteForMessage(name, kQuotePartLimit) + " is past \\9");
    out += '\\';
    out += static_cast<char>('0' + group);
  }
  std::string error;
  if (!re.CheckRewriteString(out, &error)) return invalid(error);
  return out;
}

// The allow-tags regex and extract template, compiled once.
struct Filter {
  std::unique_ptr<RE2> re;  // null: any tag
  std::string rewrite;      // empty: the whole tag is the key

  static Result<Filter> Compile(const TagPolicy& policy) {
    Filter f;
    if (!policy.extract.empty() && policy.allow_regex.empty()) {
      return Status::InvalidArgument("extract needs allow-tags");
    }
    if (policy.allow_regex.empty()) return f;
    RE2::Options options;
    options.set_log_errors(false);
    f.re = std::make_unique<RE2>(policy.allow_regex, options);
    if (!f.re->ok()) {
      return Status::InvalidArgument("invalid allow-tags regex " +
                                     QuoteForMessage(policy.allow_regex) + ": " +
                                     RegexError(*f.re));
    }
    if (!policy.extract.empty()) {
      Result<std::string> rewrite = ToRewrite(policy.extract, *f.re);
      if (!rewrite.ok()) return rewrite.status();
      f.rewrite = std::move(rewrite).value();
    }
    return f;
  }

  // The key for tag, or nullopt when the regex does not admit it.
  std::optional<std::string> Key(std::string_view tag) const {
    if (!re) return std::string(tag);
    if (rewrite.empty()) {
      if (!RE2::PartialMatch(tag, *re)) return std::nullopt;
      return std::string(tag);
    }
    std::string key;
    if (!RE2::Extract(tag, *re, rewrite, &key)) return std::nullopt;
    return key;
  }
};

Result<std::optional<semver::Constraint>> CompileConstraint(const std::string& text) {
  if (text.empty()) return std::optional<semver::Constraint>();
  Result<semver::Constraint> c = semver::ParseConstraint(text);
  if (!c.ok()) {
    // lib/semver already names the text; restate it as the policy's field.
    std::string prefix = "invalid constraint " + QuoteForMessage(text) + ": ";
    const std::string& message = c.status().message();
    std::string why = message.starts_with(prefix) ? message.substr(prefix.size()) : message;
    return Status::InvalidArgument("invalid semver constraint " + QuoteForMessage(text) + ": " +
                                   why);
  }
  return std::optional<semver::Constraint>(std::move(c).value());
}

// A decimal number kept as digits so any length compares exactly.
struct Number {
  bool negative = false;
  std::string integer;   // no leading zeros; "" is 0
  std::string fraction;  // no trailing zeros
};

std::optional<Number> ParseNumber(std::string_view s) {
  Number n;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    n.negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::size_t dot = s.find('.');
  std::string_view integer = s.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (integer.empty() && fraction.empty()) return std::nullopt;
  if (!std::all_of(integer.begin(), integer.end(), IsDigit) ||
      !std::all_of(fraction.begin(), fraction.end(), IsDigit)) {
    return std::nullopt;
  }
  while (!integer.empty() && integer.front() == '0') integer.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  n.integer = integer;
  n.fraction = fraction;
  if (n.integer.empty() && n.fraction.empty()) n.negative = false;  // -0 is 0
  return n;
}

int CompareMagnitude(const Number& a, const Number& b) {
  if (a.integer.size() != b.integer.size()) return a.integer.size() < b.integer.size() ? -1 : 1;
  if (int c = a.integer.compare(b.integer); c != 0) return c < 0 ? -1 : 1;
  if (int c = a.fraction.compare(b.fraction); c != 0) return c < 0 ? -1 : 1;
  return 0;
}

int CompareNumbers(const Number& a, const Number& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int c = CompareMagnitude(a, b);
  return a.negative ? -c : c;
}

template <typename T>
int ThreeWay(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

struct Candidate {
  RankedTag ranked;
  std::optional<semver::Version> version;
  std::optional<Number> number;
  std::chrono::system_clock::time_point created;
};

// The semver range a candidate must satisfy: none when only the order matters.
struct Range {
  bool check = false;
  const semver::Constraint* constraint = nullptr;  // null with check: any stable version
};

// Builds the comparable form of the key for the strategy; false when the strategy drops it.
bool Prepare(Strategy strategy, const Range& range, const Created& created, Candidate* c) {
  switch (strategy) {
    case Strategy::kSemver: {
      Result<semver::Version> v = semver::ParseCoerce(c->ranked.key);
      if (!v.ok()) return false;
      if (range.check &&
          (range.constraint ? !range.constraint->Check(*v) : !v->prerelease().empty())) {
        return false;
      }
      c->version = std::move(v).value();
      return true;
    }
    case Strategy::kNumerical:
      c->number = ParseNumber(c->ranked.key);
      return c->number.has_value();
    case Strategy::kNewestBuild: {
      auto it = created.find(c->ranked.tag);
      if (it == created.end()) return false;
      c->created = it->second;
      return true;
    }
    case Strategy::kDigest:
    case Strategy::kAlphabetical:
      return true;
  }
  return false;
}

// -1, 0 or 1 as a is older, as new as, or newer than b under the strategy.
int CompareKeys(Strategy strategy, const Candidate& a, const Candidate& b) {
  switch (strategy) {
    case Strategy::kSemver:
      return semver::Compare(*a.version, *b.version);
    case Strategy::kNumerical:
      return CompareNumbers(*a.number, *b.number);
    case Strategy::kNewestBuild:
      return ThreeWay(a.created, b.created);
    case Strategy::kDigest:
    case Strategy::kAlphabetical:
      return ThreeWay(a.ranked.key, b.ranked.key);
  }
  return 0;
}

bool Ignored(const TagPolicy& policy, std::string_view tag) {
  return std::any_of(policy.ignore_tags.begin(), policy.ignore_tags.end(),
                     [&](const std::string& glob) { return GlobMatch(glob, tag); });
}

}  // namespace

Result<Strategy> ParseStrategy(std::string_view name) {
  if (name == "semver") return Strategy::kSemver;
  if (name == "newest-build" || name == "latest") return Strategy::kNewestBuild;
  if (name == "digest") return Strategy::kDigest;
  if (name == "alphabetical" || name == "name") return Strategy::kAlphabetical;
  if (name == "numerical") return Strategy::kNumerical;
  return Status::InvalidArgument("unknown update strategy " + QuoteForMessage(name) +
                                 ": expected semver, newest-build, digest, alphabetical or "
                                 "numerical");
}

const char* StrategyName(Strategy strategy) {
  switch (strategy) {
    case Strategy::kSemver:
      return "semver";
    case Strategy::kNewestBuild:
      return "newest-build";
    case Strategy::kDigest:
      return "digest";
    case Strategy::kAlphabetical:
      return "alphabetical";
    case Strategy::kNumerical:
      return "numerical";
  }
  return "semver";
}

Status ValidatePolicy(const TagPolicy& policy) {
  if (policy.strategy == Strategy::kDigest && policy.constraint.empty()) {
    return Status::InvalidArgument("digest strategy needs the tag to follow");
  }
  if (policy.strategy == Strategy::kSemver) {
    Result<std::optional<semver::Constraint>> c = CompileConstraint(policy.constraint);
    if (!c.ok()) return c.status();
  }
  Result<Filter> filter = Filter::Compile(policy);
  if (!filter.ok()) return filter.status();
  for (const std::string& glob : policy.ignore_tags) CAPSTAN_RETURN_IF_ERROR(CheckGlob(glob));
  return Status::Ok();
}

std::vector<RankedTag> RankTags(const TagPolicy& policy, const std::vector<std::string>& tags,
                                const Created& created) {
  if (!ValidatePolicy(policy).ok()) return {};
  Result<Filter> filter = Filter::Compile(policy);
  if (!filter.ok()) return {};
  std::optional<semver::Constraint> constraint;
  if (policy.strategy == Strategy::kSemver) {
    Result<std::optional<semver::Constraint>> c = CompileConstraint(policy.constraint);
    if (!c.ok()) return {};
    constraint = std::move(c).value();
  }
  Range range{true, constraint ? &*constraint : nullptr};
  std::vector<Candidate> candidates;
  for (const std::string& tag : tags) {
    if (policy.strategy == Strategy::kDigest && tag != policy.constraint) continue;
    if (Ignored(policy, tag)) continue;
    std::optional<std::string> key = filter->Key(tag);
    if (!key) continue;
    Candidate c;
    c.ranked = RankedTag{tag, std::move(*key)};
    if (Prepare(policy.strategy, range, created, &c)) candidates.push_back(std::move(c));
  }
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    int c = CompareKeys(policy.strategy, a, b);
    if (c != 0) return c > 0;
    return a.ranked.tag > b.ranked.tag;
  });
  candidates.erase(std::unique(candidates.begin(), candidates.end(),
                               [](const Candidate& a, const Candidate& b) {
                                 return a.ranked.tag == b.ranked.tag;
                               }),
                   candidates.end());
  std::vector<RankedTag> ranked;
  ranked.reserve(candidates.size());
  for (Candidate& c : candidates) ranked.push_back(std::move(c.ranked));
  return ranked;
}

bool IsForward(const TagPolicy& policy, std::string_view current, std::string_view candidate,
               const Created& created) {
  Strategy strategy = policy.strategy;
  if (strategy == Strategy::kDigest) return true;
  if (strategy == Strategy::kNewestBuild) {
    auto cur = created.find(std::string(current));
    if (cur == created.end()) return true;
    auto cand = created.find(std::string(candidate));
    return cand != created.end() && cand->second > cur->second;
  }
  Result<Filter> filter = Filter::Compile(policy);
  if (!filter.ok()) return false;
  std::optional<std::string> cand_key = filter->Key(candidate);
  if (!cand_key) return false;
  Candidate cand{RankedTag{std::string(candidate), std::move(*cand_key)}, {}, {}, {}};
  // The constraint was applied when ranking; here only the order matters.
  if (!Prepare(strategy, Range{}, created, &cand)) return false;
  std::optional<std::string> cur_key = filter->Key(current);
  if (!cur_key) return true;
  Candidate cur{RankedTag{std::string(current), std::move(*cur_key)}, {}, {}, {}};
  if (!Prepare(strategy, Range{}, created, &cur)) return true;
  return CompareKeys(strategy, cand, cur) > 0;
}

}  // namespace capstan::image
