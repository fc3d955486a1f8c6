// Semantic versions (SemVer 2.0.0) with the two parsers Masterminds/semver v3 offers, which is what
// Argo CD Image Updater and Flux use to read image tags.
//
//   ParseStrict("1.2.3-rc.1+build")   X.Y.Z exactly, no "v", no leading zeros (StrictNewVersion)
//   ParseCoerce("v1.2")               optional "v", minor and patch default to 0 (NewVersion)
//
// Precedence follows SemVer 2.0.0 §11: build metadata is ignored; a pre-release sorts before its
// release; dot-separated identifiers compare numerically when both are digits, else in ASCII order,
// and numeric identifiers sort before alphanumeric ones.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace capstan::semver {

class Version {
 public:
  Version() = default;
  Version(uint64_t major, uint64_t minor, uint64_t patch, std::string prerelease = {},
          std::string metadata = {});

  uint64_t major() const { return major_; }
  uint64_t minor() const { return minor_; }
  uint64_t patch() const { return patch_; }
  // Without the leading '-' / '+'; empty when absent.
  const std::string& prerelease() const { return prerelease_; }
  const std::string& metadata() const { return metadata_; }
  // The text this version was parsed from ("v1.2" stays "v1.2"); ToString() when constructed.
  const std::string& original() const { return original_; }

  // Canonical form "MAJOR.MINOR.PATCH[-PRE][+META]" ("v1.2" gives "1.2.0").
  std::string ToString() const;

 private:
  friend class VersionParser;

  uint64_t major_ = 0;
  uint64_t minor_ = 0;
  uint64_t patch_ = 0;
  std::string prerelease_;
  std::string metadata_;
  std::string original_;
};

// Returns -1, 0 or 1 as a has lower, equal or higher precedence than b. Build metadata is ignored,
// so Compare("1.0.0+a", "1.0.0+b") == 0.
int Compare(const Version& a, const Version& b);

inline bool operator==(const Version& a, const Version& b) { return Compare(a, b) == 0; }
inline std::strong_ordering operator<=>(const Version& a, const Version& b) {
  return Compare(a, b) <=> 0;
}

enum class VPrefix {
  kReject,  // "v1.2.3" is an error (Masterminds' StrictNewVersion, what the test vectors pin)
  kAccept,  // "v1.2.3" is 1.2.3 (Flux's strict reading of tags)
};

// StrictNewVersion: "MAJOR.MINOR.PATCH" with optional pre-release and build metadata, no leading
// zeros in numbers or numeric pre-release identifiers, and a "v" prefix only with kAccept.
// Returns kInvalidArgument with a one-line message when text is not such a version.
Result<Version> ParseStrict(std::string_view text, VPrefix prefix = VPrefix::kReject);

enum class LeadingZeros {
  kAccept,  // "01.1.1" is 1.1.1 (Masterminds' default, CoerceNewVersion=true)
  kReject,  // "01.1.1" is an error (CoerceNewVersion=false)
};

// NewVersion: optional "v", minor and patch optional ("1.2" is 1.2.0, "v1" is 1.0.0), then optional
// pre-release and build metadata. Numeric pre-release identifiers never take leading zeros.
// Returns kInvalidArgument with a one-line message when text is not such a version.
Result<Version> ParseCoerce(std::string_view text, LeadingZeros zeros = LeadingZeros::kAccept);

}  // namespace capstan::semver
