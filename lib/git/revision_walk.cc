#include "git/revision_walk.h"

#include <cstdint>
#include <queue>
#include <unordered_map>
#include <utility>

#include "git/libgit2_util.h"

namespace capstan::git {
namespace {

using namespace internal;  // lib/git's libgit2 helpers (libgit2_util.h)

// How many hidden commits to look at once only hidden ones are left, against clock skew
// (git's and libgit2's SLOP).
constexpr int kSlop = 5;

enum Flag : std::uint8_t {
  kParsed = 1 << 0,
  kMissing = 1 << 1,  // the object does not exist: a shallow clone's boundary
  kHidden = 1 << 2,
  kQueued = 1 << 3,   // has been in the queue (each commit enters it at most once)
  kInQueue = 1 << 4,  // is in the queue now
  kSelected = 1 << 5,
  kVisited = 1 << 6,  // pushed on the output stack
};

struct Node {
  git_oid id;
  std::int64_t time = 0;
  std::uint32_t parents_begin = 0;  // into Walker::parents_
  std::uint32_t parent_count = 0;
  std::uint8_t flags = 0;
};

class Walker {
 public:
  explicit Walker(git_repository* repo) : repo_(repo) {}

  Result<std::vector<git_oid>> Run(const std::vector<git_oid>& include,
                                   const std::vector<git_oid>& exclude);
  // Whether a parent that does not exist was reached from a hidden commit.
  bool HiddenCut() const;

 private:
  struct QueueEntry {
    std::int64_t time;
    std::uint64_t seq;
    std::uint32_t node;
    // Newest first; equal dates in the order queued.
    bool operator<(const QueueEntry& o) const {
      return time != o.time ? time < o.time : seq > o.seq;
    }
  };

  std::uint32_t NodeFor(const git_oid& id);
  Status Parse(std::uint32_t n);
  Status Enqueue(std::uint32_t n);
  void Hide(std::uint32_t n);
  void HideAncestors(std::uint32_t n);
  int StillInteresting(std::int64_t time, int slop) const;
  std::vector<git_oid> Order(const std::vector<git_oid>& include);

  bool Has(std::uint32_t n, Flag f) const { return (nodes_[n].flags & f) != 0; }

  git_repository* repo_;
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> parents_;
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> index_;
  std::priority_queue<QueueEntry> queue_;
  std::uint64_t seq_ = 0;
  std::size_t interesting_in_queue_ = 0;
};

std::uint32_t Walker::NodeFor(const git_oid& id) {
  auto [it, inserted] = index_.try_emplace(id, static_cast<std::uint32_t>(nodes_.size()));
  if (inserted) nodes_.push_back(Node{id});
  return it->second;
}

Status Walker::Parse(std::uint32_t n) {
  if (Has(n, kParsed) || Has(n, kMissing)) return Status::Ok();
  git_commit* raw = nullptr;
  int rc = git_commit_lookup(&raw, repo_, &nodes_[n].id);
  if (rc == GIT_ENOTFOUND) {
    nodes_[n].flags |= kMissing;
    return Status::Ok();
  }
  if (rc < 0) return GitError("read commit " + OidHex(nodes_[n].id));
  OwnedCommit commit(raw);
  const std::uint32_t count = git_commit_parentcount(commit.get());
  const auto begin = static_cast<std::uint32_t>(parents_.size());
  for (std::uint32_t i = 0; i < count; ++i) {
    parents_.push_back(NodeFor(*git_commit_parent_id(commit.get(), i)));  // may grow nodes_
  }
  Node& node = nodes_[n];
  node.time = git_commit_time(commit.get());
  node.parents_begin = begin;
  node.parent_count = count;
  node.flags |= kParsed;
  return Status::Ok();
}

Status Walker::Enqueue(std::uint32_t n) {
  CAPSTAN_RETURN_IF_ERROR(Parse(n));
  if (Has(n, kQueued) || Has(n, kMissing)) return Status::Ok();
  nodes_[n].flags |= kQueued | kInQueue;
  if (!Has(n, kHidden)) ++interesting_in_queue_;
  queue_.push({nodes_[n].time, seq_++, n});
  return Status::Ok();
}

void Walker::Hide(std::uint32_t n) {
  if (Has(n, kHidden)) return;
  nodes_[n].flags |= kHidden;
  if (Has(n, kInQueue)) --interesting_in_queue_;
}

// Hides n's known ancestors. Parents not parsed yet pass it on when they are dequeued.
void Walker::HideAncestors(std::uint32_t n) {
  std::vector<std::uint32_t> stack = {n};
  while (!stack.empty()) {
    const Node node = nodes_[stack.back()];
    stack.pop_back();
    for (std::uint32_t i = 0; i < node.parent_count; ++i) {
      const std::uint32_t p = parents_[node.parents_begin + i];
      if (Has(p, kHidden)) continue;
      Hide(p);
      stack.push_back(p);
    }
  }
}

// git's still_interesting(): keep going while a queued commit is interesting or as new as
// the last interesting one; otherwise count down the slop.
int Walker::StillInteresting(std::int64_t time, int slop) const {
  if (queue_.empty()) return 0;
  if (time <= queue_.top().time || interesting_in_queue_ > 0) return kSlop;
  return slop - 1;
}

Result<std::vector<git_oid>> Walker::Run(const std::vector<git_oid>& include,
                                         const std::vector<git_oid>& exclude) {
  for (const git_oid& id : exclude) {
    const std::uint32_t n = NodeFor(id);
    CAPSTAN_RETURN_IF_ERROR(Parse(n));
    Hide(n);
    HideAncestors(n);
    CAPSTAN_RETURN_IF_ERROR(Enqueue(n));
  }
  for (const git_oid& id : include) CAPSTAN_RETURN_IF_ERROR(Enqueue(NodeFor(id)));

  std::vector<std::uint32_t> walked;
  std::int64_t time = INT64_MAX;
  int slop = kSlop;
  while (!queue_.empty()) {
    const std::uint32_t n = queue_.top().node;
    queue_.pop();
    nodes_[n].flags &= ~kInQueue;
    if (!Has(n, kHidden)) --interesting_in_queue_;
    const bool hidden = Has(n, kHidden);
    for (std::uint32_t i = 0; i < nodes_[n].parent_count; ++i) {
      const std::uint32_t p = parents_[nodes_[n].parents_begin + i];
      CAPSTAN_RETURN_IF_ERROR(Parse(p));
      if (hidden && !Has(p, kHidden)) {
        Hide(p);
        HideAncestors(p);
      }
      CAPSTAN_RETURN_IF_ERROR(Enqueue(p));
    }
    if (hidden) {
      slop = StillInteresting(time, slop);
      if (slop == 0) break;
      continue;
    }
    time = nodes_[n].time;
    walked.push_back(n);
  }
  // A commit walked early may have been reached from a hidden one later.
  for (std::uint32_t n : walked) {
    if (!Has(n, kHidden)) nodes_[n].flags |= kSelected;
  }
  return Order(include);
}

bool Walker::HiddenCut() const {
  for (const Node& node : nodes_) {
    if ((node.flags & kMissing) != 0 && (node.flags & kHidden) != 0) return true;
  }
  return false;
}

// Depth-first post-order over the selected commits: every parent before its children.
std::vector<git_oid> Walker::Order(const std::vector<git_oid>& include) {
  std::vector<git_oid> out;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> stack;  // node, next parent
  for (const git_oid& tip : include) {
    const std::uint32_t root = index_.at(tip);
    if (!Has(root, kSelected) || Has(root, kVisited)) continue;
    nodes_[root].flags |= kVisited;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      if (next < nodes_[n].parent_count) {
        const std::uint32_t p = parents_[nodes_[n].parents_begin + next++];
        if (Has(p, kSelected) && !Has(p, kVisited)) {
          nodes_[p].flags |= kVisited;
          stack.emplace_back(p, 0);  // invalidates n and next
        }
        continue;
      }
      out.push_back(nodes_[n].id);
      stack.pop_back();
    }
  }
  return out;
}

}  // namespace

Result<std::vector<git_oid>> SelectCommits(git_repository* repo,
                                           const std::vector<git_oid>& include,
                                           const std::vector<git_oid>& exclude, bool* hidden_cut) {
  Walker walker(repo);
  Result<std::vector<git_oid>> selected = walker.Run(include, exclude);
  if (selected.ok() && hidden_cut != nullptr) *hidden_cut = walker.HiddenCut();
  return selected;
}

}  // namespace capstan::git
