#include "sync/observe.h"

#include <nlohmann/json.hpp>

#include "core/strings.h"
#include "http/sse.h"

namespace capstan::tools::sync {
namespace {

using std::chrono::milliseconds;

// What the stream sends of each application: what the wait and the failure report read.
constexpr std::string_view kStreamFields =
    "result.type,result.application.metadata.name,result.application.metadata.namespace,"
    "result.application.spec.project,result.application.operation,"
    "result.application.status.sync,result.application.status.health,"
    "result.application.status.operationState,result.application.status.reconciledAt,"
    "result.application.status.conditions";

// How long a stream may stay silent: Argo CD sends a keepalive every 15 s.
constexpr milliseconds kStreamIdle{45000};
constexpr milliseconds kPollInterval{2000};
constexpr milliseconds kPollMaxBackoff{30000};

bool Passed(Run& run) { return run.env.clock->Monotonic() >= run.deadline; }

milliseconds Left(Run& run) {
  return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(
                                       run.deadline - run.env.clock->Monotonic()));
}

enum class StreamEnd { kDone, kDeadline, kFailed, kUnavailable };

struct StreamOutcome {
  StreamEnd end = StreamEnd::kUnavailable;
  WatchResult failure;
  std::string why;  // for kUnavailable: why the stream cannot be used (for the progress line)
};

StreamOutcome StreamStates(Run& run, const argocd::AppRef& app,
                           const std::function<bool(const argocd::Application&)>& on_state,
                           const std::function<std::string()>& summary,
                           std::chrono::steady_clock::time_point started) {
  std::vector<std::pair<std::string, std::string>> query = {{"name", app.name}};
  if (!app.app_namespace.empty()) query.emplace_back("appNamespace", app.app_namespace);
  if (!app.project.empty()) query.emplace_back("projects", app.project);
  query.emplace_back("fields", std::string(kStreamFields));
  HttpRequest request;
  request.url = run.client.Url("/api/v1/stream/applications", query);
  request.headers = run.client.Headers();
  request.headers.emplace_back("Accept", "text/event-stream");
  request.timeout = Left(run) + milliseconds(60000);
  request.kind = "stream";
  StreamOptions options;
  options.idle_timeout = kStreamIdle;
  options.stream_body = http::IsEventStream;

  http::SseParser parser;
  std::vector<http::SseEvent> events;
  StreamOutcome outcome;
  bool done = false, deadline = false, got_data = false;
  std::string stream_error;
  // The last state seen: judged again on every keepalive, so time-based verdicts (settling,
  // degraded grace) move on while the app stays the same (Argo CD sends no unchanged state).
  std::optional<argocd::Application> last;
  Result<HttpResponse> response = run.http.Stream(request, options, [&](std::string_view chunk) {
    got_data = true;
    events.clear();
    if (!parser.Feed(chunk, &events).ok()) {
      stream_error = "the stream sent an event too large to read";
      return false;
    }
    for (const http::SseEvent& event : events) {
      nlohmann::json message = nlohmann::json::parse(event.data, nullptr, false);
      if (!message.is_object()) continue;
      if (auto error = message.find("error"); error != message.end()) {
        std::string text = error->is_object() ? error->value("message", "") : "";
        stream_error = "the stream ended with an error: " + (text.empty() ? "(none)" : text);
        return false;
      }
      auto result = message.find("result");
      if (result == message.end() || !result->is_object()) continue;
      auto application = result->find("application");
      if (application == result->end()) continue;
      std::optional<argocd::Application> state = argocd::ReadApplicationJson(*application);
      if (!state) continue;
      last = std::move(state);
      if (on_state(*last)) {
        done = true;
        return false;
      }
    }
    if (events.empty() && last && on_state(*last)) {
      done = true;
      return false;
    }
    if (Passed(run)) {
      deadline = true;
      return false;
    }
    run.progress.Heartbeat(AppLabel(app), summary(), started);
    return true;
  });
  if (done) return {StreamEnd::kDone, {}, ""};
  if (deadline || Passed(run)) return {StreamEnd::kDeadline, {}, ""};
  if (!response.ok()) {
    outcome.why = got_data ? "the stream broke (" + response.status().message() + ")"
                           : "no stream (" + response.status().message() + ")";
    return outcome;
  }
  if (!stream_error.empty()) {
    outcome.why = stream_error;
    return outcome;
  }
  if (response->status == 401) {
    argocd::Answer answer = argocd::ReadAnswer(*response);
    ApiFailure failure = DescribeApiError(*answer.error, app);
    outcome.end = StreamEnd::kFailed;
    outcome.failure = {WatchEnd::kFailed, Status::Unauthenticated(failure.message),
                       failure.exit_code};
    return outcome;
  }
  if (!http::IsEventStream(*response)) {
    run.stream_refused = true;
    outcome.why =
        "the server offers no event stream (HTTP " + std::to_string(response->status) + ")";
    return outcome;
  }
  outcome.why = "the stream ended";
  return outcome;
}

}  // namespace

ApiFailure DescribeApiError(const argocd::ApiError& error, const argocd::AppRef& app) {
  const std::string who = "application " + QuoteForMessage(AppLabel(app));
  switch (error.http_status) {
    case 401:
      return {"Argo CD rejected the token (" + error.message + ")", 3};
    case 403:
      return {"permission denied for " + who +
                  (app.project.empty() ? " (it may not exist: Argo CD answers 403 for both; "
                                         "--project tells them apart)"
                                       : " in project " + QuoteForMessage(app.project)) +
                  ": " + error.message,
              3};
    case 404:
      return {who + " not found" +
                  (app.project.empty() ? "" : " in project " + QuoteForMessage(app.project)) +
                  ": " + error.message,
              2};
    default:
      return {"Argo CD answered HTTP " + std::to_string(error.http_status) + " for " + who + ": " +
                  error.message,
              3};
  }
}

std::string DescribeTransportError(const Status& status) {
  std::string message = status.message();
  if (message.find("wrong version number") != std::string::npos) {
    message += " (the server may speak plain HTTP: --plaintext)";
  }
  return message;
}

WatchResult Watch(Run& run, const argocd::AppRef& app,
                  const std::function<bool(const argocd::Application&)>& on_state,
                  const std::function<std::string()>& summary) {
  const auto started = run.env.clock->Monotonic();
  const std::string label = AppLabel(app);
  if (Passed(run)) return {WatchEnd::kDeadline, {}, 0};
  if (!run.stream_refused) {
    StreamOutcome streamed = StreamStates(run, app, on_state, summary, started);
    switch (streamed.end) {
      case StreamEnd::kDone:
        return {WatchEnd::kDone, {}, 0};
      case StreamEnd::kDeadline:
        return {WatchEnd::kDeadline, {}, 0};
      case StreamEnd::kFailed:
        return streamed.failure;
      case StreamEnd::kUnavailable:
        if (!run.stream_refused || !run.stream_refusal_said.exchange(true)) {
          run.progress.Say(label, streamed.why + "; polling");
        }
        break;
    }
  }
  // The caller has just seen the app (its read, its sync's answer, the stream): the first poll
  // comes one interval later, so no app is asked more than once per interval.
  milliseconds wait = kPollInterval;
  for (;;) {
    milliseconds left = Left(run);
    if (left == milliseconds(0)) return {WatchEnd::kDeadline, {}, 0};
    run.env.clock->Sleep(std::min(wait, left));
    if (Passed(run)) return {WatchEnd::kDeadline, {}, 0};
    Result<argocd::Answer> answer = run.client.Get(app);
    if (answer.ok() && !answer->error) {
      std::optional<argocd::Application> state = argocd::ReadApplicationJson(answer->body);
      if (state && on_state(*state)) return {WatchEnd::kDone, {}, 0};
      wait = kPollInterval;
    } else if (answer.ok() &&
               (answer->error->http_status == 401 || answer->error->http_status == 403 ||
                answer->error->http_status == 404)) {
      ApiFailure failure = DescribeApiError(*answer->error, app);
      return {WatchEnd::kFailed, Status::Unauthenticated(failure.message), failure.exit_code};
    } else {
      // A transport failure or a 5xx the HTTP policy already retried: keep trying, slower, until
      // the deadline says otherwise.
      wait = std::min(kPollMaxBackoff, wait * 2);
    }
    run.progress.Heartbeat(label, summary(), started);
  }
}

}  // namespace capstan::tools::sync
