#include "fs/posix_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>

#include "core/strings.h"
#include "core/temp_files.h"

namespace capstan::fs {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string m =
      "cannot " + what + " " + QuoteForMessage(path, kQuotePathLimit) + ": " + ErrnoText(err);
  if (err == ENOENT || err == ENOTDIR) return Status::NotFound(std::move(m));
  return Status::IoError(std::move(m));
}

FileType TypeOf(mode_t mode) {
  if (S_ISREG(mode)) return FileType::kRegular;
  if (S_ISDIR(mode)) return FileType::kDirectory;
  if (S_ISLNK(mode)) return FileType::kSymlink;
  return FileType::kOther;
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// Opens path for reading and stats it; a directory is an error.
Status OpenForReading(const std::string& path, FdCloser* fd, struct stat* st) {
  fd->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd->fd < 0) return ErrnoStatus("read", path, errno);
  if (::fstat(fd->fd, st) != 0) return ErrnoStatus("read", path, errno);
  if (S_ISDIR(st->st_mode))
    return Status::IoError("cannot read " + QuoteForMessage(path, kQuotePathLimit) +
                           ": is a directory");
  return Status();
}

}  // namespace

std::string FormatBytes(std::uint64_t n) {
  if (n >= (1u << 20) && n % (1u << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= (1u << 10) && n % (1u << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

Result<std::string> PosixFileSystem::ReadFile(const std::string& path, std::uint64_t max_bytes) {
  FdCloser closer{-1};
  struct stat st;
  if (Status s = OpenForReading(path, &closer, &st); !s.ok()) return s;
  int fd = closer.fd;
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    return Status::LimitExceeded(QuoteForMessage(path, kQuotePathLimit) + " is larger than the " +
                                 FormatBytes(max_bytes) + " file size limit");
  }
  std::string data;
  if (S_ISREG(st.st_mode)) data.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", path, errno);
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      return Status::LimitExceeded(QuoteForMessage(path, kQuotePathLimit) + " is larger than the " +
                                   FormatBytes(max_bytes) + " file size limit");
    }
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

Status PosixFileSystem::ReadChunks(const std::string& path, std::size_t chunk_bytes,
                                   const std::function<Status(std::string_view)>& sink) {
  FdCloser closer{-1};
  struct stat st;
  if (Status s = OpenForReading(path, &closer, &st); !s.ok()) return s;
  int fd = closer.fd;
  std::string buf(std::max<std::size_t>(chunk_bytes, 1), '\0');
  for (;;) {
    std::size_t filled = 0;
    while (filled < buf.size()) {
      ssize_t n = ::read(fd, buf.data() + filled, buf.size() - filled);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path, errno);
      }
      if (n == 0) break;
      filled += static_cast<std::size_t>(n);
    }
    if (filled == 0) return Status();
    if (Status s = sink(std::string_view(buf.data(), filled)); !s.ok()) return s;
    if (filled < buf.size()) return Status();
  }
}

Result<FileInfo> PosixFileSystem::Stat(const std::string& path, bool follow_symlinks) {
  struct stat st;
  int rc = follow_symlinks ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
  if (rc != 0) return ErrnoStatus("access", path, errno);
  FileInfo info;
  info.type = TypeOf(st.st_mode);
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.mode = st.st_mode & 07777;
  info.device = static_cast<std::uint64_t>(st.st_dev);
  return info;
}

Result<std::vector<DirEntry>> PosixFileSystem::ListDir(const std::string& path) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), &::closedir);
  if (!dir) return ErrnoStatus("list", path, errno);
  std::vector<DirEntry> entries;
  errno = 0;
  while (struct dirent* e = ::readdir(dir.get())) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    DirEntry entry{name, FileType::kOther};
    if (e->d_type == DT_REG) {
      entry.type = FileType::kRegular;
    } else if (e->d_type == DT_DIR) {
      entry.type = FileType::kDirectory;
    } else if (e->d_type == DT_LNK) {
      entry.type = FileType::kSymlink;
    } else if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      std::string full = path + "/" + name;
      if (::lstat(full.c_str(), &st) == 0) entry.type = TypeOf(st.st_mode);
    }
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return entries;
}

Status PosixFileSystem::WriteFileAtomic(const std::string& path, std::string_view content) {
  mode_t mode = 0644;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  // Held (core/temp_files.h) until renamed: a run killed before that leaves a temporary the
  // next write of path removes.
  std::string tmp;
  Result<HeldFile> held = CreateTempFile(path, &tmp);
  if (!held.ok()) return held.status();
  const int fd = held->fd();
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::unlink(tmp.c_str());
      return ErrnoStatus("write", path, err);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("write", path, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("write", path, err);
  }
  return Status::Ok();
}

Result<std::string> PosixFileSystem::RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return ErrnoStatus("resolve", path, errno);
  return std::string(buf);
}

Status PosixFileSystem::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) == 0) return Status::Ok();
  int err = errno;
  std::string m = "cannot rename " + QuoteForMessage(from, kQuotePathLimit) + " to " +
                  QuoteForMessage(to, kQuotePathLimit) + ": " + ErrnoText(err);
  struct stat st;
  if (err == ENOENT && ::lstat(from.c_str(), &st) != 0) return Status::NotFound(std::move(m));
  return Status::IoError(std::move(m));
}

Status PosixFileSystem::Remove(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return ErrnoStatus("remove", path, errno);
  return Status::Ok();
}

Status PosixFileSystem::SetMode(const std::string& path, std::uint32_t mode) {
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    return ErrnoStatus("change the mode of", path, errno);
  }
  return Status::Ok();
}

Status PosixFileSystem::CreateDirectories(const std::string& path) {
  // Each prefix ending before a '/', then the whole path; EEXIST is fine when it is a directory.
  for (std::size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    std::string prefix = path.substr(0, end);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      int err = errno;
      return Status::IoError("cannot create directory " + QuoteForMessage(prefix, kQuotePathLimit) +
                             ": " + ErrnoText(err));
    }
    if (end == std::string::npos) break;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IoError("cannot create directory " + QuoteForMessage(path, kQuotePathLimit) +
                           ": not a directory");
  }
  return Status::Ok();
}

}  // namespace capstan::fs
