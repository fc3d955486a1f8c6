#include "sync/run.h"

#include <ostream>

#include "git/repository.h"
#include "git/revisions.h"

namespace capstan::tools::sync {

void Progress::Say(const std::string& app, const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  *env_.err << app << ": " << line << "\n";
  env_.err->flush();
  last_[app] = env_.clock->Monotonic();
}

void Progress::Heartbeat(const std::string& app, const std::string& summary,
                         std::chrono::steady_clock::time_point started) {
  const auto now = env_.clock->Monotonic();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = last_.find(app);
    if (it != last_.end() && now - it->second < heartbeat_) return;
  }
  Say(app, "still waiting (" +
               FormatElapsed(std::chrono::duration_cast<std::chrono::milliseconds>(now - started)) +
               "): " + summary);
}

void Progress::Warn(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  *env_.err << kTool << ": warning: " << line << "\n";
  env_.err->flush();
}

std::string AppLabel(const argocd::AppRef& app) {
  return app.app_namespace.empty() ? app.name : app.app_namespace + "/" + app.name;
}

std::string FormatElapsed(std::chrono::milliseconds d) {
  long long s = std::max<long long>(d.count(), 0) / 1000;
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  if (s >= 60) out += std::to_string(s / 60 % 60) + "m";
  if (s % 60 != 0 || out.empty()) out += std::to_string(s % 60) + "s";
  return out;
}

SharedRepository::SharedRepository(std::unique_ptr<git::Repository> repo)
    : repo_(std::move(repo)) {}
SharedRepository::~SharedRepository() = default;

bool SharedRepository::Reaches(const std::string& target, const std::string& revision) {
  if (target.empty() || revision.empty()) return false;
  if (target == revision) return true;
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(target, revision);
  if (auto it = answers_.find(key); it != answers_.end()) return it->second;
  Result<bool> ancestor = git::IsAncestor(*repo_, target, revision);
  bool answer = ancestor.ok() && *ancestor;
  answers_[key] = answer;
  return answer;
}

}  // namespace capstan::tools::sync
