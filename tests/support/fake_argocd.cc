// FakeArgoCd: start and stop, request checking and recording, routing, and the unary
// endpoints. Streams, refreshes and the virtual-time advancer are in fake_argocd_stream.cc.
#include "support/fake_argocd.h"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "core/strings.h"
#include "support/argocd_swagger.h"
#include "support/fake_argocd_json.h"

namespace capstan::testing {
namespace {

using nlohmann::json;
using namespace fake_argocd_json;

std::string RouteFor(const std::string& operation_id) {
  static const std::map<std::string, std::string> kRoutes = {
      {"ApplicationService_List", "list"},
      {"ApplicationService_Get", "get"},
      {"ApplicationService_Sync", "sync"},
      {"ApplicationService_TerminateOperation", "terminate"},
      {"ApplicationService_ResourceTree", "resource-tree"},
      {"ApplicationService_GetApplicationSyncWindows", "syncwindows"},
      {"ApplicationService_Watch", "stream"},
      {"VersionService_Version", "version"},
      {"SessionService_GetUserInfo", "userinfo"}};
  auto found = kRoutes.find(operation_id);
  return found == kRoutes.end() ? "" : found->second;
}

std::string First(const httplib::Request& req, const std::string& name) {
  return req.has_param(name.c_str()) ? req.get_param_value(name.c_str()) : "";
}

void Answer(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

}  // namespace

std::string RecordedRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (AsciiLower(k) == AsciiLower(name)) return v;
  }
  return "";
}

// Counts a handler as at work (see TIME in the header) for its lifetime.
class FakeArgoCd::Activity {
 public:
  explicit Activity(FakeArgoCd& fake) : fake_(fake) {
    std::lock_guard lock(fake_.mu_);
    ++fake_.active_;
    fake_.last_activity_ = std::chrono::steady_clock::now();
  }
  ~Activity() {
    std::lock_guard lock(fake_.mu_);
    --fake_.active_;
    fake_.last_activity_ = std::chrono::steady_clock::now();
    fake_.cv_.notify_all();
  }

 private:
  FakeArgoCd& fake_;
};

FakeArgoCd::FakeArgoCd(ManualClock& clock, FakeArgoCdOptions options)
    : clock_(clock),
      options_(std::move(options)),
      swagger_(ArgoSwagger::Shared()),
      server_(std::make_unique<httplib::Server>()) {
  last_activity_ = std::chrono::steady_clock::now();
  server_->new_task_queue = [] { return new httplib::ThreadPool(32); };
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Patch(".*", handler);
  server_->Delete(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) FAIL("fake argocd: cannot bind a port on 127.0.0.1");
  clock_listener_ = clock_.AddListener([this] {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  });
  listener_ = std::thread([this] {
    // A client leaving mid-stream must give EPIPE, not kill the test binary; the server's worker
    // threads inherit this mask.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    server_->listen_after_bind();
  });
  advancer_ = std::thread([this] { AdvanceLoop(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeArgoCd::~FakeArgoCd() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  advancer_.join();
  clock_.RemoveListener(clock_listener_);
  server_->stop();
  listener_.join();
}

void FakeArgoCd::Handle(const httplib::Request& req, httplib::Response& res) {
  Activity activity(*this);
  int seq = 0;
  {
    std::lock_guard lock(mu_);
    RecordedRequest r;
    seq = r.seq = static_cast<int>(requests_.size()) + 1;
    r.method = req.method;
    r.path = req.path;
    r.query.insert(req.params.begin(), req.params.end());
    for (const auto& [k, v] : req.headers) {
      const std::string name = AsciiLower(k);
      if (name == "remote_addr" || name == "remote_port" || name == "local_addr" ||
          name == "local_port") {
        continue;
      }
      if (name == "authorization") {
        r.headers.emplace_back(k, v.rfind("Bearer ", 0) == 0 ? "Bearer ***" : "***");
        r.token_ok = options_.token.empty() || v == "Bearer " + options_.token;
      } else {
        r.headers.emplace_back(k, v);
      }
    }
    if (options_.token.empty()) r.token_ok = true;
    r.body = req.body;
    r.at = clock_.Now();
    r.streams_open.assign(open_streams_.begin(), open_streams_.end());
    requests_.push_back(std::move(r));
  }
  const std::string label = req.method + " " + req.path;
  if (req.method != "GET" &&
      AsciiLower(req.get_header_value("Content-Type")) != "application/json") {
    AddViolation(seq, label,
                 "Content-Type " + QuoteForMessage(req.get_header_value("Content-Type")) +
                     " is not exactly application/json: Argo CD answers 415");
    res.status = 415;
    res.set_content("Invalid content type\n", "text/plain; charset=utf-8");
    SetStatus(seq, res.status);
    return;
  }
  std::string problem;
  std::optional<SwaggerOperation> op = swagger_.Match(req.method, req.path, &problem);
  std::vector<std::string> problems;
  if (!op) {
    problems.push_back(problem);
  } else {
    std::multimap<std::string, std::string> query(req.params.begin(), req.params.end());
    for (std::string& p : swagger_.CheckQuery(*op, query)) problems.push_back(std::move(p));
    for (std::string& p : swagger_.CheckBody(*op, req.body)) problems.push_back(std::move(p));
  }
  if (req.has_header("Grpc-Timeout") && !ParseGrpcTimeout(req.get_header_value("Grpc-Timeout"))) {
    problems.push_back("Grpc-Timeout " + QuoteForMessage(req.get_header_value("Grpc-Timeout")) +
                       " is not 1 to 8 digits and a unit (H, M, S, m, u, n)");
  }
  if (!problems.empty()) {
    for (const std::string& p : problems) AddViolation(seq, label, p);
    Answer(res, 400,
           json::parse(GatewayErrorBody(kGrpcInvalidArgument,
                                        "swagger violation: " + Join(problems, "; "))));
    SetStatus(seq, res.status);
    return;
  }
  const std::string route = RouteFor(op->operation_id);
  std::string app = First(req, "name");
  for (const char* param : {"name", "applicationName"}) {
    if (op->path_params.count(param)) app = op->path_params.at(param);
  }
  {
    std::lock_guard lock(mu_);
    requests_[seq - 1].route = route;
    requests_[seq - 1].app = app;
  }
  if (route.empty()) {
    AddViolation(seq, label, "the fake Argo CD does not implement " + op->operation_id);
    Answer(res, 501,
           json::parse(GatewayErrorBody(kGrpcUnimplemented,
                                        "not implemented by the fake: " + op->operation_id)));
  } else if (std::optional<Fault> fault = TakeFault(route, app)) {
    res.status = fault->status;
    res.set_content(fault->body.empty() ? GatewayErrorBody(GrpcCodeForHttpStatus(fault->status),
                                                           HttpStatusText(fault->status))
                                        : fault->body,
                    fault->content_type);
  } else {
    Serve(req, res, seq, route, app);
  }
  SetStatus(seq, res.status);
}

void FakeArgoCd::Serve(const httplib::Request& req, httplib::Response& res, int seq,
                       const std::string& route, const std::string& app) {
  const std::string auth = req.get_header_value("Authorization");
  bool expired = false;
  {
    std::lock_guard lock(mu_);
    expired = token_expiry_ && clock_.Now() >= *token_expiry_;
  }
  const bool token_ok = options_.token.empty() || auth == "Bearer " + options_.token;
  if (route == "version") {
    Answer(res, 200, {{"Version", options_.version}, {"GoVersion", "go1.22.0"}});
    return;
  }
  if (route == "userinfo") {
    const bool in = token_ok && !expired;
    json info = {{"loggedIn", in}};
    if (in) info.update({{"username", options_.username}, {"iss", "argocd"}});
    Answer(res, 200, info);
    return;
  }
  if (!options_.token.empty() && (auth.empty() || !token_ok || expired)) {
    const std::string message = auth.empty() ? "no session information"
                                : !token_ok  ? "invalid session: token signature is invalid"
                                             : "invalid session: token has invalid claims: token "
                                               "is expired";
    Answer(res, 401, json::parse(GatewayErrorBody(kGrpcUnauthenticated, message)));
    return;
  }
  if (route == "stream") {
    ServeStream(req, res, seq);
    return;
  }
  const std::string ns = First(req, "appNamespace");
  std::vector<std::string> projects;
  for (const char* key : {"projects", "project"}) {
    auto [first, last] = req.params.equal_range(key);
    for (auto it = first; it != last; ++it) projects.push_back(it->second);
  }
  if (route == "get" && req.has_param("refresh")) {
    ServeRefresh(req, res, seq, ns, app, projects.empty() ? "" : projects[0]);
    return;
  }
  std::unique_lock lock(mu_);
  const FakeTime now = clock_.Now();
  ApiOutcome out;
  if (route == "list") {
    apps_.Settle(now);
    json items = json::array();
    for (const ScriptedApps::App* a : apps_.All()) {
      const json& doc = a->doc;
      std::string error;
      std::optional<bool> selected =
          MatchLabelSelector(First(req, "selector"), Labels(doc), &error);
      if (!selected) {
        out = Error(kGrpcUnknown, "error parsing the selector: " + error);
        break;
      }
      const std::string project = StringOr(doc["spec"], "project", "default");
      if ((!ns.empty() && doc["metadata"].value("namespace", "") != ns) ||
          (!app.empty() && doc["metadata"].value("name", "") != app) ||
          (!projects.empty() &&
           std::find(projects.begin(), projects.end(), project) == projects.end()) ||
          (req.has_param("repo") && StringOr(FirstSource(doc), "repoURL") != First(req, "repo")) ||
          !*selected || a->behavior.forbidden) {
        continue;
      }
      items.push_back(doc);
    }
    if (out.body.is_null()) {
      out.body = TrimListFields(
          {{"metadata", {{"resourceVersion", std::to_string(apps_.version())}}}, {"items", items}},
          First(req, "fields"));
    }
  } else if (route == "get") {
    out = projects.size() > 1
              ? Error(kGrpcInvalidArgument,
                      "multiple projects specified - the get endpoint accepts either zero or one "
                      "project")
              : apps_.Lookup(ns, app, projects.empty() ? "" : projects[0], now);
  } else if (route == "sync") {
    json body = req.body.empty() ? json::object() : json::parse(req.body);
    out = apps_.Sync(StringOr(body, "appNamespace"), app, body, now);
  } else if (route == "terminate") {
    out = apps_.Terminate(ns, app, projects.empty() ? "" : projects[0], now);
  } else if (route == "resource-tree") {
    out = apps_.ResourceTree(ns, app, projects.empty() ? "" : projects[0], now);
  } else if (route == "syncwindows") {
    out = apps_.SyncWindows(ns, app, projects.empty() ? "" : projects[0], now);
  }
  if (route == "sync" || route == "terminate") {
    ++generation_;
    cv_.notify_all();
  }
  lock.unlock();
  Answer(res, out.status, out.body);
}

std::optional<Fault> FakeArgoCd::TakeFault(const std::string& route, const std::string& app) {
  std::lock_guard lock(mu_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if ((!it->route.empty() && it->route != route) || (!it->app.empty() && it->app != app)) {
      continue;
    }
    if (it->skip > 0) {
      --it->skip;
      return std::nullopt;
    }
    Fault fault = *it;
    if (--it->times <= 0) faults_.erase(it);
    return fault;
  }
  return std::nullopt;
}

void FakeArgoCd::AddViolation(int seq, const std::string& request, const std::string& message) {
  std::lock_guard lock(mu_);
  violations_.push_back({seq, request, message});
}

void FakeArgoCd::SetStatus(int seq, int status) {
  std::lock_guard lock(mu_);
  requests_[seq - 1].status = status;
}

}  // namespace capstan::testing
