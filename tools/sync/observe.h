// Following one Application's state until a caller is satisfied or the run's deadline passes:
// the server-sent event stream (/api/v1/stream/applications, trimmed with `fields=`) while the
// server offers it, polling (GET, at most one per app per 2 s) when it refuses or drops it.
#pragma once

#include <functional>
#include <string>

#include "argocd/application.h"
#include "argocd/client.h"
#include "core/status.h"
#include "sync/run.h"

namespace capstan::tools::sync {

enum class WatchEnd {
  kDone,      // the callback said it has seen enough
  kDeadline,  // the run's deadline passed first
  kFailed,    // the server cannot be asked any more (token rejected, app gone): see status
};

struct WatchResult {
  WatchEnd end = WatchEnd::kDone;
  Status status;      // for kFailed
  int exit_code = 0;  // for kFailed: 3 (cannot run) or 2 (not found)
};

// Calls on_state with each state of `app` seen (first the current one) until it returns true.
// `summary` gives the line the heartbeat repeats.
WatchResult Watch(Run& run, const argocd::AppRef& app,
                  const std::function<bool(const argocd::Application&)>& on_state,
                  const std::function<std::string()>& summary);

// The message for an API error answer about `app`, and the exit code it maps to: 401 token
// rejected (3), 403 permission denied naming app and project (3), 404 not found (2), others (3).
struct ApiFailure {
  std::string message;
  int exit_code = 3;
};
ApiFailure DescribeApiError(const argocd::ApiError& error, const argocd::AppRef& app);

// A transport failure's message, with a hint where the cause is a likely setting: TLS spoken to
// a plain-HTTP server ("wrong version number": --plaintext?).
std::string DescribeTransportError(const Status& status);

}  // namespace capstan::tools::sync
