#include "sync/options.h"

#include "argocd/cli_options.h"
#include "common/cli.h"
#include "common/config_file.h"
#include "core/strings.h"

namespace capstan::tools::sync {
namespace {

const flags::Flag kFlags[] = {
    // Argo CD, as the argocd CLI reads it.
    {"server", 0, "HOST[:PORT]", "Argo CD API server, without scheme (default $ARGOCD_SERVER)"},
    {"auth-token", 0, "TOKEN",
     "bearer token (default $ARGOCD_AUTH_TOKEN; prefer the variable or --auth-token-file)"},
    {"auth-token-file", 0, "FILE", "read the bearer token from FILE"},
    {"plaintext", 0, "", "talk plain HTTP to the server (no TLS)"},
    {"ca-file", 0, "FILE", "trust the server certificate's CA from this PEM file"},
    {"insecure", 0, "", "do not verify the server's TLS certificate (prefer --ca-file)"},
    {"grpc-web", 0, "", "accepted for argocd CLI compatibility; capstan speaks REST anyway"},
    {"grpc-web-root-path", 0, "PATH", "the server's root path when served under one (/argocd)"},
    {"header", 'H', "'NAME: VALUE'", "extra header on every request (also comma-separated)", true},
    // Which applications.
    {"app-namespace", 'N', "NS", "namespace of the named applications (apps in any namespace)"},
    {"selector", 'l', "SELECTOR", "applications whose labels match (key=value,key2!=v,...)"},
    {"project", 0, "PROJECT", "applications of this project", true},
    {"repo", 0, "PATH", "the GitOps repository's checkout, for --changed and file:line reports"},
    {"changed", 0, "REV1..REV2",
     "select the applications whose files changed between the two revisions"},
    {"branch", 0, "BRANCH", "the branch the change is on (default: the checkout's branch)"},
    {"repo-url", 0, "URL",
     "the repository's URL as the applications name it (default: the origin remote's)"},
    {"default-branch", 0, "BRANCH",
     "the repository's default branch, what targetRevision HEAD follows (default: origin/HEAD, "
     "$CI_DEFAULT_BRANCH)"},
    {"affected", 0, "MODE",
     "paths (default: source paths and what their kustomizations reference) or argocd "
     "(Argo CD's own manifest-generate-paths rule)"},
    {"plan", 0, "", "print every candidate with why it is in or out; change nothing"},
    // Syncing, as `argocd app sync`.
    {"revision", 0, "REV",
     "the commit to deploy: SHA, branch or tag (default: the end of --changed, else the "
     "application's targetRevision)"},
    {"prune", 0, "", "delete resources that are no longer in Git"},
    {"dry-run", 0, "", "ask Argo CD for a dry run"},
    {"strategy", 0, "STRATEGY", "apply or hook (default: the application's)"},
    {"force", 0, "", "force apply (with --strategy)"},
    {"resource", 0, "GROUP:KIND:NAME[:NAMESPACE]", "sync only this resource", true},
    {"retry-limit", 0, "N", "retry a failed sync N times"},
    {"retry-backoff-duration", 0, "DURATION", "first retry backoff (default 5s)"},
    {"retry-backoff-factor", 0, "N", "backoff multiplier (default 2)"},
    {"retry-backoff-max-duration", 0, "DURATION", "longest retry backoff (default 3m)"},
    {"server-side", 0, "", "server-side apply (ServerSideApply=true)"},
    {"apply-out-of-sync-only", 0, "", "apply only out-of-sync resources (ApplyOutOfSyncOnly=true)"},
    {"replace", 0, "", "kubectl replace/create instead of apply (Replace=true)"},
    {"sync-option", 0, "KEY=VALUE",
     "sync option added to the application's own (same key: replaces it)", true},
    {"info", 0, "NAME=VALUE", "information stored with the operation (e.g. the CI run's URL)",
     true},
    {"on-conflict", 0, "POLICY",
     "an operation is already running: wait (default: for it, then sync), terminate it, or fail"},
    {"async", 0, "", "return once the sync is requested; do not wait"},
    // Waiting.
    {"timeout", 0, "DURATION", "give up waiting after DURATION: 300, 30s, 5m (default 10m)"},
    {"settle", 0, "DURATION", "how long an app must stay Healthy to count (default 5s)"},
    {"degraded-grace", 0, "DURATION",
     "how long an app may be Degraded before it fails (default 0)"},
    {"jobs", 'j', "N", "applications synced and waited on at once (default 4)"},
    {"waves", 0, "",
     "order applications by argocd.argoproj.io/sync-wave; a wave starts when the previous is "
     "healthy"},
    kFormatFlag,
    kReportFlag,
    kMaxAnnotationsFlag,
    // Webhooks.
    {"webhook", 0, "URL", "send a signed GitHub push event to Argo CD's /api/webhook instead"},
    {"webhook-secret-file", 0, "FILE", "the webhook (or Flux receiver) secret"},
    {"flux-receiver", 0, "URL", "trigger a Flux Receiver (its /hook/... URL)"},
    {"flux-receiver-type", 0, "TYPE", "generic, generic-hmac or github (default github)"},
    {"kubeconfig", 0, "FILE", "with --flux-receiver: wait on the Kustomization through this"},
    {"kube-context", 0, "NAME", "the kubeconfig context (default: its current-context)"},
    {"flux-kustomization", 0, "NAMESPACE/NAME", "the Flux Kustomization to wait on"},
    kConfigFlag,
    {"help", 'h', "", "show this help"},
    {"version", 0, "", "print the version"},
};

// The argocd CLI options ARGOCD_OPTS may carry that capstan-sync reads, and those it may ignore
// because they change nothing here. Any other option is an error: failing closed beats talking
// to another server than the pipeline meant.
constexpr std::string_view kOptsRead[] = {"server",   "auth-token",         "plaintext", "insecure",
                                          "grpc-web", "grpc-web-root-path", "header"};
constexpr std::string_view kOptsIgnored[] = {"loglevel", "logformat", "config", "http-retry-max"};

template <typename List>
bool Contains(const List& list, std::string_view name) {
  for (std::string_view n : list) {
    if (n == name) return true;
  }
  return false;
}

// "K: V" headers; -H values may also hold several, comma-separated (pflag's StringSlice).
Status AddHeaders(const std::string& value, argocd::ServerOptions& server) {
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = std::min(value.find(',', start), value.size());
    std::string_view item = Trim(std::string_view(value).substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    std::size_t colon = item.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::InvalidArgument("invalid --header " + QuoteForMessage(item) +
                                     ": want 'NAME: VALUE'");
    }
    server.headers.emplace_back(std::string(Trim(item.substr(0, colon))),
                                std::string(Trim(item.substr(colon + 1))));
  }
  return Status::Ok();
}

Status ReadConnection(Env& env, const flags::Parsed& p, Settings& s) {
  Connection& c = s.connection;
  // Lowest precedence first: the environment, then ARGOCD_OPTS, then flags.
  if (auto v = env.getenv("ARGOCD_SERVER"); v && !v->empty()) c.server.server = *v;
  if (auto v = env.getenv("ARGOCD_AUTH_TOKEN"); v && !v->empty()) c.server.token = *v;
  std::vector<argocd::CliOption> opts;
  if (auto v = env.getenv("ARGOCD_OPTS"); v && !Trim(*v).empty()) {
    Result<std::vector<argocd::CliOption>> parsed = argocd::ParseArgocdOpts(*v);
    if (!parsed.ok()) return parsed.status();
    opts = std::move(*parsed);
  }
  for (const auto& [name, value] : opts) {
    if (Contains(kOptsIgnored, name)) continue;
    if (!Contains(kOptsRead, name)) {
      return Status::InvalidArgument("ARGOCD_OPTS invalid at " + QuoteForMessage("--" + name) +
                                     ": capstan-sync cannot use this option");
    }
    if (name == "server") c.server.server = value;
    if (name == "auth-token") c.server.token = value;
    if (name == "plaintext") c.server.plaintext = value == "true";
    if (name == "insecure") c.insecure = value == "true";
    if (name == "grpc-web-root-path") c.server.root_path = value;
    if (name == "header" && !p.Has("header")) {
      CAPSTAN_RETURN_IF_ERROR(AddHeaders(value, c.server));
    }
  }
  if (p.Has("server")) c.server.server = p.Get("server");
  if (p.Has("auth-token-file")) {
    Result<std::string> token = ReadSecretFile(env, "auth-token-file", p.Get("auth-token-file"));
    if (!token.ok()) return token.status();
    c.server.token = *token;
  }
  if (p.Has("auth-token")) c.server.token = p.Get("auth-token");
  if (p.Has("plaintext")) c.server.plaintext = true;
  if (p.Has("insecure")) c.insecure = true;
  if (p.Has("ca-file")) c.ca_file = p.Get("ca-file");
  if (p.Has("grpc-web-root-path")) c.server.root_path = p.Get("grpc-web-root-path");
  for (const std::string& h : p.All("header")) {
    CAPSTAN_RETURN_IF_ERROR(AddHeaders(h, c.server));
  }
  for (const auto& [name, value] : c.server.headers) {
    if (AsciiLower(name) == "authorization") {
      return Status::InvalidArgument(
          "--header cannot set Authorization: give the token with --auth-token-file or "
          "$ARGOCD_AUTH_TOKEN");
    }
  }
  c.token_given = !c.server.token.empty();
  if (c.server.plaintext && (c.insecure || !c.ca_file.empty())) {
    return Status::InvalidArgument("--plaintext cannot be combined with --insecure or --ca-file");
  }
  if (!c.server.server.empty()) {
    Result<std::string> base = argocd::BaseUrl(c.server);
    if (!base.ok()) return base.status();
  }
  return Status::Ok();
}

Result<std::chrono::milliseconds> Duration(const flags::Parsed& p, std::string_view flag,
                                           std::chrono::milliseconds fallback,
                                           std::chrono::milliseconds min) {
  if (!p.Has(flag)) return fallback;
  return flags::ParseDuration(flag, p.Get(flag), min);
}

// An Argo CD duration text for a --retry-backoff-* flag: as written, "300" as "300s".
Result<std::string> BackoffText(const flags::Parsed& p, std::string_view flag) {
  std::string value = p.Get(flag);
  Result<std::chrono::milliseconds> d = flags::ParseDuration(flag, value);
  if (!d.ok()) return d.status();
  if (value.find_first_not_of("0123456789") == std::string::npos) value += "s";
  return value;
}

Status ReadSyncFlags(const flags::Parsed& p, Settings& s) {
  argocd::SyncRequest& r = s.request;
  r.prune = p.Has("prune");
  r.dry_run = p.Has("dry-run");
  if (p.Has("strategy")) {
    std::string strategy = p.Get("strategy");
    if (strategy == "apply") {
      r.strategy = argocd::SyncStrategy::kApply;
    } else if (strategy == "hook") {
      r.strategy = argocd::SyncStrategy::kHook;
    } else {
      return Status::InvalidArgument("--strategy must be apply or hook, not " +
                                     QuoteForMessage(strategy));
    }
  }
  r.force = p.Has("force");
  if (r.force && r.strategy == argocd::SyncStrategy::kDefault) {
    r.strategy = argocd::SyncStrategy::kApply;  // as the argocd CLI: --force alone applies
  }
  for (const std::string& text : p.All("resource")) {
    Result<argocd::SyncResource> resource = argocd::ParseSyncResource(text);
    if (!resource.ok()) return resource.status();
    r.resources.push_back(*resource);
  }
  for (const std::string& info : p.All("info")) {
    std::size_t eq = info.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("invalid --info " + QuoteForMessage(info) +
                                     ": want NAME=VALUE");
    }
    r.infos.emplace_back(info.substr(0, eq), info.substr(eq + 1));
  }
  if (p.Has("server-side")) s.option_flags.push_back("ServerSideApply=true");
  if (p.Has("apply-out-of-sync-only")) s.option_flags.push_back("ApplyOutOfSyncOnly=true");
  if (p.Has("replace")) s.option_flags.push_back("Replace=true");
  for (const std::string& option : p.All("sync-option")) {
    std::size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument("invalid --sync-option " + QuoteForMessage(option) +
                                     ": want KEY=VALUE, e.g. CreateNamespace=true");
    }
    s.option_flags.push_back(option);
  }
  if (p.Has("retry-limit")) {
    Result<long> limit = flags::ParseCount("retry-limit", p.Get("retry-limit"), 0, 1000);
    if (!limit.ok()) return limit.status();
    s.retry_limit = *limit;
  }
  if (p.Has("retry-backoff-duration")) {
    Result<std::string> d = BackoffText(p, "retry-backoff-duration");
    if (!d.ok()) return d.status();
    s.retry_backoff_duration = *d;
  }
  if (p.Has("retry-backoff-max-duration")) {
    Result<std::string> d = BackoffText(p, "retry-backoff-max-duration");
    if (!d.ok()) return d.status();
    s.retry_backoff_max_duration = *d;
  }
  if (p.Has("retry-backoff-factor")) {
    Result<long> f =
        flags::ParseCount("retry-backoff-factor", p.Get("retry-backoff-factor"), 1, 100);
    if (!f.ok()) return f.status();
    s.retry_backoff_factor = *f;
  }
  std::string conflict = p.Get("on-conflict", "wait");
  if (conflict == "wait") {
    s.on_conflict = OnConflict::kWait;
  } else if (conflict == "terminate") {
    s.on_conflict = OnConflict::kTerminate;
  } else if (conflict == "fail") {
    s.on_conflict = OnConflict::kFail;
  } else {
    return Status::InvalidArgument("--on-conflict must be wait, terminate or fail, not " +
                                   QuoteForMessage(conflict));
  }
  s.async = p.Has("async");
  s.revision = p.Get("revision");
  return Status::Ok();
}

}  // namespace

std::span<const flags::Flag> Flags() { return kFlags; }

Result<std::string> ReadSecretFile(Env& env, const std::string& flag, const std::string& path) {
  Result<std::string> text = env.fs->ReadFile(ResolvePath(env, path), 64 * 1024);
  if (!text.ok()) {
    return Status(text.status().code() == StatusCode::kNotFound ? StatusCode::kInvalidArgument
                                                                : text.status().code(),
                  "cannot read --" + flag + " " + QuoteForMessage(path, kQuotePathLimit) + ": " +
                      text.status().message());
  }
  std::string value(Trim(*text));
  if (value.empty()) {
    return Status::InvalidArgument("--" + flag + " " + QuoteForMessage(path, kQuotePathLimit) +
                                   " is empty");
  }
  return value;
}

Result<Settings> ReadSettings(Env& env, const flags::Parsed& p) {
  Settings s;
  for (const std::string& app : p.positionals()) {
    if (app.empty() || app.find('/') != app.rfind('/') || app.front() == '/' || app.back() == '/') {
      return Status::InvalidArgument("invalid application " + QuoteForMessage(app) +
                                     ": want NAME or NAMESPACE/NAME");
    }
    s.apps.push_back(app);
  }
  s.app_namespace = p.Get("app-namespace");
  s.selector = p.Get("selector");
  s.projects = p.All("project");
  if (p.Has("repo")) {
    s.repo = p.Get("repo");
    if (s.repo.empty()) return Status::InvalidArgument("--repo needs a path");
  }
  s.changed = p.Get("changed");
  s.branch = p.Get("branch");
  s.repo_url = p.Get("repo-url");
  s.default_branch = p.Get("default-branch");
  std::string affected = p.Get("affected", "paths");
  if (affected == "paths") {
    s.affected = argocd::AffectedMode::kPaths;
  } else if (affected == "argocd") {
    s.affected = argocd::AffectedMode::kArgoCd;
  } else {
    return Status::InvalidArgument("--affected must be paths or argocd, not " +
                                   QuoteForMessage(affected));
  }
  s.plan = p.Has("plan");
  CAPSTAN_RETURN_IF_ERROR(ReadSyncFlags(p, s));

  using std::chrono::milliseconds;
  Result<milliseconds> timeout = Duration(p, "timeout", s.timeout, milliseconds(1000));
  if (!timeout.ok()) return timeout.status();
  s.timeout = *timeout;
  Result<milliseconds> settle = Duration(p, "settle", s.settle, milliseconds(0));
  if (!settle.ok()) return settle.status();
  s.settle = *settle;
  Result<milliseconds> grace = Duration(p, "degraded-grace", s.degraded_grace, milliseconds(0));
  if (!grace.ok()) return grace.status();
  s.degraded_grace = *grace;
  Result<long> jobs = flags::ParseCount("jobs", p.Get("jobs", "4"), 1, 64);
  if (!jobs.ok()) return jobs.status();
  s.jobs = static_cast<int>(*jobs);
  s.waves = p.Has("waves");
  Result<OutputFlags> output = ReadOutputFlags(p);
  if (!output.ok()) return output.status();
  s.output = std::move(*output);

  s.webhook = p.Get("webhook");
  s.webhook_secret_file = p.Get("webhook-secret-file");
  s.flux.receiver_url = p.Get("flux-receiver");
  s.flux.receiver_type = p.Get("flux-receiver-type", "github");
  s.flux.kubeconfig = p.Get("kubeconfig");
  s.flux.context = p.Get("kube-context");
  s.flux.kustomization = p.Get("flux-kustomization");

  CAPSTAN_RETURN_IF_ERROR(ReadConnection(env, p, s));
  s.argocd_api = !s.connection.server.server.empty();

  // What the combination asks for.
  const bool by_commit = !s.changed.empty();
  if (by_commit && s.repo.empty()) {
    return Status::InvalidArgument("--changed needs --repo PATH (the checkout to diff in)");
  }
  if (s.flux.receiver_url.empty() && (!s.flux.kubeconfig.empty() || !s.flux.kustomization.empty() ||
                                      !s.flux.context.empty() || p.Has("flux-receiver-type"))) {
    return Status::InvalidArgument(
        "--kubeconfig, --kube-context, --flux-kustomization and --flux-receiver-type go with "
        "--flux-receiver URL");
  }
  if (!s.flux.kustomization.empty() && s.flux.kubeconfig.empty()) {
    return Status::InvalidArgument(
        "--flux-kustomization needs --kubeconfig FILE (the cluster to wait on)");
  }
  if (!s.webhook.empty() || !s.flux.receiver_url.empty()) {
    if (!s.webhook.empty() && !s.flux.receiver_url.empty()) {
      return Status::InvalidArgument("--webhook and --flux-receiver exclude each other");
    }
    const std::string flag = s.webhook.empty() ? "--flux-receiver" : "--webhook";
    if (!by_commit) {
      return Status::InvalidArgument(flag +
                                     " needs --repo PATH and --changed REV1..REV2 (the push "
                                     "it announces)");
    }
    if (s.webhook_secret_file.empty() &&
        (!s.webhook.empty() || s.flux.receiver_type != "generic")) {
      return Status::InvalidArgument(flag + " needs --webhook-secret-file FILE");
    }
    if (s.flux.receiver_type != "generic" && s.flux.receiver_type != "generic-hmac" &&
        s.flux.receiver_type != "github") {
      return Status::InvalidArgument(
          "--flux-receiver-type must be generic, generic-hmac or "
          "github, not " +
          QuoteForMessage(s.flux.receiver_type));
    }
    if (!s.flux.kubeconfig.empty() && s.flux.kustomization.empty()) {
      return Status::InvalidArgument(
          "--kubeconfig needs --flux-kustomization NAMESPACE/NAME (what "
          "to wait on)");
    }
    if (s.plan) return Status::InvalidArgument("--plan needs the Argo CD API (--server)");
    // With a server and a token as well, the webhook's refresh is waited for through the API.
    s.wait_after_webhook = !s.webhook.empty() && s.argocd_api && s.connection.token_given;
    return s;
  }
  if (!s.argocd_api) {
    return Status::InvalidArgument(
        "no Argo CD server: give --server HOST[:PORT] or set ARGOCD_SERVER (or use --webhook / "
        "--flux-receiver)");
  }
  if (!s.connection.token_given) {
    return Status::InvalidArgument(
        "no Argo CD token: set ARGOCD_AUTH_TOKEN or give --auth-token-file FILE");
  }
  if (s.apps.empty() && s.selector.empty() && s.projects.empty() && !by_commit) {
    return Status::InvalidArgument(
        "nothing selected: name applications, or use -l SELECTOR, --project or --repo PATH "
        "--changed REV1..REV2");
  }
  if (!s.apps.empty() && by_commit) {
    return Status::InvalidArgument("name applications or select them with --changed, not both");
  }
  return s;
}

}  // namespace capstan::tools::sync
