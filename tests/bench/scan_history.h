// The history of a GitOps repository as a `git fast-import` stream, for timing history scans: a
// first commit with a clean tree, then commits like those such repositories collect (CI bumping
// image tags, promotions across environments, scaling, ConfigMap edits, README edits, new
// applications), a few feature branches, and the accidents a history audit exists for: plaintext
// Secrets and credentials committed and removed in the next commit, and one Secret that lives
// only on a branch. Authors, dates and content are functions of the Rng state, so the commit ids
// are the same on every machine.
#pragma once

#include <ostream>
#include <vector>

#include "corpus_docs.h"
#include "scan_secrets.h"

namespace capstan::bench {

struct HistoryOptions {
  long files = 2000;    // files in the first commit
  long commits = 5000;  // all commits, on every branch
};

struct HistoryStats {
  long main_commits = 0;
  long branch_commits = 0;
  long branches = 0;
  std::vector<Planted> planted;  // path and kind; lines are those of the blob that holds it
};

// Writes the stream for refs/heads/main and the branches to out. Pipe it to
// `git fast-import` in an empty repository.
HistoryStats WriteHistory(const HistoryOptions& options, Rng& rng, std::ostream& out);

}  // namespace capstan::bench
