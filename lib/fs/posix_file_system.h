// The real FileSystem over POSIX calls. Stateless and thread-safe.
#pragma once

#include "core/env.h"

namespace capstan::fs {

class PosixFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) override;
  Status ReadChunks(const std::string& path, std::size_t chunk_bytes,
                    const std::function<Status(std::string_view)>& sink) override;
  Result<FileInfo> Stat(const std::string& path, bool follow_symlinks) override;
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override;
  Status WriteFileAtomic(const std::string& path, std::string_view content) override;
  Result<std::string> RealPath(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Remove(const std::string& path) override;
  Status SetMode(const std::string& path, std::uint32_t mode) override;
  Status CreateDirectories(const std::string& path) override;
};

// Formats a human size limit: 16777216 -> "16 MiB".
std::string FormatBytes(std::uint64_t n);

}  // namespace capstan::fs
