// FakeArgoCd's test-facing API: scripting the apps and reading what was received.
#include <catch2/catch.hpp>

#include "support/fake_argocd.h"

namespace capstan::testing {

ScriptedApps::App& FakeArgoCd::FindOrFail(const std::string& name,
                                          const std::string& app_namespace) {
  ScriptedApps::App* app = apps_.Find(app_namespace, name);
  if (app == nullptr) FAIL("fake argocd: no app " << app_namespace << "/" << name);
  return *app;
}

void FakeArgoCd::AddApp(nlohmann::json app, AppBehavior behavior) {
  std::lock_guard lock(mu_);
  apps_.Add(std::move(app), std::move(behavior), clock_.Now());
  ++generation_;
  cv_.notify_all();
}

void FakeArgoCd::AddApp(const AppSpec& spec, AppBehavior behavior) {
  AddApp(MakeApplication(spec, clock_.Now()), std::move(behavior));
}

nlohmann::json FakeArgoCd::App(const std::string& name, const std::string& app_namespace) {
  std::lock_guard lock(mu_);
  apps_.Settle(clock_.Now());
  return FindOrFail(name, app_namespace).doc;
}

void FakeArgoCd::PushRevision(const std::string& name, std::vector<std::string> heads,
                              const std::string& app_namespace) {
  std::lock_guard lock(mu_);
  apps_.PushRevision(FindOrFail(name, app_namespace), std::move(heads), clock_.Now());
  ++generation_;
  cv_.notify_all();
}

void FakeArgoCd::StartOperation(const std::string& name, const std::string& revision,
                                bool automated, const std::string& app_namespace) {
  std::lock_guard lock(mu_);
  apps_.StartOperation(FindOrFail(name, app_namespace), revision, automated, clock_.Now());
  ++generation_;
  cv_.notify_all();
}

void FakeArgoCd::Schedule(const std::string& name, milliseconds after, nlohmann::json merge_patch,
                          const std::string& app_namespace) {
  std::lock_guard lock(mu_);
  apps_.Schedule(FindOrFail(name, app_namespace), after, std::move(merge_patch), clock_.Now());
  ++generation_;
  cv_.notify_all();
}

void FakeArgoCd::SetResourceTree(const std::string& name, nlohmann::json tree,
                                 const std::string& app_namespace) {
  std::lock_guard lock(mu_);
  FindOrFail(name, app_namespace).tree = std::move(tree);
}

void FakeArgoCd::ExpireTokenAt(FakeTime t) {
  std::lock_guard lock(mu_);
  token_expiry_ = t;
}

void FakeArgoCd::InjectFault(Fault fault) {
  std::lock_guard lock(mu_);
  faults_.push_back(std::move(fault));
}

void FakeArgoCd::PlanStreams(std::vector<StreamPlan> plans) {
  std::lock_guard lock(mu_);
  for (StreamPlan& p : plans) stream_plans_.push_back(std::move(p));
}

std::vector<RecordedRequest> FakeArgoCd::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int FakeArgoCd::Count(std::string_view route, std::string_view app) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const RecordedRequest& r : requests_) n += r.route == route && (app.empty() || r.app == app);
  return n;
}

std::vector<Violation> FakeArgoCd::Violations() const {
  std::lock_guard lock(mu_);
  return violations_;
}

std::string FakeArgoCd::ViolationsText() const {
  std::string text;
  for (const Violation& v : Violations()) {
    text += "#" + std::to_string(v.seq) + " " + v.request + ": " + v.message + "\n";
  }
  return text;
}

int FakeArgoCd::OpenStreams() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(open_streams_.size());
}

}  // namespace capstan::testing
