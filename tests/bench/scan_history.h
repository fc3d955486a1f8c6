// The history of a GitOps repository as a `git fast-import` stream, for timing history scans: a
// first commit with a clean tree, then commits like those such repositories collect (CI bumping
// image tags, promotions across environments, scaling, ConfigMap edits, README edits, new
// applications), a few feature branches, and the accidents a history audit exists for: plaintext
// Secrets and credentials committed and removed in the next commit, and one Secret that lives
// only on a branch. Authors, dates and content are functions of the Rng state, so the commit ids
// are the same on every machine.
// With `changes` and `secrets` set it writes a denser shape instead (the issue 19 benchmark: 300
// files, 3,000 commits, 3 files changed in each, 68 secrets): every commit after the first
// changes exactly `changes` files of a tree that keeps its size (tag bumps, scaling, ConfigMap and
// README edits), and exactly `secrets` secrets are planted at evenly spaced commits, each on a
// path no other secret uses, a tenth of them on the branches.
#pragma once

#include <ostream>
#include <vector>

#include "core/result.h"
#include "corpus_docs.h"
#include "scan_secrets.h"

namespace capstan::bench {

struct HistoryOptions {
  long files = 2000;    // files in the first commit
  long commits = 5000;  // all commits, on every branch
  long changes = 0;     // files changed by each later commit; 0: the mix above, 1 to many files
  long secrets = 0;     // with changes > 0: the secrets planted; 0: none
};

struct HistoryStats {
  long main_commits = 0;
  long branch_commits = 0;
  long branches = 0;
  std::vector<Planted> planted;  // path and kind; lines are those of the blob that holds it
  long branch_planted = 0;       // of planted, those only a branch holds
};

// Writes the stream for refs/heads/main and the branches to out. Pipe it to
// `git fast-import` in an empty repository. Fails (InvalidArgument) when the dense shape is asked
// for with more secrets than its commits, or paths of the first tree, can hold.
Result<HistoryStats> WriteHistory(const HistoryOptions& options, Rng& rng, std::ostream& out);

}  // namespace capstan::bench
