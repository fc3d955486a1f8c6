// git's lock files, and what a killed run leaves of them. git (and libgit2) update a file F by
// creating F.lock exclusively, writing it and renaming it over F. A process killed in between
// leaves F.lock, and every later update of F fails until someone removes it. git never removes
// a lock it finds: it cannot tell a dead process's from a live one's, and says so. capstan does
// the same in a user's repository (CheckNoStaleLocks). In capstan-watch's cache of a remote,
// which nothing but capstan writes, a lock file found while the cache is held (HoldCache) can
// only be a dead run's, and is removed.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "core/temp_files.h"

struct git_repository;

namespace capstan::git {

// Fails when the lock file of the index or of the ref HEAD names (its branch, or HEAD itself
// when detached) exists in the repository containing repo_path, as a commit would find it:
// kIoError "cannot create '<path>.lock': file exists: another git process seems to be running
// in this repository; if none is, one was killed or crashed earlier: remove the file to
// continue" (git's own advice). kNotFound when repo_path is not in a repository.
Status CheckNoStaleLocks(const std::string& repo_path);

// Holds capstan-watch's cache of a remote at `path` for this process: locks <path>.capstan-lock
// (LockFile, waiting while another process holds it), removes what a killed run left in and
// beside the cache — git's lock files (*.lock), libgit2's temporary objects and packs, dead
// temporary repositories (RemoveDeadTemps) — and makes the cache when missing
// (EnsureBareRepository). The cache is held until the returned file is destroyed. When another
// process holds it, says so to log (if set) before waiting: "waiting for another capstan run
// to release its cache of the remote at <path>". Fails like EnsureBareRepository, and with
// LockFile's kIoError; kInvalidArgument when path is empty.
Result<HeldFile> HoldCache(const std::string& path,
                           const std::function<void(const std::string&)>& log = nullptr);

// "cannot create '<lock>': file exists: another git process seems to be running in this
// repository; if none is, one was killed or crashed earlier: remove the file to continue".
std::string StaleLockMessage(const std::string& lock);

namespace internal {

// refs/capstan/ holds capstan's own refs (the source of a push, the fetched tip of a URL):
// nothing but capstan writes them, and capstan only while holding the repository's common
// directory with this lock (waiting for another capstan process that holds it). A lock file
// found under refs/capstan/ then was left by a killed run, and is removed. Best effort: where
// the directory cannot be locked, nothing is removed and an empty HeldFile is returned.
HeldFile HoldOwnRefs(git_repository* repo);

}  // namespace internal
}  // namespace capstan::git
