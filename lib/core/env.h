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
  // How long one exchange may take, from the start of connecting until the last byte of the
  // response is read (for Stream: until the stream ends); kTimeout when it passes. A client
  // that retries applies it to each attempt.
  std::chrono::milliseconds timeout{30000};
  // How long the whole call may take, every attempt and the waits between them included, from
  // the moment it is made; 0 = no limit beyond `timeout` per attempt. A retrying client
  // (http::PolicyClient) cuts each attempt's timeout to what is left and starts no attempt
  // after it; a client that makes one attempt treats it as a cap on `timeout`.
  std::chrono::milliseconds deadline{0};
  // A POST or PATCH that may safely be sent again (a webhook delivery: receiving it twice only
  // refreshes twice), so a retrying client retries it on a status or a timeout as it would a
  // GET. False: such methods are retried only when no connection was made.
  bool repeatable = false;
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

// How HttpClient::Stream receives a response.
struct StreamOptions {
  // The longest silence allowed: no byte received (status line, headers or body, keepalive
  // comments included) for this long since the call started or since the last byte ends the
  // call with kTimeout, so the caller can fall back to polling. 0 = no limit but the request's
  // timeout.
  std::chrono::milliseconds idle_timeout{0};
  // Decides, once the status line and headers are in (`head` has an empty body), whether the
  // body goes to the sink as it arrives (true) or is read in full into the returned response
  // as Send would (false). A retrying client calls it once per attempt. Unset: a 2xx is
  // streamed, any other status read in full.
  std::function<bool(const HttpResponse& head)> stream_body;

  bool Streams(const HttpResponse& head) const {
    return stream_body ? stream_body(head) : head.status >= 200 && head.status < 300;
  }
};

// Receives a streamed body in order, in pieces that split it at arbitrary bytes (never empty).
// Returning false stops the transfer: the connection is closed and Stream returns ok.
using StreamSink = std::function<bool(std::string_view chunk)>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // One request, no retries (retries are a policy layered above). Transport failures are
  // kIoError / kTimeout; any HTTP status, including 4xx/5xx, is a successful Response.
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;

  // One request whose body may never end (server-sent events, watch streams). Once the head is
  // in, options.Streams(head) chooses: a streamed body goes to `sink` as it arrives and the
  // returned response carries status and headers with an empty body; any other body is read in
  // full and returned as Send returns it. Returns ok when the server ends the body or the sink
  // returns false. Fails as Send does (request.timeout bounds the whole stream: kTimeout), and
  // with kTimeout when options.idle_timeout passes without a byte. A failure after pieces
  // reached the sink means the stream broke (kIoError) or stalled (kTimeout) there; what was
  // delivered stays delivered.
  //
  // This default, for clients that cannot stream (test fakes), makes one Send and hands a
  // streamed body to the sink whole, as one piece (none when empty); it has no idle timer.
  virtual Result<HttpResponse> Stream(const HttpRequest& request, const StreamOptions& options,
                                      const StreamSink& sink) {
    Result<HttpResponse> response = Send(request);
    if (!response.ok()) return response;
    std::string body = std::move(response->body);
    response->body.clear();
    if (!options.Streams(*response)) {
      response->body = std::move(body);
    } else if (!body.empty()) {
      (void)sink(body);
    }
    return response;
  }
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
