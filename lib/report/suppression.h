// The inline suppression every checking tool honours: a comment holding `capstan:allow` on the
// line of a finding or on the line above it.
//
//   password: test-only  # capstan:allow fixture for the e2e suite
//   # capstan:allow=removed-api,deprecated-api the staging cluster still runs 1.21
//
// A bare marker covers every rule. `capstan:allow=` followed by rule ids (commas, no blanks)
// covers only those rules, so a marker written for one tool does not hide another tool's
// finding on the same line; an id that names no rule covers nothing (the finding stays).
// Whatever follows the marker after a blank is the reason, for the reader.
#pragma once

#include <string_view>
#include <vector>

#include "report/finding.h"

namespace capstan::report {

inline constexpr std::string_view kAllowMarker = "capstan:allow";

// Whether line holds a marker that covers a finding of rule.
bool AllowMarkerCovers(std::string_view line, std::string_view rule);

// Removes from findings (all of one file, whose whole text is text) those that a marker on
// their line or the line above covers. Findings without a line are kept.
void DropAllowed(std::string_view text, std::vector<Finding>& findings);

}  // namespace capstan::report
