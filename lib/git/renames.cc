#include "git/renames.h"

#include <git2/sys/hashsig.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <tuple>
#include <unordered_map>

#include "core/strings.h"
#include "git/libgit2_util.h"

namespace capstan::git::internal {
namespace {

using OwnedHashsig = Owned<git_hashsig, git_hashsig_free>;

constexpr int kMinScore = 50;

bool IsRegular(std::uint32_t mode) { return (mode & 0170000) == 0100000; }
bool IsSymlink(std::uint32_t mode) { return mode == 0120000; }

const char* FileName(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash == nullptr ? path : slash + 1;
}

bool SameFileName(const RenameSide& a, const RenameSide& b) {
  return std::strcmp(FileName(a.path), FileName(b.path)) == 0;
}

struct Signature {
  OwnedHashsig sig;  // null: not comparable (e.g. no lines to hash)
  std::size_t size = 0;
};

Result<Signature> SignatureOf(git_repository* repo, const RenameSide& side,
                              const std::string& what) {
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, &side.id) < 0) {
    return GitError(what + ": cannot read " + QuoteForMessage(side.path, kQuotePathLimit));
  }
  OwnedBlob blob(raw);
  Signature out;
  out.size = static_cast<std::size_t>(git_blob_rawsize(blob.get()));
  git_hashsig* sig = nullptr;
  // libgit2's own rename detection uses these options.
  const auto options = static_cast<git_hashsig_option_t>(GIT_HASHSIG_SMART_WHITESPACE |
                                                         GIT_HASHSIG_ALLOW_SMALL_FILES);
  if (git_hashsig_create(&sig, static_cast<const char*>(git_blob_rawcontent(blob.get())), out.size,
                         options) < 0) {
    git_error_clear();
    return out;
  }
  out.sig.reset(sig);
  return out;
}

// git's estimate_similarity() gives up on sizes that differ by more than the score allows.
bool SizesCanReach(std::size_t a, std::size_t b) {
  const std::size_t max = std::max(a, b);
  const std::size_t min = std::min(a, b);
  return (max - min) * 100 <= max * (100 - kMinScore);
}

}  // namespace

Result<std::vector<RenamePair>> PairRenames(git_repository* repo,
                                            const std::vector<RenameSide>& deleted,
                                            const std::vector<RenameSide>& added,
                                            const std::string& what) {
  std::vector<RenamePair> pairs;
  std::vector<bool> deleted_used(deleted.size());
  std::vector<bool> added_used(added.size());

  std::unordered_map<git_oid, std::vector<std::size_t>, OidHash, OidEqual> by_id;
  for (std::size_t d = 0; d < deleted.size(); ++d) {
    if (IsRegular(deleted[d].mode) || IsSymlink(deleted[d].mode)) {
      by_id[deleted[d].id].push_back(d);
    }
  }
  for (std::size_t a = 0; a < added.size(); ++a) {
    auto it = by_id.find(added[a].id);
    if (it == by_id.end()) continue;
    std::size_t best = deleted.size();
    for (std::size_t d : it->second) {
      if (deleted_used[d] || IsSymlink(deleted[d].mode) != IsSymlink(added[a].mode) ||
          !(IsRegular(added[a].mode) || IsSymlink(added[a].mode)))
        continue;
      if (best == deleted.size()) best = d;
      if (SameFileName(deleted[d], added[a])) {
        best = d;
        break;
      }
    }
    if (best == deleted.size()) continue;
    deleted_used[best] = true;
    added_used[a] = true;
    pairs.push_back({best, a});
  }

  std::vector<std::size_t> old_files;
  std::vector<std::size_t> new_files;
  for (std::size_t d = 0; d < deleted.size(); ++d) {
    if (!deleted_used[d] && IsRegular(deleted[d].mode)) old_files.push_back(d);
  }
  for (std::size_t a = 0; a < added.size(); ++a) {
    if (!added_used[a] && IsRegular(added[a].mode)) new_files.push_back(a);
  }
  if (old_files.empty() || new_files.empty() ||
      old_files.size() * new_files.size() > kRenameLimit * kRenameLimit)
    return pairs;

  std::vector<Signature> old_sigs;
  old_sigs.reserve(old_files.size());
  for (std::size_t d : old_files) {
    Result<Signature> sig = SignatureOf(repo, deleted[d], what);
    if (!sig.ok()) return sig.status();
    old_sigs.push_back(std::move(*sig));
  }
  struct Candidate {
    int score;
    bool same_name;
    std::size_t added;
    std::size_t deleted;
  };
  std::vector<Candidate> candidates;
  for (std::size_t a : new_files) {
    Result<Signature> sig = SignatureOf(repo, added[a], what);
    if (!sig.ok()) return sig.status();
    if (sig->sig == nullptr) continue;
    for (std::size_t i = 0; i < old_files.size(); ++i) {
      if (old_sigs[i].sig == nullptr || !SizesCanReach(sig->size, old_sigs[i].size)) continue;
      const int score = git_hashsig_compare(old_sigs[i].sig.get(), sig->sig.get());
      if (score < kMinScore) continue;
      candidates.push_back({score, SameFileName(deleted[old_files[i]], added[a]), a, old_files[i]});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    return std::make_tuple(-x.score, !x.same_name, x.added, x.deleted) <
           std::make_tuple(-y.score, !y.same_name, y.added, y.deleted);
  });
  for (const Candidate& c : candidates) {
    if (added_used[c.added] || deleted_used[c.deleted]) continue;
    added_used[c.added] = true;
    deleted_used[c.deleted] = true;
    pairs.push_back({c.deleted, c.added});
  }
  return pairs;
}

}  // namespace capstan::git::internal
