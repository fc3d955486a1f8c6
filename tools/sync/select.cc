#include "sync/select.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <ostream>

#include "argocd/affected.h"
#include "argocd/wait.h"
#include "common/cli.h"
#include "core/strings.h"
#include "git/repository.h"
#include "git/revisions.h"
#include "sync/observe.h"

namespace capstan::tools::sync {
namespace {

// What the selection reads of each listed application (Argo CD's `fields=` allow-list).
const std::vector<std::string> kListFields = {"items.metadata.name", "items.metadata.namespace",
                                              "items.metadata.annotations", "items.metadata.labels",
                                              "items.spec"};

constexpr std::string_view kSyncWave = "argocd.argoproj.io/sync-wave";

bool IsFullSha(const std::string& s) {
  return s.size() == 40 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

int WaveOf(const argocd::Application& app) {
  const argocd::Annotation* a = app.FindAnnotation(kSyncWave);
  if (a == nullptr) return 0;
  std::string_view text = Trim(a->value);
  int wave = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), wave);
  return ec == std::errc() && ptr == text.data() + text.size() ? wave : 0;
}

std::string QualifiedName(const argocd::Application& app) {
  return app.namespace_.empty() ? app.name : app.namespace_ + "/" + app.name;
}

struct RepositoryFacts {
  argocd::Change change;
  std::string work_tree;
};

Status ReadRepository(Env& env, const Settings& s, Selection& selection, Progress& progress,
                      RepositoryFacts& facts) {
  const std::string path = ResolvePath(env, s.repo);
  Result<std::unique_ptr<git::Repository>> opened = env.open_repository(path);
  if (!opened.ok()) {
    return Status(
        opened.status().code() == StatusCode::kNotFound ? StatusCode::kInvalidArgument
                                                        : opened.status().code(),
        "--repo " + QuoteForMessage(s.repo, kQuotePathLimit) + ": " + opened.status().message());
  }
  selection.repo = std::make_unique<SharedRepository>(std::move(*opened));
  git::Repository& repo = selection.repo->repo();
  facts.work_tree = repo.workdir();

  std::string revision = s.revision;
  if (!s.changed.empty()) {
    Result<git::RevisionRange> range = git::ParseRevisionRange(s.changed);
    if (!range.ok()) return Status::InvalidArgument("--changed: " + range.status().message());
    Result<std::vector<git::PathChange>> changes = git::ChangedPaths(repo, range->from, range->to);
    if (!changes.ok()) {
      return Status(changes.status().code() == StatusCode::kIoError ? StatusCode::kIoError
                                                                    : StatusCode::kInvalidArgument,
                    "--changed: " + changes.status().message());
    }
    facts.change.changed_paths = git::TouchedPaths(*changes);
    selection.changed_paths = facts.change.changed_paths.size();
    if (revision.empty()) revision = range->to;

    Result<ChangeOrigin> origin = ReadChangeOrigin(env, s, repo);
    if (!origin.ok()) return origin.status();
    facts.change.branch = origin->branch;
    facts.change.repo_url = origin->repo_url;
    facts.change.default_branch = origin->default_branch;
    if (origin->default_branch.empty()) {
      progress.Warn(
          "the repository's default branch is unknown (origin/HEAD is not set), so applications "
          "at targetRevision HEAD are not selected; pass --default-branch BRANCH");
    }
  }
  if (!revision.empty()) {
    Result<std::string> sha = git::ResolveCommit(repo, revision);
    if (!sha.ok()) {
      return Status(sha.status().code() == StatusCode::kIoError ? StatusCode::kIoError
                                                                : StatusCode::kInvalidArgument,
                    (s.revision.empty() ? "--changed: " : "--revision: ") + sha.status().message());
    }
    selection.pin = {*sha, *sha};
  }
  return Status::Ok();
}

Status ListError(const Result<argocd::Answer>& answer) {
  if (!answer.ok()) {
    return Status(answer.status().code() == StatusCode::kInvalidArgument
                      ? StatusCode::kInvalidArgument
                      : StatusCode::kIoError,
                  "cannot list applications: " + DescribeTransportError(answer.status()));
  }
  const argocd::ApiError& e = *answer->error;
  if (e.http_status == 401) {
    return Status::Unauthenticated("Argo CD rejected the token (" + e.message + ")");
  }
  if (e.http_status == 400) {
    return Status::InvalidArgument("cannot list applications: " + e.message);
  }
  return Status::IoError("cannot list applications: HTTP " + std::to_string(e.http_status) + ": " +
                         e.message);
}

}  // namespace

Result<ChangeOrigin> ReadChangeOrigin(Env& env, const Settings& s, git::Repository& repo) {
  ChangeOrigin origin;
  origin.branch = s.branch;
  if (origin.branch.empty()) {
    if (Result<std::string> head = repo.HeadBranch(); head.ok()) origin.branch = *head;
  }
  for (const char* name : {"CI_COMMIT_BRANCH", "GITHUB_HEAD_REF", "GITHUB_REF_NAME"}) {
    if (!origin.branch.empty()) break;
    if (std::string(name) == "GITHUB_REF_NAME" &&
        env.getenv("GITHUB_REF_TYPE").value_or("branch") != "branch") {
      continue;
    }
    if (auto v = env.getenv(name); v && !v->empty()) origin.branch = *v;
  }
  if (origin.branch.empty()) {
    return Status::InvalidArgument(
        "cannot tell which branch the change is on: HEAD is detached; pass --branch BRANCH");
  }
  origin.repo_url = s.repo_url;
  if (origin.repo_url.empty()) {
    Result<std::string> url = repo.RemoteUrl("origin");
    if (!url.ok()) {
      return Status::InvalidArgument("cannot tell the repository's URL: " + url.status().message() +
                                     "; pass --repo-url URL (as the applications name it)");
    }
    origin.repo_url = *url;
  }
  origin.default_branch = s.default_branch;
  if (origin.default_branch.empty()) {
    if (Result<std::string> head = repo.RemoteHeadBranch("origin"); head.ok()) {
      origin.default_branch = *head;
    } else if (auto v = env.getenv("CI_DEFAULT_BRANCH"); v && !v->empty()) {
      origin.default_branch = *v;
    }
  }
  return origin;
}

Result<Selection> Select(Env& env, const Settings& s, argocd::Client& client, Progress& progress) {
  Selection selection;
  RepositoryFacts facts;
  if (!s.repo.empty()) {
    CAPSTAN_RETURN_IF_ERROR(ReadRepository(env, s, selection, progress, facts));
  } else if (!s.revision.empty()) {
    selection.pin = {s.revision, IsFullSha(s.revision) ? s.revision : ""};
  }

  const bool by_name = !s.apps.empty();
  std::vector<argocd::Application> listed;
  if (!by_name || s.waves) {
    argocd::ListQuery query{s.selector, s.projects, s.app_namespace, kListFields};
    Result<argocd::Answer> answer = client.List(query);
    if (!answer.ok() || answer->error) return ListError(answer);
    const nlohmann::json& items = answer->body.is_object() && answer->body.contains("items")
                                      ? answer->body["items"]
                                      : nlohmann::json();
    if (!items.is_null() && !items.is_array()) {
      return Status::IoError("cannot list applications: the answer has no item list");
    }
    if (items.is_array()) {
      for (const auto& item : items) {
        if (std::optional<argocd::Application> app = argocd::ReadApplicationJson(item)) {
          listed.push_back(std::move(*app));
        }
      }
    }
  }

  if (by_name) {
    for (const std::string& name : s.apps) {
      Target t;
      std::size_t slash = name.find('/');
      t.ref.name = slash == std::string::npos ? name : name.substr(slash + 1);
      t.ref.app_namespace = slash == std::string::npos ? s.app_namespace : name.substr(0, slash);
      if (s.projects.size() == 1) t.ref.project = s.projects.front();
      for (const argocd::Application& app : listed) {
        if (app.name == t.ref.name &&
            (t.ref.app_namespace.empty() || app.namespace_ == t.ref.app_namespace)) {
          t.wave = WaveOf(app);
          if (t.ref.project.empty()) t.ref.project = app.project;
        }
      }
      selection.plan.push_back({name, true, "in: named on the command line", {}, t.wave});
      selection.targets.push_back(std::move(t));
    }
    return selection;
  }

  std::optional<argocd::AffectedRules> rules;
  if (!s.changed.empty()) {
    rules.emplace(facts.change, *env.fs, facts.work_tree,
                  argocd::AffectedRules::Options{.mode = s.affected});
  }
  for (const argocd::Application& app : listed) {
    PlanEntry entry{QualifiedName(app), true, "", {}, WaveOf(app)};
    Target t;
    t.ref = {app.name, app.namespace_, app.project};
    t.wave = entry.wave;
    if (rules) {
      argocd::Decision d = rules->Decide(app);
      entry.selected = d.selected;
      entry.reason = d.reason;
      entry.notes = d.notes;
      t.sources = d.sources;
    } else {
      entry.reason = !s.selector.empty() ? "in: matches selector " + QuoteForMessage(s.selector)
                                         : "in: in project " + QuoteForMessage(app.project);
    }
    if (entry.selected) selection.targets.push_back(std::move(t));
    selection.plan.push_back(std::move(entry));
  }
  return selection;
}

void PrintPlan(Env& env, const Settings& s, const Selection& selection) {
  std::size_t selected = 0;
  for (const PlanEntry& e : selection.plan) selected += e.selected ? 1 : 0;
  if (s.output.format == report::Format::kJson) {
    nlohmann::ordered_json apps = nlohmann::ordered_json::array();
    for (const PlanEntry& e : selection.plan) {
      apps.push_back({{"name", e.name},
                      {"selected", e.selected},
                      {"reason", e.reason},
                      {"notes", e.notes},
                      {"wave", e.wave}});
    }
    nlohmann::ordered_json doc = {
        {"tool", std::string(kTool)},
        {"revision", selection.pin.full_sha.empty() ? selection.pin.send : selection.pin.full_sha},
        {"changedPaths", selection.changed_paths},
        {"selected", selected},
        {"applications", std::move(apps)}};
    *env.out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    return;
  }
  for (const PlanEntry& e : selection.plan) {
    *env.out << e.name << (s.waves ? " (wave " + std::to_string(e.wave) + ")" : "") << ": "
             << e.reason << "\n";
    for (const std::string& note : e.notes) *env.out << "  note: " << note << "\n";
  }
  std::string revision = selection.pin.full_sha.empty() ? selection.pin.send
                                                        : argocd::ShortSha(selection.pin.full_sha);
  *env.out << selected << " of " << selection.plan.size() << " applications selected"
           << (revision.empty() ? "" : " to deploy " + revision)
           << (s.changed.empty()
                   ? ""
                   : " (" + std::to_string(selection.changed_paths) + " changed paths)")
           << "; --plan: nothing was sent\n";
}

}  // namespace capstan::tools::sync
