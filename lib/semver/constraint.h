// Version constraints with the syntax and semantics of Masterminds/semver v3 (Argo CD Image
// Updater, Flux image policies):
//
//   =1.2.3  1.2.3     equal (a partial version is a wildcard: "1.2" is "1.2.x")
//   !=1.2   > < >= <= (also "=>" and "=<")
//   ~1.2.3            >=1.2.3 <1.3.0       ("~>" is the same)
//   ^1.2.3            >=1.2.3 <2.0.0; ^0.2.3 is <0.3.0; ^0.0.3 is =0.0.3
//   1.x 1.2.* *       wildcards "x", "X", "*"
//   1.2 - 2.3         hyphen range: >=1.2 <=2.3 (spaces around '-' are required)
//   >=1 <2, !=1.5     AND by comma or whitespace;  a || b  is OR
//
// A pre-release version (1.2.3-rc.1) only satisfies an OR group in which some term names a
// pre-release (">=1.2.3-0 <2"), or any group when include_prerelease is set.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "semver/version.h"

namespace capstan::semver {

// One "<op><version>" term, e.g. ">=1.2" or "~1.x".
class Comparator {
 public:
  // Whether v satisfies this term. Pre-release versions fail unless include_prerelease.
  bool Check(const Version& v, bool include_prerelease) const;
  // nullopt when v satisfies this term, else why not, e.g. "1.1.0" is less than "1.2".
  std::optional<std::string> Explain(const Version& v, bool include_prerelease) const;
  // Whether the term's version names a pre-release (">=1.2.3-0").
  bool HasPrerelease() const { return !bound_.prerelease().empty(); }

 private:
  friend class ConstraintParser;
  enum class Op {
    kTildeOrEqual,
    kNotEqual,
    kGreater,
    kLess,
    kGreaterEqual,
    kLessEqual,
    kTilde,
    kCaret
  };

  Op op_ = Op::kTildeOrEqual;
  Version bound_;             // wildcards and missing parts read as 0
  std::string text_;          // the version as written, for messages ("1.x")
  bool dirty_ = true;         // some part is a wildcard or missing
  bool minor_dirty_ = false;  // "1", "1.x"
  bool patch_dirty_ = false;  // "1.2", "1.2.x"
};

// Parses a single term. Unlike ParseConstraint, the empty string is accepted and means "*".
// Returns kInvalidArgument with a one-line message when text is not one term.
Result<Comparator> ParseComparator(std::string_view text);

class Constraint {
 public:
  // Whether v satisfies some OR group of this constraint.
  bool Check(const Version& v) const;
  // Empty when v satisfies the constraint; otherwise why each term it failed did not hold, in
  // order (Masterminds' Validate), e.g. {"\"3.0.0\" is greater than or equal to \"2\""}. A
  // pre-release version refused for being a pre-release is reported once.
  std::vector<std::string> Validate(const Version& v) const;

  const std::string& text() const { return text_; }
  bool include_prerelease() const { return include_prerelease_; }

 private:
  friend class ConstraintParser;
  struct Group {
    std::vector<Comparator> terms;
    bool has_prerelease = false;
  };

  std::vector<Group> groups_;
  std::string text_;
  bool include_prerelease_ = false;
};

// Parses a constraint such as ">=1.2, <2 || ^3.0.0-0". include_prerelease lets pre-release versions
// satisfy every group. The empty string is not a constraint.
// Returns kInvalidArgument with a one-line message naming the offending text on failure.
Result<Constraint> ParseConstraint(std::string_view text, bool include_prerelease = false);

}  // namespace capstan::semver
