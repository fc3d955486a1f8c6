// capstan-sync's command line: the flags table (one copy, for parsing and --help) and the
// settings read from it, the environment and ARGOCD_OPTS.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "argocd/affected.h"
#include "argocd/client.h"
#include "argocd/sync_request.h"
#include "common/cli.h"
#include "core/env.h"
#include "core/flags.h"
#include "report/writer.h"

namespace capstan::tools::sync {

inline constexpr std::string_view kTool = "capstan-sync";

// What to do when an operation is already running on an app.
enum class OnConflict { kWait, kTerminate, kFail };

// How to reach Argo CD, resolved from flags > ARGOCD_OPTS > environment, as the argocd CLI.
struct Connection {
  argocd::ServerOptions server;
  bool insecure = false;  // --insecure: TLS certificate not verified
  std::string ca_file;    // --ca-file: trust this PEM bundle instead of the system store
  bool token_given = false;
};

// A Flux notification-controller Receiver to trigger, and what to wait on.
struct FluxSettings {
  std::string receiver_url;   // --flux-receiver
  std::string receiver_type;  // generic | generic-hmac | github
  std::string kubeconfig;     // --kubeconfig: "" = trigger only
  std::string context;        // --kube-context
  std::string kustomization;  // --flux-kustomization NAMESPACE/NAME
};

struct Settings {
  // Selection.
  std::vector<std::string> apps;  // positionals, "name" or "namespace/name"
  std::string app_namespace;      // -N
  std::string selector;           // -l
  std::vector<std::string> projects;
  std::string repo;            // --repo PATH, resolved against the working directory; "" = none
  std::string changed;         // --changed REV1..REV2
  std::string branch;          // --branch: the branch of the change ("" = the checkout's)
  std::string repo_url;        // --repo-url: the repository's URL as Argo CD knows it ("" = origin)
  std::string default_branch;  // --default-branch: what HEAD means ("" = origin/HEAD)
  argocd::AffectedMode affected = argocd::AffectedMode::kPaths;
  bool plan = false;

  // Syncing.
  std::string revision;         // --revision ("" = end of --changed, else targetRevision)
  argocd::SyncRequest request;  // prune, dry_run, strategy, force, resources, retry, infos
  std::vector<std::string> option_flags;  // --server-side, --sync-option... as K=V
  // --retry-* flags given (each nullopt when not): merged over the app's own retry strategy.
  std::optional<long> retry_limit;
  std::optional<std::string> retry_backoff_duration;
  std::optional<long> retry_backoff_factor;
  std::optional<std::string> retry_backoff_max_duration;
  OnConflict on_conflict = OnConflict::kWait;
  bool async = false;

  // Waiting.
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds settle{std::chrono::seconds(5)};
  std::chrono::milliseconds degraded_grace{0};
  std::chrono::milliseconds heartbeat{std::chrono::seconds(30)};
  int jobs = 4;
  bool waves = false;

  OutputFlags output;  // --format, --report, --max-annotations

  // Webhook backends.
  std::string webhook;              // --webhook URL (Argo CD's /api/webhook)
  std::string webhook_secret_file;  // --webhook-secret-file
  FluxSettings flux;

  Connection connection;
  bool argocd_api = false;  // a server is known: the REST API is used
  // --webhook with a server and a token: after the webhook, wait for the affected apps through
  // the API without syncing them (their auto-sync deploys the commit).
  bool wait_after_webhook = false;
};

// A secret held in a file (--auth-token-file, --webhook-secret-file): its content without
// surrounding blanks, the path resolved against env.cwd. kInvalidArgument "cannot read --<flag>
// '<path>': <why>" for a missing file (other read failures keep their code) and "--<flag>
// '<path>' is empty". The secret never appears in a message.
Result<std::string> ReadSecretFile(Env& env, const std::string& flag, const std::string& path);

// The flags table.
std::span<const flags::Flag> Flags();

// Reads Settings from parsed flags and env (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, ARGOCD_OPTS; the
// token file). kInvalidArgument with the message to show as a usage error; kIoError when a
// token or secret file cannot be read.
Result<Settings> ReadSettings(Env& env, const flags::Parsed& parsed);

}  // namespace capstan::tools::sync
