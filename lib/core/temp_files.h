// capstan's temporary files and directories, and the locks that tell a live run's from a dead
// one's. A file is written as <target>.capstan-tmp-XXXXXX beside its target and renamed over
// it; a directory (a new repository) is made the same way. The process that makes one holds an
// exclusive flock(2) on it until it is renamed or removed. The kernel drops that lock when the
// process dies, however it dies (SIGKILL, OOM, a node shut down), so a temporary whose lock is
// free was left by a run that can no longer finish it: RemoveDeadTemps removes those and leaves
// a live run's alone.
//
// The same kind of lock guards what only capstan writes (capstan-watch's cache of a remote,
// capstan's own refs in a repository): LockFile waits until no other process holds it.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"

namespace capstan {

// An open descriptor holding an exclusive flock(2) lock; closing it (destruction) releases the
// lock. Move-only.
class HeldFile {
 public:
  HeldFile() = default;
  explicit HeldFile(int fd) : fd_(fd) {}
  HeldFile(HeldFile&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  HeldFile& operator=(HeldFile&& other) noexcept;
  HeldFile(const HeldFile&) = delete;
  HeldFile& operator=(const HeldFile&) = delete;
  ~HeldFile();

  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// "<target>.capstan-tmp-": the prefix of target's temporaries.
std::string TempPrefix(const std::string& target);

// Removes the temporaries of target (files and directories named TempPrefix(target) + six
// characters) that no live process holds, a directory with everything in it. Best effort:
// what cannot be opened, locked or removed is left where it is.
void RemoveDeadTemps(const std::string& target);

// Creates target's temporary file (mode 0600, as mkstemp) and holds it, after removing dead
// temporaries of target (RemoveDeadTemps). Its path goes to *path. Fails with kIoError
// "cannot write '<target>': <why>".
Result<HeldFile> CreateTempFile(const std::string& target, std::string* path);

// Creates target's temporary directory (mode 0700, as mkdtemp) and holds it, after removing
// dead temporaries of target. Its path goes to *path. Fails with kIoError "cannot create
// '<target>': <why>".
Result<HeldFile> CreateTempDirectory(const std::string& target, std::string* path);

// Opens path (a directory as it is; a file, created with mode 0644 when missing) and waits
// until this process holds its lock; when another process holds it, calls on_wait (if set) once
// before waiting. Fails with kIoError "cannot lock '<path>': <why>".
Result<HeldFile> LockFile(const std::string& path, const std::function<void()>& on_wait = nullptr);

}  // namespace capstan
