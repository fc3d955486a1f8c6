#include "argocd/revision.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

TEST_CASE("target revisions are classified as Argo CD resolves them", "[argocd]") {
  auto [rev, kind] = GENERATE(table<std::string_view, RevisionKind>({
      {"", RevisionKind::kDefaultBranch},
      {"HEAD", RevisionKind::kDefaultBranch},
      {"main", RevisionKind::kBranch},
      {"release/1.0", RevisionKind::kBranch},
      {"refs/heads/main", RevisionKind::kBranch},
      {"refs/tags/v1.2.0", RevisionKind::kTag},
      {"0123456789abcdef0123456789abcdef01234567", RevisionKind::kCommit},
      {"0123456", RevisionKind::kShortCommit},
      {"deadbeefcafe", RevisionKind::kShortCommit},
      {"v1.2.0", RevisionKind::kVersion},
      {"1.2", RevisionKind::kVersion},
      {"1.x", RevisionKind::kSemverRange},
      {">=1.2.0", RevisionKind::kSemverRange},
      {">=1.2.0 <2.0.0", RevisionKind::kSemverRange},
      {"^1.2", RevisionKind::kSemverRange},
      {"*", RevisionKind::kSemverRange},
  }));
  CAPTURE(rev);
  CHECK(ClassifyRevision(rev) == kind);
}

TEST_CASE("a source tracks the change's branch by name, refs/heads/ or HEAD", "[argocd]") {
  struct Case {
    std::string_view rev, branch, default_branch;
    bool tracks;
    std::string_view explanation;
  };
  auto c = GENERATE(values<Case>({
      {"main", "main", "main", true, "tracks branch 'main'"},
      {"refs/heads/main", "main", "main", true, "tracks branch 'main'"},
      {"main", "refs/heads/main", "main", true, "tracks branch 'main'"},
      {"HEAD", "main", "main", true, "tracks HEAD, the default branch 'main'"},
      {"", "main", "refs/heads/main", true, "tracks the default branch 'main'"},
      {"", "dev", "main", false, "tracks the default branch 'main', the change is on 'dev'"},
      {"HEAD", "feature", "main", false,
       "tracks HEAD (the default branch 'main'), the change is on 'feature'"},
      {"HEAD", "main", "", false, "tracks HEAD, and the repository's default branch is unknown"},
      {"release-1", "main", "main", false, "tracks branch 'release-1', the change is on 'main'"},
      {"refs/heads/release-1", "main", "main", false,
       "tracks branch 'release-1', the change is on 'main'"},
      {"refs/tags/main", "main", "main", false, "tracks tag 'main'"},
      {"0123456789abcdef0123456789abcdef01234567", "main", "main", false,
       "pinned to commit '0123456789abcdef0123456789abcdef01234567', not a branch"},
      {"abc1234", "main", "main", false,
       "pinned to 'abc1234' (a short commit SHA or a tag), the change is on 'main'"},
      {"v1.2.0", "main", "main", false, "pinned to tag 'v1.2.0', the change is on 'main'"},
      {"1.x", "main", "main", false, "tracks tags in semver range '1.x', not a branch"},
      {">=1.2.0", "main", "main", false, "tracks tags in semver range '>=1.2.0', not a branch"},
      // A branch name is compared before anything else, as Argo CD resolves refs first.
      {"1.x", "1.x", "main", true, "tracks branch '1.x'"},
      {"abc1234", "abc1234", "main", true, "tracks branch 'abc1234'"},
  }));
  CAPTURE(c.rev, c.branch, c.default_branch);
  BranchMatch m = TracksBranch(c.rev, c.branch, c.default_branch);
  CHECK(m.tracks == c.tracks);
  CHECK(m.explanation == c.explanation);
}

}  // namespace
}  // namespace capstan::argocd
