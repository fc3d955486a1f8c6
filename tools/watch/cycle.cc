#include "watch/cycle.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

#include "common/config_file.h"
#include "core/exit_code.h"
#include "core/parallel.h"
#include "core/strings.h"
#include "core/unified_diff.h"
#include "core/url.h"
#include "git/locks.h"
#include "git/repository.h"
#include "http/curl_client.h"
#include "registry/client.h"
#include "watch/decide.h"
#include "watch/registry_auth.h"

namespace capstan::tools::watch {
namespace {

constexpr std::uint64_t kMaxFileBytes = 4u << 20;

bool IsYaml(const std::string& path) {
  auto ends = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".yaml") || ends(".yml");
}

void Fail(CycleReport& report, const Status& status) {
  report.error = status.message();
  report.exit_code = std::max(report.exit_code, ExitCodeFor(status));
}

// The YAML files of the tip's tree, read from the object database.
Result<std::vector<image::FileText>> ReadTip(Env& env, const std::string& repo_dir,
                                             const std::string& tip) {
  Result<std::vector<git::TreeFile>> tree = git::ListTree(repo_dir, tip);
  if (!tree.ok()) return tree.status();
  Result<std::unique_ptr<git::Repository>> repo = env.open_repository(repo_dir);
  if (!repo.ok()) return repo.status();
  std::vector<image::FileText> files;
  for (const git::TreeFile& f : *tree) {
    if (!IsYaml(f.path) || f.size > kMaxFileBytes) continue;
    Result<std::string> text = (*repo)->ReadBlob(f.oid, kMaxFileBytes);
    if (!text.ok()) return text.status();
    files.push_back({f.path, std::move(text).value(), ""});
  }
  return files;
}

// The texts the cycle's policies were read from at its base, nullopt for a file that is not
// there: .capstan.yaml and every file a policy, a registry setting or a problem names.
using PolicyTexts = std::map<std::string, std::optional<std::string>>;

PolicyTexts PolicyTextsOf(const std::vector<image::FileText>& files,
                          const policy::ProjectConfig& config,
                          const std::vector<policy::SourceProblem>& problems) {
  std::set<std::string> names = {std::string(policy::kProjectConfigFile)};
  for (const policy::ImagePolicy& p : config.images) names.insert(p.source.file);
  for (const policy::RegistrySettings& r : config.registries) names.insert(r.source.file);
  for (const policy::SourceProblem& p : problems) names.insert(p.where.file);
  names.erase("");
  PolicyTexts texts;
  for (const std::string& name : names) texts[name] = std::nullopt;
  for (const image::FileText& f : files) {
    if (names.count(f.name) != 0) texts[f.name] = f.text;
  }
  return texts;
}

// The decisions of the images this cycle updates; the others decide nothing, so re-applying on
// a moved tip writes only what the first application wrote (an image kept because some other
// file holds a newer tag must stay kept when that file is not read again).
std::vector<policy::Decision> UpdatedOnly(const std::vector<policy::Decision>& decisions,
                                          const policy::Applied& applied) {
  std::vector<policy::Decision> out(decisions.size());
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    if (applied.outcomes[i].state == policy::ImageOutcome::State::kUpdated) out[i] = decisions[i];
  }
  return out;
}

// `first` with the outcome of every image it updated replaced by `again`'s (the re-application
// on the remote tip the push landed on, or found nothing left to do on).
std::vector<policy::ImageOutcome> Merged(const policy::Applied& first,
                                         const policy::Applied& again) {
  std::vector<policy::ImageOutcome> out = first.outcomes;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].state == policy::ImageOutcome::State::kUpdated) out[i] = again.outcomes[i];
  }
  return out;
}

// One pass of the cycle from the branch tip fetched now. When the push finds the remote moved
// and one of the policy files changed there, the pass stops without pushing and names that
// file in `policies_moved`: its decisions may no longer be the policies'.
CycleReport RunFromTip(Env& env, const CycleOptions& options,
                       const std::function<void(const std::string&)>& log,
                       std::string& policies_moved);

}  // namespace

std::string CacheDirFor(const std::string& cache_dir, const std::string& url) {
  std::string rest = RedactUrl(url);
  std::size_t scheme = rest.find("://");
  if (scheme != std::string::npos) rest.erase(0, scheme + 3);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  for (char& c : rest) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_';
    if (!keep) c = '_';
  }
  if (rest.size() < 4 || rest.compare(rest.size() - 4, 4, ".git") != 0) rest += ".git";
  return cache_dir + "/" + rest;
}

CycleReport RunCycle(Env& env, const CycleOptions& options,
                     const std::function<void(const std::string&)>& log) {
  http::RequestStats requests;
  int pushes = 0;
  for (int start = 1;; ++start) {
    std::string moved;
    CycleReport report = RunFromTip(env, options, log, moved);
    for (const auto& [host, kinds] : report.requests.requests) {
      for (const auto& [kind, n] : kinds) requests.requests[host][kind] += n;
    }
    requests.retries += report.requests.retries;
    requests.rate_limited += report.requests.rate_limited;
    pushes += report.push_attempts;
    report.requests = requests;
    report.push_attempts = pushes;
    if (moved.empty()) return report;
    if (start >= options.max_attempts) {
      report.error = "the policies kept changing on the remote (" + moved + "): gave up after " +
                     std::to_string(start) + " attempts";
      report.exit_code = std::max(report.exit_code, int{kExitCannotRun});
      return report;
    }
    log(moved + " changed on the remote: starting the cycle again from its new tip");
  }
}

namespace {

CycleReport RunFromTip(Env& env, const CycleOptions& options,
                       const std::function<void(const std::string&)>& log,
                       std::string& policies_moved) {
  CycleReport report;

  // The repository and the branch tip the cycle reads.
  std::string repo_dir;
  std::string branch = options.branch;
  std::string remote = options.remote;
  Result<HeldFile> cache = HeldFile();  // held for the whole cycle
  if (options.repo_is_url) {
    if (branch.empty()) branch = "main";
    repo_dir = CacheDirFor(options.cache_dir, options.repo);
    cache = git::HoldCache(repo_dir, log);
    if (!cache.ok()) {
      Fail(report, cache.status());
      return report;
    }
    remote = options.repo;
  } else {
    Result<std::unique_ptr<git::Repository>> repo = env.open_repository(options.repo);
    if (!repo.ok()) {
      Fail(report, repo.status());
      return report;
    }
    repo_dir = (*repo)->workdir();
    if (branch.empty()) {
      Result<std::string> head = (*repo)->HeadBranch();
      if (!head.ok()) {
        Fail(report,
             Status::InvalidArgument(head.status().message() + ": name the branch with --branch"));
        return report;
      }
      branch = *head;
    }
  }
  Result<std::optional<std::string>> tip =
      git::FetchBranch(repo_dir, remote, branch, options.git_credentials);
  if (!tip.ok()) {
    Fail(report, tip.status());
    return report;
  }
  if (!*tip) {
    Fail(report, Status::NotFound("branch " + QuoteForMessage(branch) + " does not exist on " +
                                  RedactUrl(remote)));
    return report;
  }
  report.base = **tip;
  Result<std::vector<image::FileText>> files = ReadTip(env, repo_dir, report.base);
  if (!files.ok()) {
    Fail(report, files.status());
    return report;
  }

  // The schema decides which keys the file may hold; lib/policy reads the values.
  for (const image::FileText& f : *files) {
    if (f.name != policy::kProjectConfigFile) continue;
    if (Status s = CheckConfigText(f.name, f.text); !s.ok()) {
      Fail(report, s);
      return report;
    }
  }
  Result<policy::ProjectConfig> config = policy::ReadPolicies(*files, report.problems);
  if (!config.ok()) {
    Fail(report, config.status());
    return report;
  }
  if (!report.problems.empty()) report.exit_code = std::max(report.exit_code, int{kExitFindings});
  report.policies = config->images;
  const PolicyTexts policy_texts = PolicyTextsOf(*files, *config, report.problems);

  // The registries: one transport, retry policy and client per cycle, so credentials (ECR
  // tokens, helper answers) are looked up afresh and the request counts are this cycle's.
  std::set<std::string> plain = options.insecure_registries;
  for (const policy::RegistrySettings& r : config->registries) {
    if (r.insecure) plain.insert(r.host);
  }
  std::unique_ptr<http::CurlHttpClient> curl;
  HttpClient* transport = env.http;
  if (transport == nullptr) {
    http::CurlOptions curl_options;
    curl_options.insecure_hosts = plain;
    curl = std::make_unique<http::CurlHttpClient>(curl_options);
    transport = curl.get();
  }
  http::PolicyClient http(transport, env.clock);
  registry::ClientOptions client_options;
  client_options.plain_http_hosts = plain;
  client_options.max_tag_pages = options.max_tag_pages;
  registry::Client client(
      &http, env.clock,
      MakeCredentialLookup(env, AuthSettings{config->registries, options.docker_config}),
      client_options);

  std::vector<policy::Decision> decisions(report.policies.size());
  ParallelFor(report.policies.size(), options.concurrency, [&](std::size_t i) {
    const policy::ImagePolicy& policy = report.policies[i];
    if (Status s = image::ValidatePolicy(policy.tags); !s.ok()) {
      decisions[i].status = s;
      return;
    }
    decisions[i] = Decide(policy, client);
  });
  report.requests = http.Stats();

  // .capstan.yaml names the images it watches, but it is configuration, never a target.
  files->erase(
      std::remove_if(files->begin(), files->end(),
                     [](const image::FileText& f) { return f.name == policy::kProjectConfigFile; }),
      files->end());
  report.applied = policy::ApplyDecisions(*files, report.policies, decisions);
  for (std::size_t i = 0; i < report.applied.outcomes.size(); ++i) {
    if (report.applied.outcomes[i].state != policy::ImageOutcome::State::kFailed) continue;
    report.exit_code =
        std::max(report.exit_code,
                 decisions[i].status.ok() ? int{kExitFindings} : ExitCodeFor(decisions[i].status));
  }
  if (report.applied.updates.empty()) return report;

  if (options.dry_run) {
    // Both sorted by name: one pass pairs each update with the text it replaces ("" when new).
    auto original = files->begin();
    for (const auto& [name, text] : report.applied.updates) {
      while (original != files->end() && original->name < name) ++original;
      bool existed = original != files->end() && original->name == name;
      report.diff += UnifiedDiff(name, existed ? original->text : "", text);
    }
    return report;
  }

  git::PublishOntoOptions publish;
  publish.base = report.base;
  publish.publish.remote = remote;
  publish.publish.branch = options.push_branch.empty() ? branch : options.push_branch;
  publish.publish.max_attempts = options.max_attempts;
  publish.publish.credentials = options.git_credentials;
  publish.publish.log = log;
  publish.follow_local = !options.repo_is_url && publish.publish.branch == branch;
  const std::map<std::string, std::string>& changed = report.applied.updates;  // sorted by path
  const std::vector<policy::ImagePolicy>& policies = report.policies;
  const std::vector<policy::Decision> updating = UpdatedOnly(decisions, report.applied);
  std::optional<policy::Applied> last;  // the latest re-application
  // Re-planned from the same decisions on whatever tip the push lands on, as long as the
  // policies there are the ones decided on; a human's edit of the same line counts (a newer
  // tag is kept, an older one is moved forward from).
  publish.publish.reapply =
      [&](const git::ReadAtTip& read) -> Result<std::vector<git::FileUpdate>> {
    for (const auto& [path, text] : policy_texts) {
      Result<std::optional<std::string>> now = read(path);
      if (!now.ok()) return now.status();
      if (*now != text) {
        policies_moved = path;
        return Status::IoError(path + " changed on the remote while pushing");
      }
    }
    std::vector<image::FileText> at_tip;
    for (const auto& [path, text] : changed) {
      Result<std::optional<std::string>> content = read(path);
      if (!content.ok()) return content.status();
      if (*content) at_tip.push_back({path, **content, ""});
    }
    last = policy::ApplyDecisions(at_tip, policies, updating);
    std::vector<git::FileUpdate> updates;
    for (const auto& [path, text] : last->updates) updates.push_back({path, text});
    return updates;
  };
  publish.publish.reapplied_message = [&] {
    policy::Applied merged;
    merged.outcomes = Merged(report.applied, *last);
    return policy::CommitMessage(policies, merged);
  };
  Result<git::PublishOutcome> outcome =
      git::PublishOnto(repo_dir,
                       git::CommitRequest{policy::CommitMessage(policies, report.applied),
                                          options.identity.author, options.identity.committer},
                       publish);
  if (!outcome.ok()) {
    if (policies_moved.empty()) Fail(report, outcome.status());
    return report;
  }
  if (last) {
    std::vector<policy::ImageOutcome> merged = Merged(report.applied, *last);
    for (std::size_t i = 0; i < merged.size(); ++i) {
      if (merged[i].state == policy::ImageOutcome::State::kFailed &&
          report.applied.outcomes[i].state != policy::ImageOutcome::State::kFailed) {
        report.exit_code = std::max(report.exit_code, int{kExitFindings});
      }
    }
    report.applied.outcomes = std::move(merged);
  }
  report.pushed = outcome->pushed;
  report.pushed_to = RedactUrl(remote) + " " + publish.publish.branch;
  report.commit = outcome->pushed ? outcome->commit : "";
  report.push_attempts = outcome->attempts;
  return report;
}

}  // namespace

}  // namespace capstan::tools::watch
