#include "watch/watch.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "common/cli.h"
#include "common/config_file.h"
#include "common/identity.h"
#include "common/publish_step.h"
#include "core/exit_code.h"
#include "core/flags.h"
#include "core/rfc3339.h"
#include "core/strings.h"
#include "core/url.h"
#include "git/work_tree_root.h"
#include "watch/cycle.h"
#include "watch/help_text.h"  // generated from tools/watch/help.txt
#include "watch/metrics.h"
#include "watch/registry_auth.h"
#include "watch/stop_signal.h"

namespace capstan::tools {
namespace {

using policy::ImageOutcome;
using watch::CycleReport;

constexpr std::string_view kTool = "capstan-watch";

const flags::Flag kOwnFlags[] = {
    {"repo", 'r', "PATH|URL",
     "the GitOps repository: a checkout (default .) or a remote URL kept in --cache-dir"},
    {"branch", 'b', "BRANCH",
     "the branch to read and update (default: the checkout's branch; main for a URL)"},
    {"remote", 0, "REMOTE", "the remote of a checkout to fetch from and push to (default origin)"},
    {"push-branch", 0, "BRANCH",
     "push the commit to this branch instead (for pull requests); never forced"},
    {"once", 0, "", "run one cycle and exit (the default)"},
    {"interval", 0, "DURATION", "run a cycle every DURATION (e.g. 5m) until stopped"},
    {"cycles", 0, "N", "with --interval, stop after N cycles"},
    {"dry-run", 'n', "", "print the changes as a unified diff; commit and push nothing"},
    {"cache-dir", 0, "DIR",
     "where clones of --repo URLs are kept (default $XDG_CACHE_HOME/capstan or ~/.cache/capstan)"},
    {"docker-config", 0, "FILE",
     "registry credentials (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)"},
    {"insecure-registry", 0, "HOST[:PORT]",
     "a registry spoken to over plain HTTP (loopback always is)", true},
    {"concurrency", 'j', "N", "registry queries in flight (default 8)"},
    {"max-tag-pages", 0, "N", "tag list pages read per image before giving up (default 50)"},
    {"log-format", 0, "FORMAT", "text (default) or json: one JSON object per line on stdout"},
    {"metrics-addr", 0, "HOST:PORT",
     "serve Prometheus metrics at http://HOST:PORT/metrics while running"},
    kAuthorFlag,
    kConfigFlag,
};
const std::vector<flags::Flag> kFlags = WithPublishFlags(kOwnFlags, CredentialWording::kGit);

// --help: the synopsis, tools/watch/help.txt (embedded at build time) and the flags.
std::string Help() {
  return ToolHelp("capstan-watch [--once | --interval DURATION] [--repo PATH|URL] [options]",
                  watch_help::kFiles[0].text, kFlags);
}

bool LooksLikeUrl(const std::string& s) {
  return s.find("://") != std::string::npos ||
         (s.find('@') != std::string::npos && s.find(':') != std::string::npos &&
          s.find('/') > s.find(':'));
}

// Text lines for people, or one JSON object per event for log pipelines.
class Output {
 public:
  Output(Env& env, bool json) : env_(env), json_(json) {}

  void Event(const std::string& level, const std::string& msg,
             nlohmann::json fields = nlohmann::json::object()) {
    if (json_) {
      nlohmann::json line = {
          {"time", FormatRfc3339(env_.clock->Now())}, {"level", level}, {"msg", msg}};
      for (auto& [k, v] : fields.items()) line[k] = v;
      *env_.out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      env_.out->flush();
      return;
    }
    std::ostream& to = level == "info" ? *env_.out : *env_.err;
    to << (level == "info" ? "" : std::string(kTool) + ": " + level + ": ") << msg << "\n";
    to.flush();  // a loop's lines must reach a log file as they happen
  }
  bool json() const { return json_; }
  Env& env() { return env_; }

 private:
  Env& env_;
  bool json_;
};

std::string RequestsLine(const http::RequestStats& stats) {
  std::map<std::string, std::uint64_t> by_kind;
  for (const auto& [host, kinds] : stats.requests) {
    for (const auto& [kind, n] : kinds) by_kind[kind] += n;
  }
  std::string out;
  for (const auto& [kind, n] : by_kind)
    out += (out.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  return out.empty() ? "none" : out;
}

void Report(Output& out, const CycleReport& r, std::chrono::milliseconds duration) {
  for (const policy::SourceProblem& p : r.problems) {
    out.Event("warning",
              p.where.file + ":" + std::to_string(p.where.line) + ":" +
                  std::to_string(p.where.column) + ": " + p.message,
              {{"file", p.where.file}, {"line", p.where.line}, {"column", p.where.column}});
  }
  std::size_t updates = 0, errors = 0;
  for (std::size_t i = 0; i < r.applied.outcomes.size(); ++i) {
    const ImageOutcome& o = r.applied.outcomes[i];
    const std::string image = r.policies[i].image.Name();
    nlohmann::json fields = {{"image", image},
                             {"state", policy::StateName(o.state)},
                             {"source", r.policies[i].source.label}};
    if (!o.from.empty()) fields["from"] = o.from;
    if (!o.to.empty()) fields["to"] = o.to;
    std::string text;
    std::string level = "info";
    switch (o.state) {
      case ImageOutcome::State::kUpdated: {
        ++updates;
        text = image + ": " + (o.from.empty() ? "" : o.from + " -> ") + o.to;
        nlohmann::json places = nlohmann::json::array();
        for (const policy::AppliedChange& c : o.changes) {
          places.push_back(c.file + ":" + std::to_string(c.line));
          text += "\n  " + c.file + ":" + std::to_string(c.line) + " " + c.kind;
        }
        fields["places"] = places;
        break;
      }
      case ImageOutcome::State::kUpToDate:
        text = image + ": up to date (" + o.to + ")";
        break;
      case ImageOutcome::State::kFailed:
        ++errors;
        level = "error";
        text = image + ": " + o.message;
        fields["error"] = o.message;
        break;
      default:
        level = o.state == ImageOutcome::State::kNoTarget ? "warning" : "info";
        text = image + ": " + o.message;
        fields["reason"] = o.message;
        break;
    }
    out.Event(level, out.json() ? "image" : text, fields);
  }
  if (!r.error.empty()) {
    ++errors;
    out.Event("error", r.error, {{"error", r.error}});
  }
  if (!r.diff.empty()) *out.env().out << r.diff;
  if (r.pushed) {
    out.Event("info",
              out.json() ? "pushed"
                         : "pushed " + r.commit.substr(0, 7) + " to " + r.pushed_to +
                               (r.push_attempts > 1 ? " (re-applied on the moved remote, attempt " +
                                                          std::to_string(r.push_attempts) + ")"
                                                    : ""),
              {{"commit", r.commit}, {"to", r.pushed_to}, {"attempts", r.push_attempts}});
  }
  nlohmann::json requests = nlohmann::json::object();
  for (const auto& [host, kinds] : r.requests.requests) {
    for (const auto& [kind, n] : kinds) requests[kind] = requests.value(kind, 0) + n;
  }
  std::string summary = "summary: " + std::to_string(r.policies.size()) + " images checked, " +
                        std::to_string(updates) + (updates == 1 ? " update, " : " updates, ") +
                        std::to_string(errors) + (errors == 1 ? " error" : " errors") +
                        "; registry requests: " + RequestsLine(r.requests);
  out.Event(r.exit_code == 0 ? "info" : "warning", out.json() ? "cycle" : summary,
            {{"images", r.policies.size()},
             {"updates", updates},
             {"errors", errors},
             {"requests", requests},
             {"retries", r.requests.retries},
             {"rate_limited", r.requests.rate_limited},
             {"commit", r.commit},
             {"duration_ms", duration.count()},
             {"exit_code", r.exit_code}});
}

// The end of a run on a stop signal: the metrics server closed (its port refuses
// connections), then one line saying so.
void Stopping(Output& out, int sig, const std::string& when, int exit_code,
              std::unique_ptr<watch::MetricsServer>& server) {
  server.reset();
  out.Event("info",
            out.json() ? "stopped"
                       : "stopped by " + watch::SignalName(sig) + when + " (exit " +
                             std::to_string(exit_code) + ")",
            {{"signal", watch::SignalName(sig)}, {"exit_code", exit_code}});
}

std::string DefaultCacheDir(Env& env) {
  if (env.getenv) {
    if (auto xdg = env.getenv("XDG_CACHE_HOME"); xdg && !xdg->empty()) return *xdg + "/capstan";
    if (auto home = env.getenv("HOME"); home && !home->empty()) return *home + "/.cache/capstan";
  }
  return ".capstan-cache";
}

}  // namespace

// What one run is: where, how often, whether it writes, and its metrics endpoint.
constexpr std::string_view kPerRun[] = {"repo",   "once",    "interval",
                                        "cycles", "dry-run", "metrics-addr"};

ConfigSection WatchConfigSection() { return {"watch", kFlags, kPerRun}; }

namespace {

int Run(Env& env, std::span<const std::string> args, watch::StopSignal* stop) {
  CommandLine cli = ParseCommandLine(env, kTool, kFlags, args, Help);
  if (cli.exit_code) return *cli.exit_code;
  if (!cli.flags.positionals().empty()) {
    return UsageError(env, kTool,
                      "unexpected argument " + QuoteForMessage(cli.flags.positionals().front()) +
                          ": name the repository with --repo");
  }

  watch::CycleOptions options;
  options.repo = cli.flags.Get("repo", ".");
  options.repo_is_url = LooksLikeUrl(options.repo);
  if (!options.repo_is_url) options.repo = ResolvePath(env, options.repo);

  // .capstan.yaml's watch section, from a checkout's root or --config (a URL's own file is
  // checked and its policies read each cycle at the tip, but its watch section is not read).
  if (!options.repo_is_url || cli.flags.Has(kConfigFlag.name)) {
    std::string root = options.repo_is_url ? "" : git::WorkTreeRootOf(env, options.repo);
    cli =
        WithConfig(env, kTool, root.empty() ? options.repo : root, WatchConfigSection(), cli, args);
    if (cli.exit_code) return *cli.exit_code;
  }
  const flags::Parsed& p = cli.flags;

  if (p.Has("once") && p.Has("interval"))
    return UsageError(env, kTool, "--once and --interval exclude each other");
  if (p.Has("cycles") && !p.Has("interval"))
    return UsageError(env, kTool, "--cycles needs --interval");
  std::optional<std::chrono::milliseconds> interval;
  if (p.Has("interval")) {
    Result<std::chrono::milliseconds> d =
        flags::ParseDuration("interval", p.Get("interval"), std::chrono::seconds(1));
    if (!d.ok()) return UsageError(env, kTool, d.status().message());
    interval = *d;
  }
  long cycles = 0;
  if (p.Has("cycles")) {
    Result<long> n = flags::ParseCount("cycles", p.Get("cycles"), 1, 1000000);
    if (!n.ok()) return UsageError(env, kTool, n.status().message());
    cycles = *n;
  }
  for (const auto& [flag, max, field] :
       {std::tuple{"concurrency", 64L, &options.concurrency},
        std::tuple{"max-tag-pages", 10000L, &options.max_tag_pages},
        std::tuple{"max-attempts", 100L, &options.max_attempts}}) {
    if (!p.Has(flag)) continue;
    Result<long> n = flags::ParseCount(flag, p.Get(flag), 1, max);
    if (!n.ok()) return UsageError(env, kTool, n.status().message());
    *field = static_cast<int>(*n);
  }
  std::string log_format = p.Get("log-format", "text");
  if (log_format != "text" && log_format != "json") {
    return UsageError(env, kTool,
                      "--log-format must be text or json, not " + QuoteForMessage(log_format));
  }
  if (p.Has("metrics-addr") && !interval)
    return UsageError(env, kTool, "--metrics-addr needs --interval");
  if (options.repo_is_url && p.Has("remote"))
    return UsageError(env, kTool, "--remote is for a checkout; --repo is already a URL");

  Result<CommitIdentity> identity = ResolveCommitIdentity(env, p.Get("author"));
  if (!identity.ok()) return UsageError(env, kTool, identity.status().message());
  options.identity = *identity;

  Result<git::Credentials> credentials = BuildCredentials(env, ReadGitCredentialFlags(p));
  if (!credentials.ok()) {
    PrintError(env, kTool, credentials.status().message());
    return ExitCodeFor(credentials.status());
  }
  options.git_credentials = *credentials;

  options.branch = p.Get("branch");
  options.remote = p.Get("remote", "origin");
  options.push_branch = p.Get("push-branch");
  options.dry_run = p.Has("dry-run");
  options.cache_dir =
      p.Has("cache-dir") ? ResolvePath(env, p.Get("cache-dir")) : DefaultCacheDir(env);
  options.docker_config = p.Has("docker-config") ? ResolvePath(env, p.Get("docker-config"))
                                                 : watch::DefaultDockerConfig(env);
  for (const std::string& host : p.All("insecure-registry"))
    options.insecure_registries.insert(host);

  Output out(env, log_format == "json");
  watch::Metrics metrics;
  std::unique_ptr<watch::MetricsServer> server;
  if (p.Has("metrics-addr")) {
    Result<std::unique_ptr<watch::MetricsServer>> started =
        watch::MetricsServer::Start(p.Get("metrics-addr"), &metrics);
    if (!started.ok()) {
      PrintError(env, kTool, started.status().message());
      return started.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitCannotRun;
    }
    server = std::move(started).value();
    out.Event("info", "serving metrics on port " + std::to_string(server->port()),
              {{"metrics_port", server->port()}});
  }

  auto log = [&out](const std::string& line) {
    out.Event("info", out.json() ? "git" : line, {{"detail", line}});
  };
  int exit_code = kExitClean;
  for (long cycle = 1;; ++cycle) {
    auto started = env.clock->Monotonic();
    CycleReport report = watch::RunCycle(env, options, log);
    auto duration =
        std::chrono::duration_cast<std::chrono::milliseconds>(env.clock->Monotonic() - started);
    Report(out, report, duration);
    metrics.Record(report, duration, env.clock->Now());
    exit_code = report.exit_code;
    const bool stopping = stop != nullptr && stop->signal() != 0;
    if (!interval || (cycles > 0 && cycle >= cycles) || stopping) break;
    if (stop == nullptr) {
      env.clock->Sleep(*interval);
    } else if (stop->Wait(*interval)) {
      // Nothing was under way: a clean stop, whatever the earlier cycles returned.
      Stopping(out, stop->signal(), " while waiting for the next cycle", kExitClean, server);
      return kExitClean;
    }
  }
  if (stop != nullptr && stop->signal() != 0)
    Stopping(out, stop->signal(), ": the cycle under way finished", exit_code, server);
  return exit_code;
}

}  // namespace

int RunWatch(Env& env, std::span<const std::string> args) { return Run(env, args, nullptr); }

int RunWatchStoppedBy(Env& env, std::span<const std::string> args, watch::StopSignal& stop) {
  return Run(env, args, &stop);
}

}  // namespace capstan::tools
