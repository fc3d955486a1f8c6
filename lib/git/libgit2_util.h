// Small helpers shared by the libgit2 wrappers in lib/git; not for use outside lib/git.
#pragma once

#include <git2.h>

#include <cctype>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace capstan::git::internal {

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
// A libgit2 object freed with its own free function.
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;

// The libgit2 objects lib/git holds, each freed with its own free function.
using OwnedBlob = Owned<git_blob, git_blob_free>;
using OwnedCommit = Owned<git_commit, git_commit_free>;
using OwnedConfig = Owned<git_config, git_config_free>;
using OwnedDiff = Owned<git_diff, git_diff_free>;
using OwnedIndex = Owned<git_index, git_index_free>;
using OwnedObject = Owned<git_object, git_object_free>;
using OwnedOdb = Owned<git_odb, git_odb_free>;
using OwnedRefIterator = Owned<git_reference_iterator, git_reference_iterator_free>;
using OwnedReference = Owned<git_reference, git_reference_free>;
using OwnedRepository = Owned<git_repository, git_repository_free>;
using OwnedSignature = Owned<git_signature, git_signature_free>;
using OwnedTree = Owned<git_tree, git_tree_free>;
using OwnedTreeEntry = Owned<git_tree_entry, git_tree_entry_free>;

// libgit2's "failed to lock file '<lock>' for writing" (the lock existed) as git/locks.h's
// StaleLockMessage says it; any other message as it is (locks.cc).
std::string ExplainLockFailure(std::string why);

// kIoError "cannot <what>: <libgit2's last error for this thread>", shaped like our other
// messages: lowercase first letter, no trailing period.
inline Status GitError(std::string_view what) {
  const git_error* e = git_error_last();
  std::string why = (e != nullptr && e->message != nullptr) ? e->message : "unknown libgit2 error";
  while (!why.empty() &&
         (why.back() == '.' || std::isspace(static_cast<unsigned char>(why.back())))) {
    why.pop_back();
  }
  if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  why = ExplainLockFailure(std::move(why));
  std::string m = "cannot ";
  m += what;
  m += ": ";
  m += why;
  return Status::IoError(std::move(m));
}

// Initialises libgit2 once per process, and never shuts it down. libgit2 re-hashes every object
// it reads (git does not): a third of the time of a history walk, and more for the blobs a scan
// reads, so that is turned off; zlib still checks each object. Its object cache is off too:
// capstan reads each object about once (a history walk skips equal subtrees by oid), and the
// cache kept every tree of a 20,000-commit history, 140 MB of a 219 MB peak, at no gain in
// time (README, Speed and scale). Every entry point of lib/git calls this before its first
// libgit2 call.
inline void EnsureLibgit2() {
  static const int init = [] {
    int rc = git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    return rc;
  }();
  (void)init;
}

// 40 lowercase hex digits.
inline std::string OidHex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

// For unordered containers keyed by git_oid. Object ids are SHA-1 digests, so any 8 of their
// bytes are already a good hash.
struct OidHash {
  size_t operator()(const git_oid& oid) const {
    size_t h;
    std::memcpy(&h, oid.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const {
    return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) == 0;
  }
};

}  // namespace capstan::git::internal
