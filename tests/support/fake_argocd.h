// A fake Argo CD API server for capstan-sync's tests: cpp-httplib on 127.0.0.1 and an ephemeral
// port, serving the REST endpoints capstan-sync uses, checking every request against Argo CD's
// published API description and recording it, over scripted Applications that move in fake time.
//
// Typical use:
//   if (!RequireSharedData("data/argocd/swagger.json")) return;
//   ManualClock clock;                                   // also the tool's Env clock
//   FakeArgoCd argo(clock, {.token = "t0ken"});
//   argo.AddApp(AppSpec{.name = "web", .revision = kOld}, {.heads = {kNew}});
//   ... run capstan-sync in-process against argo.host() (--plaintext, token "t0ken") ...
//   CHECK(argo.ViolationsText() == "");
//   CHECK(argo.Count("list") == 1);
//   CHECK(argo.Count("sync", "web") == 1);
//   CHECK(argo.App("web")["status"]["sync"]["revision"] == kNew);
//
// Endpoints (route names, as Count() and Fault take them):
//   list           GET    /api/v1/applications  (name, selector, projects/project, appNamespace,
//                         repo (exact match on the first source, as Argo CD), fields trimming as
//                         argocd_wire.h TrimListFields; sorted by name)
//   get            GET    /api/v1/applications/{name}  (project, appNamespace; refresh=: see below)
//   sync           POST   /api/v1/applications/{name}/sync  (fake_argocd_apps.h ScriptedApps::Sync)
//   terminate      DELETE /api/v1/applications/{name}/operation
//   resource-tree  GET    /api/v1/applications/{applicationName}/resource-tree
//   syncwindows    GET    /api/v1/applications/{name}/syncwindows
//   stream         GET    /api/v1/stream/applications  (server-sent events, below)
//   version        GET    /api/version      (no token needed)
//   userinfo       GET    /api/v1/session/userinfo  (loggedIn false without a valid token)
// Any other operation the description declares answers 501 and is recorded as a violation.
//
// Every request, in this order (as the real server): a non-GET whose Content-Type is not exactly
// application/json (any case; "; charset=utf-8" is not) gets 415 text/plain "Invalid content
// type" and a violation; the path, method, query and body are checked against the description
// (argocd_swagger.h, with its wire corrections), and a malformed Grpc-Timeout header is checked:
// any problem gets 400 {"error","code":3,"message":"swagger violation: ..."} and a violation;
// then injected faults; then the token (when options.token is set): missing "Authorization:
// Bearer <token>" 401 "no session information", another token 401 "invalid session: token
// signature is invalid", past ExpireTokenAt 401 "invalid session: token has invalid claims:
// token is expired" (code 16). Apps answer 403 "permission denied" when missing and no project
// was given (404 with one; argo-cd #13000).
//
// TIME. Scripted apps move in fake time on the ManualClock, never on the wall clock, and
// timestamps are those of the script. Three things move the clock: the code under test sleeping
// on it (a polling client: fully deterministic), the test (clock.Advance), and the fake itself
// when the client is blocked on it: when a stream or a ?refresh= is waiting for a fake time and
// no request has been handled for options.idle_before_advance of REAL time, the fake advances
// the clock to the earliest time one of them waits for (the next scripted change, the next 15 s
// keepalive, a refresh's completion or its Grpc-Timeout deadline), one step at a time. So a
// client waiting on a stream sees each scripted state, then keepalives every 15 fake seconds,
// and its own --timeout (on the same clock) passes after a few real milliseconds per step. The
// only real-time assumption: a client handles a frame within idle_before_advance (20 ms) of
// receiving it; raise it for slow machines.
//
// STREAM. GET /api/v1/stream/applications (name, appNamespace, projects/project, selector,
// resourceVersion, fields) answers "text/event-stream": first an ADDED frame per matching app
// (sorted by name; a name-filtered stream gets it even with resourceVersion, as Argo CD), then a
// MODIFIED frame for every change of a matching app, in order, each
//   data: {"result":{"type":"MODIFIED","application":{...}}} \n\n
// trimmed by `fields` (TrimStreamFields) and skipped when identical to the previous frame sent
// for that app (Argo CD's de-duplication); ":\n" every keepalive_interval of fake time from the
// stream's start. A stream for an app that does not exist just sends keepalives (as Argo CD).
// Without "Accept: text/event-stream" Argo CD answers newline-delimited JSON instead: so does
// the fake, recording a violation. PlanStreams scripts drops and mid-stream errors; refuse a
// stream with a Fault on route "stream".
//
// REFRESH. GET /api/v1/applications/{name}?refresh=normal|hard starts a refresh (AppBehavior::
// refresh_duration) and answers when it completes; at its Grpc-Timeout deadline first, 500 code 2
// "application refresh deadline exceeded". Without a Grpc-Timeout header it records a violation
// (Argo CD has no deadline of its own, argo-cd #21613) and, for a refresh that never completes,
// answers that 500 after options.real_time_cap of real time.
//
// SCENARIOS (capstan-sync's pain points, issue 16), with kOld/kNew two commits:
//   false green (argo-cd #542, #5592)  the default: after a sync the app stays Synced + Healthy
//                        at kOld, without operationState, for pickup_delay (set it long).
//   already there (#12211)      AppSpec{.revision = kNew}, no heads: nothing is ever pending.
//   controller slow to notice   AppBehavior{.heads = {kNew}, .notice_delay = 3min}.
//   operation fails             .operation_end = OperationEnd::kFailed (kError); automated apps
//                               then get the SyncError condition.
//   degraded / flapping         .health_end = kDegraded / kHealthyThenDegraded (.degraded_after).
//   suspended, missing, stuck   .health_end = kSuspended / kMissing / kProgressing.
//   auto-sync refuses a SHA     AppSpec{.automated = true}: a sync with a revision other than
//                               targetRevision gets 400 code 9 "Cannot sync to ...".
//   revision moves, no operation (manifest-generate-paths)  automated + .auto_sync_skips = true.
//   operation in progress (#4505)  StartOperation("web", kOld) before the run; a long
//                               .operation_duration keeps it running; with .pickup_delay > 0 a
//                               DELETE first gets "No operation is in progress" (#17155).
//   refresh never returns (#21613)  .refresh_duration = std::nullopt.
//   missing app: 403 (#13000)   no AddApp; 404 when the request names a project.
//   no access                   .forbidden = true.
//   sync window                 .sync_window = SyncWindow{} (and GET .../syncwindows names it).
//   conditions, anything else   Schedule("web", 5s, merge patch), e.g. a ComparisonError.
//   5xx burst, proxy pages      InjectFault({.route = "sync", .status = 503, .times = 3}).
//   415 from a proxy            InjectFault({.route = "sync", .status = 415, .body = "Invalid
//                               content type\n", .content_type = "text/plain; charset=utf-8"}).
//   stream refused / dropped    InjectFault({.route = "stream", .status = 501}); PlanStreams.
//   token expires mid-wait      ExpireTokenAt(clock.Now() + 2min) (streams already open go on).
//   sync waves                  AppSpec{.annotations = {{"argocd.argoproj.io/sync-wave", "1"}}}.
// Assert the exact requests with Requests() / Count(); "no status polling while the stream is
// up" is: no "get" request whose streams_open names the app.
//
// All methods are thread-safe. Failures to start fail the test (Catch2 FAIL). The server serves
// up to 32 connections at once (keep-alive connections count).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/argocd_wire.h"
#include "support/fake_argocd_apps.h"
#include "support/manual_clock.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace capstan::testing {

class ArgoSwagger;

struct FakeArgoCdOptions {
  std::string token = "test-token";  // "" = no authentication
  std::string username = "admin";    // what userinfo answers
  std::string version = "v2.14.2+fake";
  milliseconds keepalive_interval{15000};  // fake time
  milliseconds idle_before_advance{20};    // real time, see TIME
  milliseconds real_time_cap{3000};        // real time, see REFRESH
};

// One request as received. The Authorization header's value is replaced by "Bearer ***" (or
// "***" for another scheme): the token never appears.
struct RecordedRequest {
  int seq = 0;         // 1, 2, ... in arrival order
  std::string method;  // "GET"
  std::string path;    // decoded, without the query
  std::string route;   // "list", "sync"... (see the table above); "" when none matched
  std::string app;     // the {name} / {applicationName} / ?name= of the request; "" if none
  std::multimap<std::string, std::string> query;  // decoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool token_ok = false;  // the token matched (always true without options.token)
  int status = 0;         // the status answered (0 while still being handled)
  FakeTime at;            // fake time of arrival
  // Apps with an open stream when this request arrived ("*" for a stream without ?name=).
  std::vector<std::string> streams_open;

  // The first header named `name` (any case), "" when absent.
  std::string Header(std::string_view name) const;
};

// A request that broke the description or a wire rule.
struct Violation {
  int seq = 0;
  std::string request;  // "POST /api/v1/applications/web/sync"
  // "body field 'revison' is not declared in applicationApplicationSyncRequest"
  std::string message;
};

// Answers matching requests with an error instead of serving them (after the description
// checks, before the token check). route "" or app "" match any.
struct Fault {
  std::string route{};
  std::string app{};
  int status = 503;
  // "" = the gateway's JSON error body for status (code from GrpcCodeForHttpStatus, message the
  // reason phrase); otherwise sent as is with content_type.
  std::string body{};
  std::string content_type = "application/json";
  int skip = 0;   // let this many matching requests through first
  int times = 1;  // then answer this many
};

// How one stream ends (PlanStreams); by default it runs until the client leaves.
struct StreamPlan {
  int drop_after_frames = -1;   // >= 0: close the connection (no final chunk) after N data frames
  int error_after_frames = -1;  // >= 0: after N data frames send the error frame, end the stream
  int error_grpc_code = kGrpcUnavailable;
  std::string error_message = "application controller is unavailable";
};

class FakeArgoCd {
 public:
  // Starts serving. The clock must outlive the server. REQUIRES: the swagger data exists
  // (RequireSharedData("data/argocd/swagger.json")).
  explicit FakeArgoCd(ManualClock& clock, FakeArgoCdOptions options = {});
  // Stops serving: open streams and waiting refreshes end at once.
  ~FakeArgoCd();
  FakeArgoCd(const FakeArgoCd&) = delete;
  FakeArgoCd& operator=(const FakeArgoCd&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }  // --server
  std::string url(std::string_view path) const { return "http://" + host() + std::string(path); }

  // --- State (each call first applies the script up to clock.Now()) ---
  // Adds or replaces an app (v1alpha1.Application JSON; REQUIRES metadata.name; metadata.namespace
  // defaults to "argocd", missing status parts to Synced + Healthy).
  void AddApp(nlohmann::json app, AppBehavior behavior = {});
  void AddApp(const AppSpec& spec, AppBehavior behavior = {});
  // The app as it is now. Fails the test when it does not exist.
  nlohmann::json App(const std::string& name, const std::string& app_namespace = "argocd");
  // New heads, noticed after the app's notice_delay (fake_argocd_apps.h).
  void PushRevision(const std::string& name, std::vector<std::string> heads,
                    const std::string& app_namespace = "argocd");
  // An operation started by someone else (automated: by auto-sync) at the current fake time.
  void StartOperation(const std::string& name, const std::string& revision, bool automated = false,
                      const std::string& app_namespace = "argocd");
  // A JSON merge patch applied `after` from now (conditions, health, anything).
  void Schedule(const std::string& name, milliseconds after, nlohmann::json merge_patch,
                const std::string& app_namespace = "argocd");
  // The resource-tree answer for the app (v1alpha1ApplicationTree), instead of the one made
  // from status.resources.
  void SetResourceTree(const std::string& name, nlohmann::json tree,
                       const std::string& app_namespace = "argocd");
  // From fake time t on, the token is expired.
  void ExpireTokenAt(FakeTime t);
  void InjectFault(Fault fault);
  // Plans for the next streams, one per stream request in arrival order.
  void PlanStreams(std::vector<StreamPlan> plans);

  // --- Observations ---
  std::vector<RecordedRequest> Requests() const;
  // Requests on `route` (for `app` when not empty).
  int Count(std::string_view route, std::string_view app = "") const;
  std::vector<Violation> Violations() const;
  // Every violation, one per line ("#3 POST /api/v1/applications/web/sync: ..."); "" when none.
  // For CHECK(argo.ViolationsText() == "") with a readable failure.
  std::string ViolationsText() const;
  // Streams open right now.
  int OpenStreams() const;

 private:
  struct Stream;
  class Activity;

  void Handle(const httplib::Request& req, httplib::Response& res);
  void Serve(const httplib::Request& req, httplib::Response& res, int seq, const std::string& route,
             const std::string& app);
  void ServeStream(const httplib::Request& req, httplib::Response& res, int seq);
  void ServeRefresh(const httplib::Request& req, httplib::Response& res, int seq,
                    const std::string& ns, const std::string& name, const std::string& project);
  bool RunStream(Stream& stream, const std::function<bool(const std::string&)>& write);
  std::optional<Fault> TakeFault(const std::string& route, const std::string& app);
  void AddViolation(int seq, const std::string& request, const std::string& message);
  void SetStatus(int seq, int status);
  // REQUIRES: mu_ held. Waits until the clock reaches wake, the state changes, or the fake stops.
  void Park(std::unique_lock<std::mutex>& lock, FakeTime wake);
  void AdvanceLoop();
  ScriptedApps::App& FindOrFail(const std::string& name, const std::string& app_namespace);

  ManualClock& clock_;
  const FakeArgoCdOptions options_;
  const ArgoSwagger& swagger_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread listener_;
  std::thread advancer_;
  int clock_listener_ = 0;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  ScriptedApps apps_;
  std::vector<RecordedRequest> requests_;
  std::vector<Violation> violations_;
  std::vector<Fault> faults_;
  std::deque<StreamPlan> stream_plans_;
  std::multiset<std::string> open_streams_;
  std::optional<FakeTime> token_expiry_;
  // Virtual time (see TIME): handlers at work, parked waiters' wake times, the last real time
  // anything happened.
  int active_ = 0;
  std::multiset<FakeTime> parked_;
  std::chrono::steady_clock::time_point last_activity_;
  std::uint64_t generation_ = 0;  // bumped on every state change, wakes parked waiters
  bool stopping_ = false;
};

}  // namespace capstan::testing
