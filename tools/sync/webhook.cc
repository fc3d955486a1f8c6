#include "sync/webhook.h"

#include "argocd/repo_url.h"
#include "argocd/webhook.h"
#include "common/cli.h"
#include "core/hmac.h"
#include "core/strings.h"
#include "core/url.h"
#include "git/repository.h"
#include "git/revisions.h"

namespace capstan::tools::sync {
namespace {

// The repository's web address as a push event names it: "https://<host>/<path>".
std::string WebUrl(const std::string& url) {
  std::string key = argocd::NormalizeRepoUrl(url);
  if (key.rfind("file:", 0) == 0) return url;
  return "https://" + key;
}

// The push event for --changed: before, after, the branch, and each changed path (a rename is
// the removal of its old path and the addition of its new one).
Result<argocd::PushEvent> BuildEvent(Env& env, const Settings& s) {
  Result<std::unique_ptr<git::Repository>> opened = env.open_repository(ResolvePath(env, s.repo));
  if (!opened.ok()) {
    return Status::InvalidArgument("--repo " + QuoteForMessage(s.repo, kQuotePathLimit) + ": " +
                                   opened.status().message());
  }
  git::Repository& repo = **opened;
  Result<git::RevisionRange> range = git::ParseRevisionRange(s.changed);
  if (!range.ok()) return Status::InvalidArgument("--changed: " + range.status().message());
  argocd::PushEvent event;
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
  std::string branch = s.branch;
  if (branch.empty()) {
    Result<std::string> head = repo.HeadBranch();
    if (!head.ok()) {
      return Status::InvalidArgument(
          "cannot tell which branch the change is on: HEAD is detached; pass --branch BRANCH");
    }
    branch = *head;
  }
  event.ref = branch.rfind("refs/heads/", 0) == 0 ? branch : "refs/heads/" + branch;
  std::string url = s.repo_url;
  if (url.empty()) {
    Result<std::string> origin = repo.RemoteUrl("origin");
    if (!origin.ok()) {
      return Status::InvalidArgument("cannot tell the repository's URL: " +
                                     origin.status().message() + "; pass --repo-url URL");
    }
    url = *origin;
  }
  event.repository_url = WebUrl(url);
  if (!s.default_branch.empty()) {
    event.default_branch = s.default_branch;
  } else if (Result<std::string> head = repo.RemoteHeadBranch("origin"); head.ok()) {
    event.default_branch = *head;
  } else if (auto v = env.getenv("CI_DEFAULT_BRANCH"); v && !v->empty()) {
    event.default_branch = *v;
  } else {
    event.default_branch = branch.rfind("refs/heads/", 0) == 0 ? branch.substr(11) : branch;
  }
  return event;
}

}  // namespace

WebhookResult SendWebhook(Env& env, const Settings& s, HttpClient& http) {
  WebhookResult result;
  const bool flux = !s.flux.receiver_url.empty();
  const std::string url = flux ? s.flux.receiver_url : s.webhook;
  report::Deployment d;
  d.name = flux ? "flux-receiver" : "argocd-webhook";
  auto fail = [&](int code, const std::string& message) {
    d.outcome = "error";
    d.message = message;
    result.exit_code = code;
    result.deployments.push_back(d);
    report::Finding f;
    f.rule = "deploy-error";
    f.message = message;
    result.findings.push_back(f);
    PrintError(env, kTool, message);
    return result;
  };

  Result<argocd::PushEvent> event = BuildEvent(env, s);
  if (!event.ok()) return fail(2, event.status().message());
  d.revision = event->after;
  std::string secret;
  if (!s.webhook_secret_file.empty()) {
    Result<std::string> text = env.fs->ReadFile(ResolvePath(env, s.webhook_secret_file), 64 * 1024);
    if (!text.ok()) {
      return fail(text.status().code() == StatusCode::kNotFound ? 2 : 3,
                  "cannot read --webhook-secret-file " +
                      QuoteForMessage(s.webhook_secret_file, kQuotePathLimit) + ": " +
                      text.status().message());
    }
    secret = std::string(Trim(*text));
    if (secret.empty()) return fail(2, "--webhook-secret-file is empty");
  }

  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = argocd::GithubPushPayload(*event);
  request.headers = {{"Content-Type", "application/json"}, {"User-Agent", "capstan-sync"}};
  const std::string type = flux ? s.flux.receiver_type : "github";
  if (type == "github") {
    request.headers.emplace_back("X-GitHub-Event", "push");
    request.headers.emplace_back("X-Hub-Signature-256",
                                 "sha256=" + HmacSha256Hex(secret, request.body));
  } else if (type == "generic-hmac") {
    request.headers.emplace_back("X-Signature", "sha256=" + HmacSha256Hex(secret, request.body));
  }
  request.repeatable = true;  // a second delivery only refreshes again
  request.kind = "webhook";
  request.timeout = std::chrono::seconds(30);
  Result<HttpResponse> response = http.Send(request);
  if (!response.ok()) {
    return fail(3, "cannot deliver the push event to " + RedactUrl(url) + ": " +
                       response.status().message());
  }
  const int status = response->status;
  if (status >= 200 && status < 300) {
    d.outcome = "requested";
    d.message = std::string(flux ? "Flux receiver" : "Argo CD webhook") + " accepted the push of " +
                event->after.substr(0, 7) + " to " + event->ref +
                "; nothing was waited for (give --server and a token to wait)";
    *env.err << kTool << ": " << d.message << "\n";
    result.deployments.push_back(d);
    return result;
  }
  std::string body(Trim(response->body.substr(0, 200)));
  for (char& c : body)
    if (c == '\n' || c == '\r') c = ' ';
  std::string why =
      status == 400 || status == 401 || status == 403
          ? "rejected the push event (HTTP " + std::to_string(status) + ": is the secret right?)"
          : "answered HTTP " + std::to_string(status);
  return fail(3, std::string(flux ? "the Flux receiver " : "the Argo CD webhook ") + why +
                     (body.empty() ? "" : ": " + body));
}

}  // namespace capstan::tools::sync
