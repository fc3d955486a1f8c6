#include "semver/constraint.h"

#include <utility>

#include "core/strings.h"

namespace capstan::semver {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Masterminds' character class [0-9|x|X|\*] admits '|' as well.
bool IsPartChar(char c) { return IsDigit(c) || c == 'x' || c == 'X' || c == '*' || c == '|'; }
bool IsIdentChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool IsWildcard(std::string_view s) { return s == "x" || s == "X" || s == "*"; }

size_t SkipSpaces(std::string_view s, size_t pos) {
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  return pos;
}

// A version as a constraint writes it: v?N(.N)?(.N)?(-PRE)?(+META)? where N may be a wildcard.
struct VersionText {
  size_t end = 0;
  std::string_view text;
  std::string_view major;
  std::string_view minor;  // without the '.'; empty when absent
  std::string_view patch;
  std::string_view pre;  // with the leading '-'; empty when absent
};

// Matches the longest such version starting exactly at pos.
std::optional<VersionText> MatchVersionText(std::string_view s, size_t pos) {
  VersionText m;
  size_t start = pos;
  if (pos < s.size() && s[pos] == 'v') ++pos;
  auto part = [&](size_t from) {
    size_t p = from;
    while (p < s.size() && IsPartChar(s[p])) ++p;
    return p;
  };
  size_t end = part(pos);
  if (end == pos) return std::nullopt;
  m.major = s.substr(pos, end - pos);
  pos = end;
  for (std::string_view* field : {&m.minor, &m.patch}) {
    if (pos < s.size() && s[pos] == '.' && (end = part(pos + 1)) > pos + 1) {
      *field = s.substr(pos + 1, end - pos - 1);
      pos = end;
    } else {
      break;
    }
  }
  // -PRE and +META: dot-separated non-empty identifiers.
  auto identifiers = [&](size_t from) {
    size_t p = from;
    while (true) {
      size_t q = p;
      while (q < s.size() && IsIdentChar(s[q])) ++q;
      if (q == p) return p == from ? from : p - 1;
      p = q;
      if (p < s.size() && s[p] == '.') {
        ++p;
      } else {
        return p;
      }
    }
  };
  if (pos < s.size() && s[pos] == '-' && (end = identifiers(pos + 1)) > pos + 1) {
    m.pre = s.substr(pos, end - pos);
    pos = end;
  }
  if (pos < s.size() && s[pos] == '+' && (end = identifiers(pos + 1)) > pos + 1) pos = end;
  m.end = pos;
  m.text = s.substr(start, pos - start);
  return m;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

class ConstraintParser {
 public:
  static Result<Comparator> Term(std::string_view op, const VersionText& vt,
                                 std::string_view full) {
    Comparator c;
    if (op.empty() || op == "=") {
      c.op_ = Comparator::Op::kTildeOrEqual;
    } else if (op == "!=") {
      c.op_ = Comparator::Op::kNotEqual;
    } else if (op == ">") {
      c.op_ = Comparator::Op::kGreater;
    } else if (op == "<") {
      c.op_ = Comparator::Op::kLess;
    } else if (op == ">=" || op == "=>") {
      c.op_ = Comparator::Op::kGreaterEqual;
    } else if (op == "<=" || op == "=<") {
      c.op_ = Comparator::Op::kLessEqual;
    } else if (op == "~" || op == "~>") {
      c.op_ = Comparator::Op::kTilde;
    } else {
      c.op_ = Comparator::Op::kCaret;
    }
    c.text_ = std::string(vt.text);
    std::string bound;
    c.dirty_ = true;
    if (IsWildcard(vt.major)) {
      bound = "0.0.0" + std::string(vt.pre);
    } else if (vt.minor.empty() || IsWildcard(vt.minor)) {
      c.minor_dirty_ = true;
      bound = std::string(vt.major) + ".0.0" + std::string(vt.pre);
    } else if (vt.patch.empty() || IsWildcard(vt.patch)) {
      c.patch_dirty_ = true;
      bound = std::string(vt.major) + "." + std::string(vt.minor) + ".0" + std::string(vt.pre);
    } else {
      c.dirty_ = false;
      bound = std::string(vt.text);
    }
    Result<Version> v = ParseCoerce(bound);
    if (!v.ok()) {
      return Status::InvalidArgument("invalid constraint " + QuoteForMessage(full) + ": " +
                                     QuoteForMessage(vt.text, kQuotePartLimit) +
                                     " is not a version");
    }
    c.bound_ = std::move(v).value();
    return c;
  }

  static Result<Comparator> Single(std::string_view text) {
    if (text.empty()) {
      Comparator c;
      c.bound_ = Version(0, 0, 0);
      return c;
    }
    size_t pos = SkipSpaces(text, 0);
    size_t op_end = OpEnd(text, pos);
    size_t vpos = SkipSpaces(text, op_end);
    std::optional<VersionText> vt = MatchVersionText(text, vpos);
    if (!vt || SkipSpaces(text, vt->end) != text.size()) {
      return Status::InvalidArgument("invalid constraint " + QuoteForMessage(text) +
                                     ": expected an operator and a version");
    }
    return Term(text.substr(pos, op_end - pos), *vt, text);
  }

  static Result<Constraint> Parse(std::string_view text, bool include_prerelease) {
    Constraint out;
    out.text_ = std::string(text);
    out.include_prerelease_ = include_prerelease;
    std::string rewritten = RewriteHyphenRanges(text);
    std::string_view rest = rewritten;
    while (true) {
      size_t bar = rest.find("||");
      CAPSTAN_RETURN_IF_ERROR(ParseGroup(rest.substr(0, bar), text, &out));
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 2);
    }
    return out;
  }

 private:
  static size_t OpEnd(std::string_view s, size_t pos) {
    static constexpr std::string_view kTwo[] = {"!=", ">=", "=>", "<=", "=<", "~>"};
    for (std::string_view op : kTwo) {
      if (s.substr(pos, 2) == op) return pos + 2;
    }
    if (pos < s.size() && std::string_view("><=~^").find(s[pos]) != std::string_view::npos)
      return pos + 1;
    return pos;
  }

  // "A - B" becomes ">= A, <= B " wherever it appears, as Masterminds does before anything else.
  static std::string RewriteHyphenRanges(std::string_view text) {
    std::string s(text);
    size_t i = 0;
    while (i < s.size()) {
      size_t p = SkipSpaces(s, i);
      std::optional<VersionText> lo = MatchVersionText(s, p);
      if (lo) {
        size_t q = SkipSpaces(s, lo->end);
        if (q > lo->end && q < s.size() && s[q] == '-') {
          size_t r = SkipSpaces(s, q + 1);
          std::optional<VersionText> hi;
          if (r > q + 1) hi = MatchVersionText(s, r);
          if (hi) {
            size_t end = SkipSpaces(s, hi->end);
            std::string repl =
                ">= " + std::string(lo->text) + ", <= " + std::string(hi->text) + " ";
            s.replace(i, end - i, repl);
            i += repl.size();
            continue;
          }
        }
      }
      ++i;
    }
    return s;
  }

  static Status ParseGroup(std::string_view group, std::string_view full, Constraint* out) {
    Constraint::Group g;
    size_t pos = SkipSpaces(group, 0);
    while (true) {
      size_t term_start = pos;
      size_t op_end = OpEnd(group, pos);
      std::optional<VersionText> vt = MatchVersionText(group, SkipSpaces(group, op_end));
      if (!vt) {
        std::string at(group.substr(term_start));
        return Status::InvalidArgument("invalid constraint " + QuoteForMessage(full) + ": " +
                                       (at.empty() ? std::string("expected a version at the end")
                                                   : "expected an operator and a version at " +
                                                         QuoteForMessage(at, kQuotePartLimit)));
      }
      Result<Comparator> c = Term(group.substr(term_start, op_end - term_start), *vt, full);
      if (!c.ok()) return c.status();
      g.has_prerelease = g.has_prerelease || c->HasPrerelease();
      g.terms.push_back(std::move(c).value());
      pos = SkipSpaces(group, vt->end);
      if (pos == group.size()) break;
      if (group[pos] == ',') {
        pos = SkipSpaces(group, pos + 1);
      } else if (pos == vt->end) {
        return Status::InvalidArgument("invalid constraint " + QuoteForMessage(full) +
                                       ": expected ',' or a space before " +
                                       QuoteForMessage(group.substr(pos), kQuotePartLimit));
      }
    }
    out->groups_.push_back(std::move(g));
    return Status::Ok();
  }
};

std::optional<std::string> Comparator::Explain(const Version& v, bool include_prerelease) const {
  const std::string ver = Quoted(v.ToString());
  const std::string con = Quoted(text_);
  if (!v.prerelease().empty() && !include_prerelease) {
    return ver + " is a prerelease version and the constraint is only looking for release versions";
  }
  const Version& b = bound_;
  switch (op_) {
    case Op::kTildeOrEqual:
    case Op::kTilde: {
      if (op_ == Op::kTildeOrEqual && !dirty_) {
        if (Compare(v, b) == 0) return std::nullopt;
        return ver + " is not equal to " + con;
      }
      if (Compare(v, b) < 0) return ver + " is less than " + con;
      // ~0.0.0 and * admit everything at or above the bound.
      if (b.major() == 0 && b.minor() == 0 && b.patch() == 0 && !minor_dirty_ && !patch_dirty_) {
        return std::nullopt;
      }
      if (v.major() != b.major()) return ver + " does not have same major version as " + con;
      if (v.minor() != b.minor() && !minor_dirty_) {
        return ver + " does not have same major and minor version as " + con;
      }
      return std::nullopt;
    }
    case Op::kNotEqual: {
      const std::string equal = ver + " is equal to " + con;
      if (dirty_) {
        if (b.major() != v.major()) return std::nullopt;
        if (b.minor() != v.minor() && !minor_dirty_) return std::nullopt;
        if (minor_dirty_) return equal;
        if (b.patch() != v.patch() && !patch_dirty_) return std::nullopt;
        if (patch_dirty_) {
          if (v.prerelease() != b.prerelease()) return std::nullopt;
          return equal;
        }
      }
      if (Compare(v, b) == 0) return equal;
      return std::nullopt;
    }
    case Op::kGreater: {
      const std::string fail = ver + " is less than or equal to " + con;
      if (dirty_) {
        if (v.major() > b.major()) return std::nullopt;
        if (v.major() < b.major() || minor_dirty_) return fail;
        // ">11.1" needs 11.2 or later, not 11.1.1.
        if (patch_dirty_) return v.minor() > b.minor() ? std::nullopt : std::optional(fail);
      }
      return Compare(v, b) > 0 ? std::nullopt : std::optional(fail);
    }
    case Op::kLess:
      if (Compare(v, b) < 0) return std::nullopt;
      return ver + " is greater than or equal to " + con;
    case Op::kGreaterEqual:
      if (Compare(v, b) >= 0) return std::nullopt;
      return ver + " is less than " + con;
    case Op::kLessEqual: {
      const std::string fail = ver + " is greater than " + con;
      if (!dirty_) return Compare(v, b) <= 0 ? std::nullopt : std::optional(fail);
      if (v.major() > b.major()) return fail;
      if (v.major() == b.major() && v.minor() > b.minor() && !minor_dirty_) return fail;
      return std::nullopt;
    }
    case Op::kCaret: {
      if (Compare(v, b) < 0) return ver + " is less than " + con;
      if (b.major() > 0 || minor_dirty_) {
        if (v.major() == b.major()) return std::nullopt;
        return ver + " does not have same major version as " + con;
      }
      if (v.major() > 0) return ver + " does not have same major version as " + con;
      if (b.minor() > 0 || patch_dirty_) {
        if (v.minor() == b.minor()) return std::nullopt;
        return ver + " does not have same minor version as " + con +
               ". Expected minor versions to match when constraint major version is 0";
      }
      if (v.minor() > 0) return ver + " does not have same minor version as " + con;
      if (v.patch() == b.patch()) return std::nullopt;
      return ver + " does not equal " + con +
             ". Expect version and constraint to equal when major and minor versions are 0";
    }
  }
  return std::nullopt;
}

bool Comparator::Check(const Version& v, bool include_prerelease) const {
  return !Explain(v, include_prerelease).has_value();
}

Result<Comparator> ParseComparator(std::string_view text) { return ConstraintParser::Single(text); }

bool Constraint::Check(const Version& v) const {
  for (const Group& g : groups_) {
    bool include = include_prerelease_ || g.has_prerelease;
    bool all = true;
    for (const Comparator& c : g.terms) {
      if (!c.Check(v, include)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

std::vector<std::string> Constraint::Validate(const Version& v) const {
  std::vector<std::string> reasons;
  bool prerelease_reported = false;
  for (const Group& g : groups_) {
    bool include = include_prerelease_ || g.has_prerelease;
    bool all = true;
    for (const Comparator& c : g.terms) {
      if (!include && !v.prerelease().empty()) {
        if (!prerelease_reported) reasons.push_back(*c.Explain(v, include));
        prerelease_reported = true;
        all = false;
      } else if (std::optional<std::string> why = c.Explain(v, include)) {
        reasons.push_back(std::move(*why));
        all = false;
      }
    }
    if (all) return {};
  }
  return reasons;
}

Result<Constraint> ParseConstraint(std::string_view text, bool include_prerelease) {
  return ConstraintParser::Parse(text, include_prerelease);
}

}  // namespace capstan::semver
