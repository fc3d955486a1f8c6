// The seams between capstan and the outside world (DESIGN.md "Seams"). Each main.cc builds one
// real Env; tests build Envs over real temp dirs and local servers, or wrap the real pieces to
// inject faults. Library code takes only the narrow interface it needs, never the whole Env.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/subprocess.h"

namespace capstan::git {
class Repository;  // git/repository.h; lib/core does not depend on lib/git
}  // namespace capstan::git

namespace capstan {

enum class FileType { kRegular, kDirectory, kSymlink, kOther };

struct FileInfo {
  FileType type = FileType::kOther;
  std::uint64_t size = 0;
  std::uint32_t mode = 0;    // permission bits
  std::uint64_t device = 0;  // the file system it is on (st_dev); 0 when the FileSystem cannot tell
};

struct DirEntry {
  std::string name;  // a single path component
  FileType type = FileType::kOther;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Reads the whole file. Fails with kLimitExceeded (without reading it all) when it is larger
  // than max_bytes, kNotFound when it does not exist, kIoError otherwise. Follows symlinks.
  virtual Result<std::string> ReadFile(const std::string& path, std::uint64_t max_bytes) = 0;

  // Reads the whole file from the start in pieces of at most chunk_bytes (> 0), handing each to
  // sink in order, whatever the file's size; for files too large to hold at once. Stops at the
  // first non-ok Status sink returns and returns it; kNotFound / kIoError as ReadFile.
  virtual Status ReadChunks(const std::string& path, std::size_t chunk_bytes,
                            const std::function<Status(std::string_view)>& sink) = 0;

  // Stat without following a final symlink when follow_symlinks is false.
  virtual Result<FileInfo> Stat(const std::string& path, bool follow_symlinks) = 0;

  // Entries of a directory, sorted by name, without "." and "..".
  virtual Result<std::vector<DirEntry>> ListDir(const std::string& path) = 0;

  // Replaces path's content atomically (temp file in the same directory, fsync, rename),
  // keeping the mode of an existing file. On failure the old content is untouched.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view content) = 0;

  // The canonical absolute path (symlinks resolved), or an error.
  virtual Result<std::string> RealPath(const std::string& path) = 0;

  // Renames `from` to `to` like rename(2): atomic within one file system, replacing an existing
  // `to` (a file or an empty directory), moving a symlink itself rather than its target. Fails
  // with kNotFound when `from` does not exist, kIoError otherwise.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;

  // Removes a file or a symlink (not its target), not a directory. Fails with kNotFound when
  // path does not exist, kIoError otherwise.
  virtual Status Remove(const std::string& path) = 0;

  // Sets the permission bits of path (e.g. 0755), following symlinks. kNotFound when it does
  // not exist, kIoError otherwise.
  virtual Status SetMode(const std::string& path, std::uint32_t mode) = 0;

  // Creates the directory path and any missing parents (mode 0777 less the umask). Succeeds
  // when it already exists as a directory; fails with kIoError when it cannot be created or a
  // component is not a directory.
  virtual Status CreateDirectories(const std::string& path) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() = 0;
  virtual std::chrono::steady_clock::time_point Monotonic() = 0;
  virtual void Sleep(std::chrono::milliseconds d) = 0;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
  // What the request is for ("manifest", "tags", "sync"), used only to count requests
  // (http::RequestStats); "" counts as "other".
  std::string kind;
};

struct HttpResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lowercased
  std::string body;

  // The first value of the header `lowercase_name`, "" when absent.
  std::string Header(const std::string& lowercase_name) const {
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // One request, no retries (retries are a policy layered above). Transport failures are
  // kIoError / kTimeout; any HTTP status, including 4xx/5xx, is a successful Response.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// Opens the git repository containing `path` (a file or a directory, absolute or relative to the
// process's working directory), with git::Repository::Discover's contract: kNotFound when there
// is none, kIoError when one is found but cannot be opened.
using RepositoryOpener =
    std::function<Result<std::unique_ptr<git::Repository>>(const std::string& path)>;

// Everything a tool's Run() may touch. Pointers are borrowed; the caller owns them.
struct Env {
  FileSystem* fs = nullptr;
  Clock* clock = nullptr;
  HttpClient* http = nullptr;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Looks up an environment variable; lib/ never calls getenv itself.
  std::function<std::optional<std::string>(std::string_view)> getenv;
  // The working directory relative paths are resolved against ("" = the process's own).
  std::string cwd;
  // Opens git repositories. The real one (set in a tool's main.cc) is git::Repository::Discover,
  // which initialises libgit2 on its first call, so a run that opens no repository never does;
  // tools that never open one leave it unset. REQUIRES: set before a Run() that may open one.
  RepositoryOpener open_repository;
  // Runs helper programs (git credential, docker-credential-*, ext: credential programs). The
  // real one (RealEnv) is RunSubprocess over the process's own environment; lib/ never reads
  // `environ`. REQUIRES: set before a Run() that may run one.
  SubprocessRunner run_subprocess;

  // The directory relative paths are resolved against: cwd, or "." when cwd is empty.
  std::string WorkingDirectory() const { return cwd.empty() ? "." : cwd; }
};

}  // namespace capstan
