#include "sync/webhook.h"

#include "argocd/flux_client.h"
#include "argocd/flux_receiver.h"
#include "argocd/flux_wait.h"
#include "argocd/repo_url.h"
#include "argocd/webhook.h"
#include "common/cli.h"
#include "core/strings.h"
#include "core/url.h"
#include "git/repository.h"
#include "git/revisions.h"
#include "http/curl_client.h"
#include "http/policy.h"
#include "k8s/kubeconfig.h"
#include "sync/run.h"
#include "sync/select.h"

namespace capstan::tools::sync {
namespace {

// The repository's web address as a push event names it: "https://<host>/<path>".
std::string WebUrl(const std::string& url) {
  std::string key = argocd::NormalizeRepoUrl(url);
  if (key.rfind("file:", 0) == 0) return url;
  return "https://" + key;
}

struct Push {
  argocd::PushEvent event;
  std::unique_ptr<git::Repository> repo;
};

// The push event for --changed: before, after, the branch, and each changed path (a rename is
// the removal of its old path and the addition of its new one).
Result<Push> BuildEvent(Env& env, const Settings& s) {
  Result<std::unique_ptr<git::Repository>> opened = env.open_repository(ResolvePath(env, s.repo));
  if (!opened.ok()) {
    return Status::InvalidArgument("--repo " + QuoteForMessage(s.repo, kQuotePathLimit) + ": " +
                                   opened.status().message());
  }
  Push push;
  push.repo = std::move(*opened);
  git::Repository& repo = *push.repo;
  Result<git::RevisionRange> range = git::ParseRevisionRange(s.changed);
  if (!range.ok()) return Status::InvalidArgument("--changed: " + range.status().message());
  argocd::PushEvent& event = push.event;
  for (auto [rev, out] : {std::pair{range->from, &event.before}, {range->to, &event.after}}) {
    Result<std::string> sha = git::ResolveCommit(repo, rev);
    if (!sha.ok()) return Status::InvalidArgument("--changed: " + sha.status().message());
    *out = *sha;
  }
  Result<std::vector<git::PathChange>> changes = git::ChangedPaths(repo, event.before, event.after);
  if (!changes.ok()) return Status::InvalidArgument("--changed: " + changes.status().message());
  for (const git::PathChange& c : *changes) {
    switch (c.kind) {
      case git::ChangeKind::kAdded:
        event.added.push_back(c.path);
        break;
      case git::ChangeKind::kDeleted:
        event.removed.push_back(c.path);
        break;
      case git::ChangeKind::kRenamed:
        event.removed.push_back(c.old_path);
        event.added.push_back(c.path);
        break;
      default:
        event.modified.push_back(c.path);
        break;
    }
  }
  Result<ChangeOrigin> origin = ReadChangeOrigin(env, s, repo);
  if (!origin.ok()) return origin.status();
  const std::string& branch = origin->branch;
  event.ref = branch.rfind("refs/heads/", 0) == 0 ? branch : "refs/heads/" + branch;
  event.repository_url = WebUrl(origin->repo_url);
  // Unknown: the pushed branch, so Argo CD refreshes the apps that follow HEAD on it.
  event.default_branch = !origin->default_branch.empty()       ? origin->default_branch
                         : branch.rfind("refs/heads/", 0) == 0 ? branch.substr(11)
                                                               : branch;
  return push;
}

// Polls the Flux Kustomization until it has applied the pushed commit (or a descendant) and
// is Ready, fails, or --timeout passes.
WebhookResult WaitForFlux(Env& env, const Settings& s, const argocd::PushEvent& event,
                          git::Repository& repo, HttpClient* transport, WebhookResult result) {
  const auto started = env.clock->Monotonic();
  const auto deadline = started + s.timeout;
  report::Deployment d;
  d.name = s.flux.kustomization.find('/') == std::string::npos
               ? "flux-system/" + s.flux.kustomization
               : s.flux.kustomization;
  d.revision = event.after;
  const std::string ns = d.name.substr(0, d.name.find('/'));
  const std::string name = d.name.substr(d.name.find('/') + 1);
  auto finish = [&](const std::string& outcome, int code, const std::string& message) {
    d.outcome = outcome;
    d.message = message;
    d.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(env.clock->Monotonic() - started)
            .count();
    result.exit_code = code;
    result.deployments.push_back(d);
    if (code != 0) {
      report::Finding f;
      f.rule = outcome == "error"     ? "deploy-error"
               : outcome == "timeout" ? "deploy-timeout"
                                      : "sync-failed";
      f.message = "kustomization " + d.name + ": " + outcome + ": " + message;
      f.resource = {"kustomize.toolkit.fluxcd.io", "Kustomization", ns, name};
      result.findings.push_back(f);
      PrintError(env, kTool, f.message);
    }
    return result;
  };

  Result<k8s::KubeAccess> access =
      k8s::ReadKubeconfig(env.fs, ResolvePath(env, s.flux.kubeconfig), {.context = s.flux.context});
  if (!access.ok()) {
    return finish("error", access.status().code() == StatusCode::kIoError ? 3 : 2,
                  access.status().message());
  }
  Result<argocd::KubeConnection> connection = argocd::KubeConnectionFor(*access);
  if (!connection.ok()) return finish("error", 2, connection.status().message());
  std::unique_ptr<http::CurlHttpClient> curl;
  HttpClient* inner = transport;
  if (inner == nullptr) {
    curl = std::make_unique<http::CurlHttpClient>(connection->curl);
    inner = curl.get();
  }
  http::PolicyClient policy(inner, env.clock);
  argocd::FluxClient client(&policy, connection->api);
  Progress progress(env, s.heartbeat);
  auto reaches = [&](const std::string& revision) {
    Result<bool> ancestor = git::IsAncestor(repo, event.after, revision);
    return ancestor.ok() && *ancestor;
  };
  std::string said, summary = "waiting for the first answer";
  bool answered = false;
  for (;;) {
    Result<argocd::Kustomization> k = client.GetKustomization(ns, name);
    if (!k.ok()) {
      const StatusCode code = k.status().code();
      if (code == StatusCode::kNotFound || code == StatusCode::kInvalidArgument) {
        return finish("error", 2, k.status().message());
      }
      // Before the API ever answered, a failure (after the client's retries) is a wrong server
      // or no network: exit 3 now, not 4 at --timeout. Later ones may pass, so the wait goes on.
      if (code == StatusCode::kUnauthenticated || code == StatusCode::kParseError || !answered) {
        return finish("error", 3, k.status().message());
      }
      summary = "cannot read the kustomization (" + k.status().message() + ")";
    } else {
      answered = true;
      argocd::WaitVerdict verdict = argocd::JudgeKustomization(*k, {event.after}, reaches);
      summary = verdict.summary;
      if (summary != said) {
        said = summary;
        progress.Say(d.name, summary);
      }
      switch (verdict.outcome) {
        case argocd::WaitOutcome::kSucceeded:
          return finish("deployed", 0, summary);
        case argocd::WaitOutcome::kFailed:
          return finish("failed", 1, summary);
        case argocd::WaitOutcome::kSuspended:
          return finish("suspended", 1, summary);
        case argocd::WaitOutcome::kWaiting:
          break;
      }
    }
    const auto now = env.clock->Monotonic();
    if (now >= deadline) {
      return finish("timeout", 4, "timed out after " + FormatElapsed(s.timeout) + ": " + summary);
    }
    progress.Heartbeat(d.name, summary, started);
    env.clock->Sleep(std::min<std::chrono::milliseconds>(
        std::chrono::seconds(2),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
  }
}

}  // namespace

WebhookResult SendWebhook(Env& env, const Settings& s, HttpClient& http, HttpClient* transport) {
  WebhookResult result;
  const bool flux = !s.flux.receiver_url.empty();
  const std::string url = flux ? s.flux.receiver_url : s.webhook;
  const std::string shown = flux ? argocd::ShownReceiverUrl(url) : RedactUrl(url);
  report::Deployment d;
  d.name = flux ? "flux-receiver" : "argocd-webhook";
  auto fail = [&](int code, const std::string& message, const std::string& outcome = "error") {
    d.outcome = outcome;
    d.message = message;
    result.exit_code = code;
    result.deployments.push_back(d);
    report::Finding f;
    f.rule = outcome == "error"     ? "deploy-error"
             : outcome == "timeout" ? "deploy-timeout"
                                    : "sync-failed";
    f.message = message;
    result.findings.push_back(f);
    PrintError(env, kTool, message);
    return result;
  };

  Result<Push> push = BuildEvent(env, s);
  if (!push.ok()) return fail(2, push.status().message());
  const argocd::PushEvent& event = push->event;
  d.revision = event.after;
  std::string secret;
  if (!s.webhook_secret_file.empty()) {
    Result<std::string> read = ReadSecretFile(env, "webhook-secret-file", s.webhook_secret_file);
    if (!read.ok()) {
      return fail(read.status().code() == StatusCode::kInvalidArgument ? 2 : 3,
                  read.status().message());
    }
    secret = std::move(*read);
  }

  // Argo CD's /api/webhook reads the same signed GitHub push event as a Flux `github` Receiver.
  argocd::ReceiverType type = argocd::ReceiverType::kGithub;
  if (flux) {
    Result<argocd::ReceiverType> parsed = argocd::ParseReceiverType(s.flux.receiver_type);
    if (!parsed.ok()) return fail(2, parsed.status().message());
    type = *parsed;
  }
  HttpRequest request =
      argocd::ReceiverRequest(type, url, secret, argocd::GithubPushPayload(event));
  request.repeatable = true;  // a second delivery only asks for a reconciliation again
  request.timeout = std::chrono::seconds(30);
  Result<HttpResponse> response = http.Send(request);
  if (!response.ok()) {
    return fail(3,
                "cannot deliver the push event to " + shown + ": " + response.status().message());
  }
  if (flux) {
    if (Status answer = argocd::ReadReceiverAnswer(*response, url); !answer.ok()) {
      return fail(answer.code() == StatusCode::kNotFound ? 2 : 3, answer.message());
    }
  } else if (response->status < 200 || response->status >= 300) {
    std::string body(Trim(response->body.substr(0, 200)));
    for (char& c : body)
      if (c == '\n' || c == '\r') c = ' ';
    const int status = response->status;
    std::string why = status == 400 || status == 401 || status == 403
                          ? "rejected the push event (HTTP " + std::to_string(status) +
                                "): is --webhook-secret-file the secret Argo CD has?"
                          : "answered HTTP " + std::to_string(status);
    return fail(3, "the Argo CD webhook " + shown + " " + why + (body.empty() ? "" : ": " + body));
  }
  const std::string pushed = event.after.substr(0, 7) + " on " + event.ref;
  if (!flux || s.flux.kubeconfig.empty()) {
    d.outcome = "requested";
    d.message = std::string(flux ? "the Flux receiver" : "the Argo CD webhook") +
                " accepted the push of " + pushed + "; nothing was waited for (" +
                (flux ? "give --kubeconfig and --flux-kustomization to wait"
                      : "give --server and a token to wait") +
                ")";
    *env.err << kTool << ": " << d.message << "\n";
    result.deployments.push_back(d);
    return result;
  }
  return WaitForFlux(env, s, event, *push->repo, transport, std::move(result));
}
}  // namespace capstan::tools::sync
