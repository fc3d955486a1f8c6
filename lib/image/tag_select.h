// Choosing an image tag from a registry's tag list (capstan-watch): the update strategies of
// Argo CD Image Updater and Flux image policies, the tag filters, and the "never older" rule.
// Pure: the registry lookups a strategy needs (creation times) are done by the caller and
// passed in.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace capstan::image {

enum class Strategy {
  kSemver,        // highest version admitted by the constraint (lib/semver, Masterminds rules)
  kNewestBuild,   // most recent config `created` (ties: the tag sorting last)
  kDigest,        // follow one mutable tag; the change is its digest
  kAlphabetical,  // last in byte order (Flux alphabetical, order asc)
  kNumerical,     // highest number (Flux numerical, order asc): tags that are not numbers skipped
};

// "semver", "newest-build", "digest", "alphabetical", "numerical", and Argo CD Image Updater's
// deprecated names "latest" (= newest-build) and "name" (= alphabetical). Case-sensitive.
// kInvalidArgument "unknown update strategy '<s>': expected semver, newest-build, digest,
// alphabetical or numerical".
Result<Strategy> ParseStrategy(std::string_view name);
const char* StrategyName(Strategy strategy);  // the canonical name

struct TagPolicy {
  Strategy strategy = Strategy::kSemver;
  // kSemver: a Masterminds range ("~1.4", ">=1.2 <2", "1.x"); "" = any stable version. Versions
  // are read with semver::ParseCoerce ("v1.2" is 1.2.0), as Argo CD Image Updater does.
  // Pre-releases are candidates only when the range itself names one ("^1.5.0-0").
  // kDigest: the tag to follow ("latest", "stable"); required.
  // Other strategies: unused.
  std::string constraint;
  // RE2 pattern a tag must match (partial match, as Go's regexp.MatchString); "" = any tag.
  std::string allow_regex;
  // With allow_regex, what to compare instead of the whole tag, in RE2::Rewrite syntax
  // ("\\1", "\\2"); Flux's "$1", "${1}" and "$name" (a named group) are accepted too.
  // "" = the whole tag.
  std::string extract;
  // Globs a tag must not match: '*' any run of characters, '?' one, [abc] classes (as Argo CD
  // Image Updater's ignore-tags), matched with core/glob.h GlobMatch.
  std::vector<std::string> ignore_tags;
};

// Checks a policy's constraint, regex, extract template and globs before any registry is
// asked. kInvalidArgument with a one-line reason ("invalid allow-tags regex '(': missing ')'",
// "invalid semver constraint '~>1': ...", "extract needs allow-tags", "digest strategy needs the
// tag to follow").
Status ValidatePolicy(const TagPolicy& policy);

struct RankedTag {
  std::string tag;  // the registry's tag
  std::string key;  // what was compared: the extracted text, or the tag
};

// The tags `policy` admits, best first: filtered by ignore_tags and allow_regex, then ordered by
// the strategy (kSemver: by version, tags that are not versions or outside the constraint
// dropped; kNumerical: by value of the key as a number, integer or decimal; kAlphabetical: by key
// in byte order; kNewestBuild: by `created` (tags without an entry in `created` dropped);
// kDigest: just the followed tag when listed). Equal keys keep the tag that sorts last in byte
// order first, so the result does not depend on the registry's order.
// Returns nothing when ValidatePolicy(policy) fails.
std::vector<RankedTag> RankTags(
    const TagPolicy& policy, const std::vector<std::string>& tags,
    const std::map<std::string, std::chrono::system_clock::time_point>& created = {});

// Whether moving from `current` (the tag in Git) to `candidate` goes forward under the policy:
// kSemver compares versions (a current tag that is not a version, like "latest", is always
// left), kNumerical and kAlphabetical compare keys (extract applied to `current` too; a current
// tag the regex does not match counts as older), kNewestBuild compares `created` times (unknown
// current: forward), kDigest is always true (the digest decides). Equal is not forward.
bool IsForward(const TagPolicy& policy, std::string_view current, std::string_view candidate,
               const std::map<std::string, std::chrono::system_clock::time_point>& created = {});

}  // namespace capstan::image
