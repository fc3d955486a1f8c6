#include "support/fake_kube.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <regex>

#include "core/strings.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

constexpr const char* kGroup = "kustomize.toolkit.fluxcd.io";

json StatusBody(int code, const std::string& reason, const std::string& message,
                json details = json::object()) {
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", json::object()},
          {"status", "Failure"},
          {"message", message},
          {"reason", reason},
          {"details", std::move(details)},
          {"code", code}};
}

void Answer(httplib::Response& res, int code, const json& body) {
  res.status = code;
  res.set_content(body.dump(), "application/json");
}

bool IsDns1123(const std::string& name) {
  static const std::regex kName("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  return !name.empty() && name.size() <= 253 && std::regex_match(name, kName);
}

}  // namespace

FakeKube::FakeKube(ManualClock& clock, Options options)
    : clock_(clock),
      options_(std::move(options)),
      start_(clock.Now()),
      server_(std::make_unique<httplib::Server>()) {
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) FAIL("fake kube: cannot bind a port on 127.0.0.1");
  listener_ = std::thread([this] {
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    server_->listen_after_bind();
  });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeKube::~FakeKube() {
  server_->stop();
  listener_.join();
}

std::string FakeKube::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

KustomizationState FakeKube::Ready(const std::string& revision) {
  KustomizationState s;
  s.last_applied_revision = s.last_attempted_revision = revision;
  s.message = "Applied revision: " + revision;
  return s;
}

KustomizationState FakeKube::Progressing(const std::string& applied, const std::string& attempted) {
  KustomizationState s;
  s.last_applied_revision = applied;
  s.last_attempted_revision = attempted;
  s.ready = "Unknown";
  s.reason = "Progressing";
  s.message = "Reconciliation in progress";
  return s;
}

KustomizationState FakeKube::Failed(const std::string& applied, const std::string& attempted,
                                    const std::string& reason, const std::string& message) {
  KustomizationState s;
  s.last_applied_revision = applied;
  s.last_attempted_revision = attempted;
  s.ready = "False";
  s.reason = reason;
  s.message = message;
  return s;
}

void FakeKube::AddKustomization(const std::string& ns, const std::string& name,
                                KustomizationState state) {
  std::lock_guard lock(mu_);
  objects_[ns + "/" + name].states = {{start_, std::move(state)}};
}

void FakeKube::Then(const std::string& ns, const std::string& name, std::chrono::milliseconds after,
                    KustomizationState state) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(ns + "/" + name);
  if (it == objects_.end())
    FAIL("fake kube: Then before AddKustomization for " << ns << "/" << name);
  it->second.states.emplace_back(start_ + after, std::move(state));
}

void FakeKube::Forbid(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mu_);
  objects_[ns + "/" + name].forbidden = true;
}

json FakeKube::Render(const std::string& ns, const std::string& name, const Scripted& s,
                      const std::string& version) {
  const auto now = clock_.Now();
  const KustomizationState* state = &s.states.front().second;
  for (const auto& [at, st] : s.states) {
    if (at <= now) state = &st;
  }
  json status = json::object();
  if (state->observed_generation >= 0) status["observedGeneration"] = state->observed_generation;
  if (!state->last_applied_revision.empty()) {
    status["lastAppliedRevision"] = state->last_applied_revision;
  }
  if (!state->last_attempted_revision.empty()) {
    status["lastAttemptedRevision"] = state->last_attempted_revision;
  }
  json conditions = json::array();
  if (!state->ready.empty()) {
    conditions.push_back({{"type", "Ready"},
                          {"status", state->ready},
                          {"reason", state->reason},
                          {"message", state->message},
                          {"observedGeneration", state->generation},
                          {"lastTransitionTime", "2024-01-01T00:00:00Z"}});
  }
  status["conditions"] = std::move(conditions);
  return {{"apiVersion", std::string(kGroup) + "/" + version},
          {"kind", "Kustomization"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"generation", state->generation},
            {"uid", "00000000-0000-0000-0000-000000000001"},
            {"resourceVersion", "1"}}},
          {"spec",
           {{"interval", "10m0s"},
            {"path", "./apps"},
            {"prune", true},
            {"suspend", state->suspend},
            {"sourceRef", {{"kind", "GitRepository"}, {"name", "flux-system"}}}}},
          {"status", std::move(status)}};
}

json FakeKube::Object(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(ns + "/" + name);
  if (it == objects_.end() || it->second.states.empty()) return nullptr;
  return Render(ns, name, it->second, "v1");
}

void FakeKube::AddViolation(const std::string& message) { violations_.push_back(message); }

void FakeKube::Handle(const httplib::Request& req, httplib::Response& res) {
  std::lock_guard lock(mu_);
  KubeRequest r{req.method, req.path, "", req.get_header_value("Authorization"),
                req.get_header_value("Accept")};
  for (const auto& [k, v] : req.params) r.query += (r.query.empty() ? "" : "&") + k + "=" + v;
  requests_.push_back(r);
  const std::string where = req.method + " " + req.path;

  if (req.method != "GET") {
    AddViolation(where + ": only GET is served");
    return Answer(res, 405,
                  StatusBody(405, "MethodNotAllowed",
                             "the server does not allow this method on the requested resource"));
  }
  static const std::regex kPath(
      "/apis/kustomize\\.toolkit\\.fluxcd\\.io/([^/]+)/namespaces/([^/]+)/kustomizations/([^/]+)");
  std::smatch m;
  const json not_served =
      StatusBody(404, "NotFound", "the server could not find the requested resource");
  if (!std::regex_match(req.path, m, kPath)) {
    AddViolation(where + ": not a namespaced Kustomization path");
    return Answer(res, 404, not_served);
  }
  const std::string version = m[1], ns = m[2], name = m[3];
  if (!IsDns1123(ns) || !IsDns1123(name)) {
    AddViolation(where + ": namespace and name must be DNS-1123 names");
  }
  if (!r.query.empty()) AddViolation(where + ": unexpected query '" + r.query + "'");
  if (!r.accept.empty() && r.accept.find("application/json") == std::string::npos &&
      r.accept != "*/*") {
    AddViolation(where + ": Accept '" + r.accept + "' is not application/json");
  }
  if (r.authorization != "Bearer " + options_.token) {
    if (r.authorization.rfind("Bearer ", 0) != 0) {
      AddViolation(where + ": no bearer token");
    }
    return Answer(res, 401, StatusBody(401, "Unauthorized", "Unauthorized"));
  }
  if (options_.versions.count(version) == 0) return Answer(res, 404, not_served);
  const json details = {{"name", name}, {"group", kGroup}, {"kind", "kustomizations"}};
  auto it = objects_.find(ns + "/" + name);
  if (it != objects_.end() && it->second.forbidden) {
    return Answer(res, 403,
                  StatusBody(403, "Forbidden",
                             std::string("kustomizations.") + kGroup + " \"" + name +
                                 "\" is forbidden: User \"system:serviceaccount:ci:capstan\" "
                                 "cannot get resource \"kustomizations\" in API group \"" +
                                 kGroup + "\" in the namespace \"" + ns + "\"",
                             details));
  }
  if (it == objects_.end() || it->second.states.empty()) {
    return Answer(
        res, 404,
        StatusBody(404, "NotFound",
                   std::string("kustomizations.") + kGroup + " \"" + name + "\" not found",
                   details));
  }
  Answer(res, 200, Render(ns, name, it->second, version));
}

std::vector<KubeRequest> FakeKube::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int FakeKube::Count() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(requests_.size());
}

std::vector<std::string> FakeKube::Violations() const {
  std::lock_guard lock(mu_);
  return violations_;
}

std::string FakeKube::ViolationsText() const { return Join(Violations(), "\n"); }

}  // namespace capstan::testing
