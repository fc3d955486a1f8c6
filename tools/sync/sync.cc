#include "sync/sync.h"

#include <algorithm>
#include <map>
#include <memory>

#include "argocd/token.h"
#include "common/cli.h"
#include "core/exit_code.h"
#include "core/parallel.h"
#include "core/path.h"
#include "core/rfc3339.h"
#include "core/strings.h"
#include "git/repository.h"
#include "git/work_tree_root.h"
#include "http/curl_client.h"
#include "http/policy.h"
#include "k8s/resource_locator.h"
#include "report/writer.h"
#include "sync/deploy.h"
#include "sync/failures.h"
#include "sync/help_text.h"  // generated from tools/sync/help.txt
#include "sync/options.h"
#include "sync/select.h"
#include "sync/webhook.h"

namespace capstan::tools {
namespace {

using sync::kTool;

std::string Help() {
  return ToolHelp("capstan-sync [APP...] [--repo PATH --changed REV1..REV2] [options]",
                  sync_help::kFiles[0].text, sync::Flags());
}

// The run's exit code: could not run (3) or configuration (2) first, then failures (1), then
// timeouts (4): a definite failure says more than a timeout next to it.
int CombinedExitCode(const std::vector<sync::Deployed>& results) {
  int code = kExitClean;
  auto rank = [](int c) {
    switch (c) {
      case kExitCannotRun:
        return 4;
      case kExitUsage:
        return 3;
      case kExitFindings:
        return 2;
      case kExitTimeout:
        return 1;
      default:
        return 0;
    }
  };
  for (const sync::Deployed& r : results)
    if (rank(r.exit_code) > rank(code)) code = r.exit_code;
  return code;
}

// Returns WriteReports' exit code.
int WriteReport(Env& env, const sync::Settings& s, std::string started_at,
                std::vector<report::Deployment> deployments,
                std::vector<report::Finding> findings) {
  report::Report r;
  r.tool = std::string(kTool);
  r.version = CAPSTAN_VERSION;
  r.rules = sync::FailureRules();
  r.findings = std::move(findings);
  r.deployments = std::move(deployments);
  report::Finalize(r);
  r.started_at = std::move(started_at);
  r.finished_at = ReportTime(env);
  return WriteReports(env, kTool, s.output, r);
}

// Refuses an expired token before anything is sent; warns when it expires within --timeout.
bool CheckToken(Env& env, const sync::Settings& s) {
  std::optional<std::chrono::system_clock::time_point> expiry =
      argocd::TokenExpiry(s.connection.server.token);
  if (!expiry) return true;
  const auto now = env.clock->Now();
  if (*expiry <= now) {
    PrintError(env, kTool,
               "the Argo CD token expired at " + FormatRfc3339(*expiry) +
                   "; generate a new one (argocd account generate-token)");
    return false;
  }
  if (!s.async && *expiry < now + s.timeout) {
    *env.err << kTool << ": warning: the Argo CD token expires at " << FormatRfc3339(*expiry)
             << ", before --timeout (" << sync::FormatElapsed(s.timeout) << ") ends\n";
  }
  return true;
}

// With --repo: where the repository declares each resource of a failed app, as the user names
// the repository (--repo's path joined to the repository-relative file).
sync::Locate Locator(Env& env, const sync::Settings& s, sync::Run& run,
                     const sync::Deployed& deployed) {
  if (run.repo == nullptr || deployed.source_paths.empty()) return {};
  auto locator = std::make_shared<k8s::ResourceLocator>(
      *env.fs, run.repo->repo().workdir(), deployed.source_paths, k8s::ResourceLocator::Options{});
  const std::string repo = NormalizePath(s.repo);
  const std::string prefix = repo.empty() || repo == "." ? "" : repo + "/";
  return [locator, prefix](const std::string& group, const std::string& kind, const std::string& ns,
                           const std::string& name) -> std::optional<sync::Place> {
    std::optional<k8s::ResourceLocation> at = locator->Find({group, kind, ns, name});
    if (!at) return std::nullopt;
    return sync::Place{prefix + at->file, at->line, at->column};
  };
}

struct Outcome {
  int exit_code = kExitClean;
  std::vector<report::Deployment> deployments;
  std::vector<report::Finding> findings;
};

Outcome Deploy(Env& env, const sync::Settings& s, HttpClient& transport) {
  Outcome out;
  if (!CheckToken(env, s)) {
    out.exit_code = kExitCannotRun;
    return out;
  }
  http::PolicyClient http(&transport, env.clock);
  http::PolicyOptions stream_options;
  stream_options.max_attempts = 1;  // a refused or broken stream falls back to polling at once
  http::PolicyClient stream_http(&transport, env.clock, stream_options);
  argocd::Client client(&http, s.connection.server);
  sync::Progress progress(env, s.heartbeat);

  Result<sync::Selection> selection = sync::Select(env, s, client, progress);
  if (!selection.ok()) {
    PrintError(env, kTool, selection.status().message());
    const StatusCode code = selection.status().code();
    out.exit_code = code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound
                        ? kExitUsage
                        : kExitCannotRun;
    return out;
  }
  if (s.plan) {
    sync::PrintPlan(env, s, *selection);
    out.exit_code = -1;  // printed: no report
    return out;
  }
  if (selection->targets.empty()) {
    *env.err << kTool << ": nothing to deploy: no application "
             << (s.changed.empty() ? "matches" : "is affected by " + s.changed) << " (of "
             << selection->plan.size() << " listed)\n";
    return out;
  }

  sync::Run run{env,
                s,
                client,
                stream_http,
                progress,
                selection->repo.get(),
                env.clock->Monotonic() + s.timeout};
  // Waves: ascending sync-wave, each started when the previous one is all deployed.
  std::map<int, std::vector<std::size_t>> waves;
  for (std::size_t i = 0; i < selection->targets.size(); ++i) {
    waves[s.waves ? selection->targets[i].wave : 0].push_back(i);
  }
  std::vector<sync::Deployed> results(selection->targets.size());
  std::vector<bool> done(selection->targets.size(), false);
  bool stop = false;
  for (const auto& [wave, members] : waves) {
    if (stop) {
      for (std::size_t i : members) {
        const sync::Target& t = selection->targets[i];
        results[i].deployment.name = sync::AppLabel(t.ref);
        results[i].deployment.outcome = "skipped";
        results[i].deployment.message =
            "not started: an earlier sync wave did not deploy (--waves)";
      }
      continue;
    }
    if (s.waves)
      progress.Say("wave " + std::to_string(wave),
                   std::to_string(members.size()) + " application(s)");
    // A named reference: clang before 16 cannot capture a structured binding.
    const std::vector<std::size_t>& wave_members = members;
    ParallelFor(wave_members.size(), s.jobs, [&](std::size_t k) {
      const std::size_t i = wave_members[k];
      results[i] = sync::Deploy(run, selection->targets[i], selection->pin);
    });
    for (std::size_t i : members) stop = stop || results[i].exit_code != 0;
  }

  std::vector<report::Deployment>& deployments = out.deployments;
  std::vector<report::Finding>& findings = out.findings;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string& outcome = results[i].deployment.outcome;
    if (outcome != "deployed" && outcome != "dry-run" && outcome != "requested" &&
        outcome != "skipped") {
      for (report::Finding& f : sync::FailureFindings(run, selection->targets[i], results[i],
                                                      Locator(env, s, run, results[i]))) {
        findings.push_back(std::move(f));
      }
    }
    deployments.push_back(results[i].deployment);
  }
  out.exit_code = CombinedExitCode(results);
  return out;
}

}  // namespace

// What one deployment is (the change, the revision, the resources, what it records), whether
// it only plans or dry-runs, and the token, which a committed file must not hold.
constexpr std::string_view kPerRun[] = {"repo",    "changed",  "branch", "revision",  "plan",
                                        "dry-run", "resource", "info",   "auth-token"};

ConfigSection SyncConfigSection() { return {"sync", sync::Flags(), kPerRun}; }

int RunSync(Env& env, std::span<const std::string> args) {
  CommandLine cl = ParseCommandLine(env, kTool, sync::Flags(), args, Help);
  if (cl.exit_code) return *cl.exit_code;
  // .capstan.yaml at the root of --repo's working tree, else of the working directory's.
  const std::string where =
      cl.flags.Has("repo") ? ResolvePath(env, cl.flags.Get("repo")) : env.WorkingDirectory();
  cl = WithConfig(env, kTool, git::WorkTreeRootOf(env, where), SyncConfigSection(), cl, args);
  if (cl.exit_code) return *cl.exit_code;
  std::string started_at = ReportTime(env);
  Result<sync::Settings> settings = sync::ReadSettings(env, cl.flags);
  if (!settings.ok()) {
    if (settings.status().code() == StatusCode::kInvalidArgument) {
      return UsageError(env, kTool, settings.status().message());
    }
    PrintError(env, kTool, settings.status().message());
    return ExitCodeFor(settings.status());
  }
  std::unique_ptr<http::CurlHttpClient> curl;
  HttpClient* transport = env.http;
  if (transport == nullptr) {
    http::CurlOptions options;
    if (!settings->connection.ca_file.empty()) {
      options.ca_file = ResolvePath(env, settings->connection.ca_file);
    }
    options.insecure_skip_verify = settings->connection.insecure;
    curl = std::make_unique<http::CurlHttpClient>(options);
    transport = curl.get();
  }
  Outcome out;
  if (!settings->webhook.empty() || !settings->flux.receiver_url.empty()) {
    http::PolicyClient http(transport, env.clock);
    sync::WebhookResult sent = sync::SendWebhook(env, *settings, http, env.http);
    out = {sent.exit_code, std::move(sent.deployments), std::move(sent.findings)};
    if (sent.exit_code == kExitClean && settings->wait_after_webhook) {
      Outcome waited = Deploy(env, *settings, *transport);
      out.exit_code = waited.exit_code;
      for (auto& d : waited.deployments) out.deployments.push_back(std::move(d));
      for (auto& f : waited.findings) out.findings.push_back(std::move(f));
    }
  } else {
    out = Deploy(env, *settings, *transport);
    if (out.exit_code == -1) return kExitClean;  // --plan
  }
  if (out.deployments.empty() && out.findings.empty() &&
      (out.exit_code != kExitClean || settings->output.format == report::Format::kText)) {
    // Said on stderr already: an expired token, an unreadable selection, nothing to deploy.
    return out.exit_code;
  }
  int written = WriteReport(env, *settings, std::move(started_at), std::move(out.deployments),
                            std::move(out.findings));
  // A report that could not be written is a failure to run only when the deployment succeeded:
  // its own failure says more.
  return out.exit_code == kExitClean ? written : out.exit_code;
}

}  // namespace capstan::tools
