// What every application's deployment shares within one capstan-sync run: the settings, the
// API client, the progress lines, the repository (when --repo is given) and the deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "argocd/client.h"
#include "core/env.h"
#include "sync/options.h"

namespace capstan::git {
class Repository;
}

namespace capstan::tools::sync {

// Progress lines on stderr, one per state change, "<app>: <what>", and the heartbeat: an app
// that printed nothing for Settings::heartbeat says it is still waiting, so CI jobs with a
// no-output limit live. Thread-safe.
class Progress {
 public:
  Progress(Env& env, std::chrono::milliseconds heartbeat) : env_(env), heartbeat_(heartbeat) {}

  // Prints "<app>: <line>".
  void Say(const std::string& app, const std::string& line);
  // Prints "<app>: still waiting (<elapsed>): <summary>" when the app printed nothing for the
  // heartbeat interval.
  void Heartbeat(const std::string& app, const std::string& summary,
                 std::chrono::steady_clock::time_point started);
  // "capstan-sync: warning: <line>".
  void Warn(const std::string& line);

 private:
  Env& env_;
  std::chrono::milliseconds heartbeat_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_;
};

// "namespace/name", or the name alone when the namespace was not given: how progress lines and
// the report name an app.
std::string AppLabel(const argocd::AppRef& app);

// "1m30s", "45s", "2h5m".
std::string FormatElapsed(std::chrono::milliseconds d);

// The repository behind --repo, shared by threads: ancestry questions are serialised and
// remembered.
class SharedRepository {
 public:
  explicit SharedRepository(std::unique_ptr<git::Repository> repo);
  ~SharedRepository();

  // Whether `revision` is the commit `target` or a descendant of it. False when either is not
  // in the repository (a newer commit not fetched here reads as not there yet).
  bool Reaches(const std::string& target, const std::string& revision);
  git::Repository& repo() { return *repo_; }
  std::mutex& mutex() { return mu_; }

 private:
  std::unique_ptr<git::Repository> repo_;
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, bool> answers_;
};

struct Run {
  Env& env;
  const Settings& settings;
  argocd::Client& client;
  // For streams: the same transport, no retries once data flowed (http::PolicyClient::Stream).
  HttpClient& http;
  Progress& progress;
  SharedRepository* repo = nullptr;  // nullptr without --repo
  std::chrono::steady_clock::time_point deadline;
  // Set once the server refused a stream: every app polls from then on.
  std::atomic<bool> stream_refused{false};
  std::atomic<bool> stream_refusal_said{false};
};

}  // namespace capstan::tools::sync
