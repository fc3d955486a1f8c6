#include "validate/validate.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "common/cli.h"
#include "core/exit_code.h"
#include "core/flags.h"
#include "core/parallel.h"
#include "core/path.h"
#include "core/strings.h"
#include "git/index_file_system.h"
#include "git/repository.h"
#include "git/work_tree_root.h"
#include "input/selection.h"
#include "k8s/argocd_projects.h"
#include "k8s/kustomization_index.h"
#include "k8s/repository_checks.h"
#include "k8s/validator.h"
#include "policy/sources.h"
#include "report/suppression.h"
#include "validate/help_text.h"  // generated from tools/validate/help.txt
#include "yaml/parser.h"
#include "yaml/path.h"

namespace capstan::tools {
namespace {

constexpr std::string_view kTool = "capstan-validate";

const flags::Flag kFlags[] = {
    kFormatFlag,
    kReportFlag,
    kMaxAnnotationsFlag,
    {"fail-on", 0, "LEVEL",
     "exit 1 on findings at or above LEVEL: error|warning|note (default error)"},
    {"strict", 0, "", "reject fields the schema does not declare (typos such as 'replcas')"},
    {"schema-location", 0, "LOC",
     "kubeconform-style schema path template, tried in order; 'default' is the built-in set", true},
    {"crd", 0, "PATH", "a CustomResourceDefinition file or directory to take schemas from", true},
    {"openapi", 0, "FILE", "a Kubernetes OpenAPI v2 document (kubectl get --raw /openapi/v2)",
     true},
    {"kubernetes-version", 0, "VER",
     "Kubernetes release for removed/deprecated APIs (default 1.34) and "
     "{{ .NormalizedKubernetesVersion }} (default master)"},
    {"ignore-missing-schemas", 0, "", "do not report resources whose kind has no schema"},
    {"skip", 0, "KINDS", "comma-separated kinds (Kind or apiVersion/Kind) not to validate", true},
    {"disable", 0, "RULES",
     "comma-separated rule ids not to report (e.g. kustomize-deprecated); a file that cannot be "
     "read is always reported",
     true},
    {"staged", 0, "", "check the blobs staged in the git index (what the next commit holds)"},
    {"changed-since", 0, "REV", "check files changed since the git revision REV"},
    {"include-hidden", 0, "",
     "also walk hidden files and directories (.vscode/, .github/): skipped by default"},
    {"jobs", 'j', "N", "files validated in parallel (default: number of CPUs)"},
    {"max-file-size", 0, "MIB", "refuse files larger than MIB mebibytes (default 16)"},
    kConfigFlag,
    {"help", 'h', "", "show this help"},
    {"version", 0, "", "print the version"},
};

// --help: the synopsis, tools/validate/help.txt (embedded at build time) and the flags.
std::string Help() {
  return ToolHelp("capstan-validate [options] [PATH...]", validate_help::kFiles[0].text, kFlags);
}

std::vector<std::string> SplitCommas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::size_t start = 0;
    for (;;) {
      std::size_t comma = v.find(',', start);
      std::string part =
          v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// What kustomizations say about files, by report name: which are patches, which get their
// selector from commonLabels. Kustomizations are the selected ones (parsed here, once, and handed
// to the checks across files) plus those beside any selected file, so checking one overlay
// file alone still knows it is a patch.
std::map<std::string, k8s::FileContext> FindContexts(Env& env,
                                                     const std::vector<input::Input>& inputs,
                                                     std::uint64_t max_bytes,
                                                     k8s::RepositoryChecks& checks) {
  k8s::KustomizationIndex index(*env.fs, {.max_file_bytes = max_bytes});
  for (const auto& in : inputs) {
    if (!k8s::IsKustomizationFile(NormalizePath(in.name))) continue;
    k8s::Kustomization k;
    if (in.loaded) {
      k = k8s::ParseKustomization(in.name, in.content);
    } else {
      auto text = env.fs->ReadFile(in.path, max_bytes);
      k = k8s::ParseKustomization(in.name, text.ok() ? std::string_view(*text) : "");
    }
    index.Add(k);
    checks.AddKustomization(std::move(k));
  }
  std::set<std::string> dirs;
  for (const auto& in : inputs) {
    if (in.name == "<stdin>") continue;
    std::string dir = DirName(NormalizePath(in.name));
    if (!dirs.insert(dir).second || index.HasKustomization(dir)) continue;
    if (const k8s::Kustomization* k = checks.kustomizations().KustomizationIn(dir)) index.Add(*k);
  }
  std::map<std::string, k8s::FileContext> contexts;
  for (const auto& [file, facts] : index.files()) {
    k8s::FileContext& context = contexts[file];
    context.patch = facts.patch;
    context.selector_filled = facts.selector_filled;
    context.plugin_config = facts.plugin_config;
  }
  return contexts;
}

// Marks the inputs below a Helm chart's templates/ directory. A file read from disk is judged by
// its path; a staged blob by its path in the repository, against the working tree (`root`) and
// the other selected files.
void MarkHelmTemplates(Env& env, const std::vector<input::Input>& inputs, const std::string& root,
                       std::map<std::string, k8s::FileContext>& contexts) {
  std::set<std::string> names;
  for (const auto& in : inputs) names.insert(NormalizePath(in.name));
  std::map<std::string, bool> is_chart;  // directory -> holds Chart.yaml
  auto chart = [&](const std::string& dir, bool on_disk) {
    std::string file = dir.empty() ? "Chart.yaml" : dir + "/Chart.yaml";
    if (!on_disk) {
      if (names.count(NormalizePath(file))) return true;
      if (root.empty()) return false;
      file = root + "/" + file;
    }
    auto [it, fresh] = is_chart.try_emplace(file, false);
    if (fresh) {
      auto info = env.fs->Stat(file, /*follow_symlinks=*/true);
      it->second = info.ok() && info->type == FileType::kRegular;
    }
    return it->second;
  };
  for (const auto& in : inputs) {
    bool on_disk = !in.loaded && !in.path.empty();
    if (!on_disk && in.name == "<stdin>") continue;
    for (const std::string& dir : k8s::TemplateParentDirs(on_disk ? in.path : in.name)) {
      if (chart(dir, on_disk)) {
        contexts[NormalizePath(in.name)].helm_template = true;
        break;
      }
    }
  }
}

// The checks across files read what the run did not select from the git index for --staged
// (what the commit will hold; the working tree then only tells a file that is not staged), and
// from the working tree otherwise. Report names are relative to the repository's root in the
// git modes and to the working directory otherwise.
k8s::RepositoryChecks AcrossFiles(Env& env, const input::SelectOptions& select,
                                  const std::string& work_tree, const std::string& staged_root,
                                  git::IndexFileSystem* index, std::uint64_t max_bytes) {
  auto cwd = env.fs->RealPath(env.WorkingDirectory());
  std::string base = cwd.ok() ? *cwd : env.WorkingDirectory();
  if (select.staged && !staged_root.empty()) base = staged_root;
  if (!select.changed_since.empty() && !work_tree.empty()) base = work_tree;
  k8s::RepositoryChecks::Tree disk{env.fs, base};
  if (index == nullptr) return k8s::RepositoryChecks(disk, std::nullopt, work_tree, max_bytes);
  return k8s::RepositoryChecks({index, base}, disk, work_tree, max_bytes);
}

// The findings of the checks across files that no capstan:allow marker in their file covers.
// The few files they are in are read again for the markers.
std::vector<report::Finding> AllowedAcrossFiles(Env& env, const std::vector<input::Input>& inputs,
                                                std::vector<report::Finding> findings,
                                                std::uint64_t max_bytes) {
  if (findings.empty()) return findings;
  std::map<std::string, std::vector<report::Finding>> by_file;
  for (report::Finding& f : findings) by_file[f.file].push_back(std::move(f));
  std::vector<report::Finding> kept;
  for (const input::Input& in : inputs) {
    auto it = by_file.find(in.name);
    if (it == by_file.end()) continue;
    if (in.loaded) {
      report::DropAllowed(in.content, it->second);
    } else if (auto text = env.fs->ReadFile(in.path, max_bytes); text.ok()) {
      report::DropAllowed(*text, it->second);
    }
    for (report::Finding& f : it->second) kept.push_back(std::move(f));
    by_file.erase(it);
  }
  return kept;
}

// The rules that say a file could not be read or parsed: --disable refuses them, since a file
// capstan cannot read would then pass unchecked.
constexpr std::string_view kAlwaysOn[] = {"yaml-syntax", "file-encoding", "input-limit",
                                          "input-unreadable"};

// The --disable values, checked against the rules capstan-validate has.
Result<std::set<std::string>> DisabledRules(const std::vector<std::string>& values,
                                            const std::vector<report::RuleInfo>& rules) {
  std::vector<std::string_view> ids;
  for (const report::RuleInfo& r : rules) ids.push_back(r.id);
  std::set<std::string> out;
  for (const std::string& id : SplitCommas(values)) {
    if (std::find(std::begin(kAlwaysOn), std::end(kAlwaysOn), id) != std::end(kAlwaysOn))
      return Status::InvalidArgument("--disable: rule '" + id +
                                     "' cannot be disabled: a file capstan cannot read would "
                                     "pass unchecked");
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      std::string hint = Closest(id, ids);
      return Status::InvalidArgument("--disable: no rule '" + id + "'" +
                                     (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    out.insert(id);
  }
  return out;
}

// What one run checks: the staged blobs, or the files changed since a revision.
constexpr std::string_view kPerRun[] = {"staged", "changed-since"};

// Rule image-updater-annotation: what Argo CD Image Updater itself would refuse in a file's
// annotations, read by lib/policy's parser (the one capstan-watch reads them with). A file
// that never names Image Updater is not parsed again.
void AddImageUpdaterFindings(const std::string& name, std::string_view text,
                             const k8s::FileValidator& validator, k8s::FileReport& out) {
  if (text.find("argocd-image-updater.argoproj.io") == std::string_view::npos) return;
  if (k8s::RoleOf(name, text) == k8s::FileRole::kHelmTemplate) return;
  if (validator.Skipped({"argoproj.io/v1alpha1", "argoproj.io", "v1alpha1", "Application", "", ""}))
    return;
  for (policy::SourceProblem& p : policy::ImageUpdaterProblems(name, text)) {
    report::Finding f;
    f.rule = "image-updater-annotation";
    f.message = std::move(p.message);
    f.file = name;
    f.line = p.where.line;
    f.column = p.where.column;
    if (!p.annotation.empty())
      f.path = yaml::JsonPointer(std::vector<std::string>{"metadata", "annotations", p.annotation});
    f.resource = {p.object.api_version, p.object.kind, p.object.namespace_, p.object.name};
    out.findings.push_back(std::move(f));
  }
}

// Whether the run covers whole trees (directories walked), so that an AppProject missing from
// the files is missing from the repository, not just from the few files named or changed.
bool WholeTrees(Env& env, const input::SelectOptions& select) {
  if (select.staged || !select.changed_since.empty()) return false;
  for (const std::string& path : select.paths) {
    auto info = env.fs->Stat(ResolvePath(env, path), /*follow_symlinks=*/true);
    if (!info.ok() || info->type != FileType::kDirectory) return false;
  }
  return true;
}

}  // namespace

ConfigSection ValidateConfigSection() { return {"validate", kFlags, kPerRun}; }

int RunValidate(Env& env, std::span<const std::string> args) {
  CommandLine cli = ParseCommandLine(env, kTool, kFlags, args, Help);
  if (cli.exit_code) return *cli.exit_code;
  // .capstan.yaml at the root of the working tree (outside one, in the working directory).
  const std::string work_tree = git::WorkTreeRootOf(env, env.WorkingDirectory());
  cli = WithConfig(env, kTool, work_tree, ValidateConfigSection(), cli, args);
  if (cli.exit_code) return *cli.exit_code;
  const flags::Parsed& p = cli.flags;
  const std::string started_at = ReportTime(env);

  Result<CheckFlags> check = ReadCheckFlags(p);
  if (!check.ok()) return UsageError(env, kTool, check.status().message());

  k8s::SchemaSources sources;
  sources.locations = p.All("schema-location");
  for (const auto& c : p.All("crd")) sources.crds.push_back(ResolvePath(env, c));
  for (const auto& o : p.All("openapi")) sources.openapi.push_back(ResolvePath(env, o));
  // The flag's text is the template value as kubeconform has it; the release is the API target.
  sources.kubernetes_version = p.Get("kubernetes-version", "master");
  Result<k8s::Release> target = k8s::ParseKubernetesVersion(sources.kubernetes_version);
  if (!target.ok())
    return UsageError(env, kTool, "--kubernetes-version " + target.status().message());
  sources.strict = p.Has("strict");
  for (auto& loc : sources.locations)
    if (loc != "default" && loc.find("://") == std::string::npos) loc = ResolvePath(env, loc);
  auto registry = k8s::SchemaRegistry::Create(sources, *env.fs);
  if (!registry.ok()) {
    PrintError(env, kTool, registry.status().message());
    return ExitCodeFor(registry.status());
  }

  std::vector<report::RuleInfo> rules = k8s::ValidateRules();
  rules.push_back(UnreadableInputRule());
  auto disabled = DisabledRules(p.All("disable"), rules);
  if (!disabled.ok()) return UsageError(env, kTool, disabled.status().message());

  k8s::ValidateOptions options;
  options.ignore_missing_schemas = p.Has("ignore-missing-schemas");
  options.kubernetes_version = *target;
  options.skip = SplitCommas(p.All("skip"));
  options.limits.max_file_bytes = check->max_file_mib << 20;

  input::SelectOptions select;
  select.paths = p.positionals();
  select.staged = p.Has("staged");
  if (select.staged) select.index_file = GitIndexFile(env);
  select.changed_since = p.Get("changed-since");
  select.max_file_bytes = options.limits.max_file_bytes;
  select.include_hidden = p.Has("include-hidden");
  auto selection = input::Select(select, env);
  if (!selection.ok()) {
    PrintError(env, kTool, selection.status().message());
    return ExitCodeFor(selection.status());
  }
  int exit_override = kExitClean;
  std::vector<report::Finding> unreadable;
  for (const auto& problem : selection->problems) {
    if (problem.in_walk) {
      unreadable.push_back(UnreadableInputFinding(problem.name, problem.status));
      continue;
    }
    PrintError(env, kTool, problem.status.message());
    exit_override = std::max(exit_override, ExitCodeFor(problem.status));
  }

  k8s::FileValidator validator(**registry, options);
  const auto& inputs = selection->inputs;
  std::string staged_root;
  std::unique_ptr<git::Repository> repo;
  std::unique_ptr<git::IndexFileSystem> index;
  if (select.staged) {
    auto opened = env.open_repository(env.WorkingDirectory());
    if (opened.ok()) {
      repo = std::move(*opened);
      staged_root = repo->workdir();
      if (auto fs = git::IndexFileSystem::Open(*repo, select.index_file, env.fs); fs.ok())
        index = std::move(*fs);
    }
  }
  k8s::RepositoryChecks checks =
      AcrossFiles(env, select, work_tree, staged_root, index.get(), options.limits.max_file_bytes);
  std::map<std::string, k8s::FileContext> contexts =
      FindContexts(env, inputs, options.limits.max_file_bytes, checks);
  MarkHelmTemplates(env, inputs, staged_root, contexts);
  std::vector<k8s::FileReport> results(inputs.size());
  std::vector<Status> read_errors(inputs.size());
  auto validate_one = [&](std::size_t i) {
    const input::Input& in = inputs[i];
    k8s::FileContext context;
    if (auto it = contexts.find(NormalizePath(in.name)); it != contexts.end()) context = it->second;
    auto judge = [&](std::string_view text) {
      results[i] = validator.Validate(in.name, text, context);
      if (!context.helm_template) AddImageUpdaterFindings(in.name, text, validator, results[i]);
      report::DropAllowed(text, results[i].findings);
    };
    if (in.loaded) return judge(in.content);
    auto text = env.fs->ReadFile(in.path, options.limits.max_file_bytes);
    if (text.ok()) {
      judge(*text);
    } else if (text.status().code() == StatusCode::kLimitExceeded) {
      report::Finding f;
      f.rule = "input-limit";
      f.message = "file is larger than the " + std::to_string(check->max_file_mib) +
                  " MiB limit (--max-file-size)";
      f.file = in.name;
      results[i].findings.push_back(std::move(f));
    } else {
      read_errors[i] = text.status();
    }
  };
  ParallelFor(inputs.size(), check->jobs, validate_one);
  // A CustomResourceDefinition among the files defines its kinds for the others: the files with
  // a kind no other source knows are validated once more with those schemas.
  std::size_t discovered = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (const auto& crd : results[i].crds)
      discovered += (*registry)->AddDiscoveredCrd(crd, inputs[i].name);
  }
  if (discovered > 0) {
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (results[i].schema_missing) again.push_back(i);
    ParallelFor(again.size(), check->jobs, [&](std::size_t k) {
      results[again[k]] = k8s::FileReport();
      validate_one(again[k]);
    });
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name != "<stdin>")
      checks.Select(inputs[i].name, read_errors[i].ok() ? &results[i] : nullptr);
  std::vector<report::Finding> across = checks.Run();
  if (WholeTrees(env, select)) {
    std::vector<std::string> names;
    for (const input::Input& in : inputs) names.push_back(in.name);
    for (report::Finding& f : k8s::CheckProjectReferences(names, results))
      across.push_back(std::move(f));
  }
  across = AllowedAcrossFiles(env, inputs, std::move(across), options.limits.max_file_bytes);

  report::Report rep;
  rep.tool = std::string(kTool);
  rep.version = CAPSTAN_VERSION;
  rep.rules = std::move(rules);
  for (auto& f : unreadable) {
    ++rep.summary.files;
    rep.files.push_back(f.file);
    rep.findings.push_back(std::move(f));
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!read_errors[i].ok() && inputs[i].in_walk) {
      // A file of the tree that cannot be read (no permission, gone since the walk listed it)
      // is a finding against it, as a dangling symlink there is.
      ++rep.summary.files;
      rep.files.push_back(inputs[i].name);
      rep.findings.push_back(UnreadableInputFinding(inputs[i].name, read_errors[i]));
      continue;
    }
    if (!read_errors[i].ok()) {
      // Name the file as the user named it, not as it was resolved against the working dir.
      std::string message = read_errors[i].message();
      if (auto at = message.find(inputs[i].path);
          at != std::string::npos && !inputs[i].path.empty())
        message.replace(at, inputs[i].path.size(), inputs[i].name);
      PrintError(env, kTool, message);
      exit_override = std::max(exit_override, ExitCodeFor(read_errors[i]));
      continue;
    }
    if (!results[i].error.ok()) {
      PrintError(env, kTool, results[i].error.message());
      return ExitCodeFor(results[i].error);
    }
    ++rep.summary.files;
    rep.files.push_back(inputs[i].name);
    rep.summary.documents += results[i].documents;
    for (auto& f : results[i].findings)
      if (!disabled->contains(f.rule)) rep.findings.push_back(std::move(f));
  }
  for (report::Finding& f : across)
    if (!disabled->contains(f.rule)) rep.findings.push_back(std::move(f));
  report::Finalize(rep);
  rep.started_at = started_at;
  rep.finished_at = ReportTime(env);
  // "no problems in 0 files" next to an error about the only path named would mislead; the
  // machine formats still get their (empty) document.
  bool nothing_checked = rep.summary.files == 0 && exit_override != kExitClean;
  int written = WriteReports(env, kTool, check->output, rep,
                             !(nothing_checked && check->output.format == report::Format::kText));
  int code = ExitCodeForReport(rep, check->fail_on);
  return std::max({code, exit_override, written});
}

}  // namespace capstan::tools
