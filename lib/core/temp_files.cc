#include "core/temp_files.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "core/status.h"
#include "core/strings.h"

namespace capstan {
namespace {

constexpr int kAttempts = 10;

Status Failed(const std::string& what, const std::string& path, int err) {
  return Status::IoError("cannot " + what + " " + QuoteForMessage(path, kQuotePathLimit) + ": " +
                         ErrnoText(err));
}

// Waits for fd's exclusive lock; false (errno set) when flock fails.
bool Lock(int fd) {
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

// Whether fd, just locked, is still the file at path: RemoveDeadTemps may have taken a
// temporary between its creation and its locking, and removed it.
bool StillThere(int fd, const std::string& path) {
  struct stat held, named;
  return ::fstat(fd, &held) == 0 && held.st_nlink > 0 && ::lstat(path.c_str(), &named) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

void RemoveIfDead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return;
  HeldFile held(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) return;  // its maker is alive
  if (!StillThere(fd, path)) return;
  struct stat st;
  if (::fstat(fd, &st) != 0) return;
  std::error_code ec;
  if (S_ISDIR(st.st_mode)) {
    std::filesystem::remove_all(path, ec);
  } else {
    ::unlink(path.c_str());
  }
}

}  // namespace

HeldFile& HeldFile::operator=(HeldFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

HeldFile::~HeldFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::string TempPrefix(const std::string& target) { return target + ".capstan-tmp-"; }

void RemoveDeadTemps(const std::string& target) {
  namespace fs = std::filesystem;
  fs::path full(target);
  const std::string prefix = full.filename().string() + ".capstan-tmp-";
  fs::path dir = full.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return;
  for (const fs::directory_entry& entry : it) {
    std::string name = entry.path().filename().string();
    if (name.size() == prefix.size() + 6 && name.starts_with(prefix))
      RemoveIfDead(entry.path().string());
  }
}

Result<HeldFile> CreateTempFile(const std::string& target, std::string* path) {
  RemoveDeadTemps(target);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::string tmp = TempPrefix(target) + "XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) return Failed("write", target, errno);
    HeldFile held(fd);
    (void)::fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (!Lock(fd)) {
      int err = errno;
      ::unlink(tmp.c_str());
      return Failed("write", target, err);
    }
    if (StillThere(fd, tmp)) {
      *path = std::move(tmp);
      return held;
    }
  }
  return Status::IoError("cannot write " + QuoteForMessage(target, kQuotePathLimit) +
                         ": its temporary file kept disappearing");
}

Result<HeldFile> CreateTempDirectory(const std::string& target, std::string* path) {
  RemoveDeadTemps(target);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::string tmp = TempPrefix(target) + "XXXXXX";
    if (::mkdtemp(tmp.data()) == nullptr) return Failed("create", target, errno);
    int fd = ::open(tmp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;  // removed before it was opened: a new name
    HeldFile held(fd);
    if (!Lock(fd)) {
      int err = errno;
      std::error_code ec;
      std::filesystem::remove_all(tmp, ec);
      return Failed("create", target, err);
    }
    if (StillThere(fd, tmp)) {
      *path = std::move(tmp);
      return held;
    }
  }
  return Status::IoError("cannot create " + QuoteForMessage(target, kQuotePathLimit) +
                         ": its temporary directory kept disappearing");
}

Result<HeldFile> LockFile(const std::string& path, const std::function<void()>& on_wait) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Failed("lock", path, errno);
  HeldFile held(fd);
  if (on_wait && ::flock(fd, LOCK_EX | LOCK_NB) == 0) return held;
  if (on_wait && errno == EWOULDBLOCK) on_wait();
  if (!Lock(fd)) return Failed("lock", path, errno);
  return held;
}

}  // namespace capstan
