// capstan-scan baselines: the findings a team has accepted (rotated, or known test values), so
// that only new secrets fail the build. A baseline stores no secret and nothing derived from one
// alone: each entry is a SHA-256 over a per-baseline random salt, the rule, the file and the
// finding's value digest (ScanFinding::digest). Line numbers are not part of it, so moving a
// secret within its file keeps it baselined; changing the value, the rule or the file does not.
//
// File format (JSON, stable key order, one entry per line in practice):
//   {"capstan_baseline": 1, "salt": "<32 hex>",
//    "findings": [{"rule": "secret-data", "file": "apps/db/secret.yaml", "hash": "<64 hex>"}]}
// rule and file are kept in clear so a reviewer can see what was accepted.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/result.h"

namespace capstan::secrets {

struct BaselineEntry {
  std::string rule;
  std::string file;
  std::string hash;  // 64 hex digits
  bool operator<(const BaselineEntry& o) const {
    return std::tie(file, rule, hash) < std::tie(o.file, o.rule, o.hash);
  }
};

class Baseline {
 public:
  // An empty baseline with the given salt (32 hex digits; the caller draws it at random).
  explicit Baseline(std::string salt) : salt_(std::move(salt)) {}

  // Parses a baseline file. Fails with kInvalidArgument "<what is wrong>" for anything but the
  // format above (unknown keys included), so a typo never silently accepts every finding.
  static Result<Baseline> Parse(std::string_view text);

  // The entry a finding would have in this baseline.
  BaselineEntry EntryFor(std::string_view rule, std::string_view file,
                         std::string_view digest) const;

  bool Contains(const BaselineEntry& e) const { return entries_.count(e) > 0; }
  void Add(BaselineEntry e) { entries_.insert(std::move(e)); }
  std::size_t size() const { return entries_.size(); }
  const std::string& salt() const { return salt_; }

  // The file text, entries sorted by file, rule and hash, ending with a newline.
  std::string Serialize() const;

 private:
  std::string salt_;
  std::set<BaselineEntry> entries_;
};

}  // namespace capstan::secrets
