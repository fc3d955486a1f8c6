#include "bump/bump.h"

#include <algorithm>
#include <set>
#include <vector>

#include "bump/help_text.h"  // generated from tools/bump/help.txt
#include "bump/resume.h"
#include "common/cli.h"
#include "common/config_file.h"
#include "common/identity.h"
#include "common/publish_step.h"
#include "core/exit_code.h"
#include "core/flags.h"
#include "core/strings.h"
#include "core/unified_diff.h"
#include "git/repository.h"
#include "image/bump_plan.h"
#include "image/flux_objects.h"
#include "image/reference.h"
#include "image/targets.h"
#include "input/selection.h"

namespace capstan::tools {

namespace {

constexpr std::string_view kTool = "capstan-bump";

const flags::Flag kOwnFlags[] = {
    {"image", 'i', "IMAGE",
     "the image to bump, e.g. ghcr.io/acme/api (a tag or digest in it sets --tag / --digest)"},
    {"tag", 't', "TAG", "the new tag"},
    {"digest", 0, "DIGEST", "the new digest, sha256:<64 hex>"},
    {"new-name", 0, "NAME", "the new image name (kustomize newName), e.g. to move registries"},
    {"helm-key", 0, "PATH", "a Helm values path holding the tag, e.g. image.tag or images[0].tag",
     true},
    {"dry-run", 'n', "", "print the change as a unified diff and write nothing"},
    {"require-match", 0, "", "exit 1 when nothing names the image"},
    {"allow-downgrade", 0, "", "allow setting a lower semver tag than the one in place"},
    {"allow-dirty", 0, "", "allow changing files that have uncommitted changes"},
    {"commit", 0, "", "commit the changed files (only them) on HEAD"},
    {"message", 'm', "TEMPLATE",
     "commit message; {image} {old} {new} {files} {changes} are filled in"},
    kAuthorFlag,
    {"push", 0, "", "commit and push to origin (--push=REMOTE for another remote); never forced"},
    {"remote", 0, "REMOTE", "the remote to push to (default origin; a URL works too)"},
    {"branch", 'b', "BRANCH", "the remote branch to push to (default: the current branch)"},
    kConfigFlag,
};
const std::vector<flags::Flag> kFlags = WithPublishFlags(kOwnFlags, CredentialWording::kPlain);

// --help: the synopsis, tools/bump/help.txt (embedded at build time) and the flags.
std::string Help() {
  return ToolHelp("capstan-bump --image IMAGE --tag TAG [options] [PATH...]",
                  bump_help::kFiles[0].text, kFlags);
}

// git's optional-value convention: `--push=REMOTE` is `--push --remote REMOTE`.
std::vector<std::string> ExpandPush(std::span<const std::string> args) {
  std::vector<std::string> out;
  for (const std::string& a : args) {
    if (a == "--") {
      out.insert(out.end(), &a, args.data() + args.size());
      break;
    }
    if (a.rfind("--push=", 0) == 0) {
      out.push_back("--push");
      out.push_back("--remote");
      out.push_back(a.substr(7));
    } else {
      out.push_back(a);
    }
  }
  return out;
}

struct Request {
  image::BumpRequest bump;
  std::string image_text;  // --image without its tag/digest, as given: {image}
};

// --image/--tag/--digest/--new-name into a BumpRequest; kInvalidArgument for bad values.
Result<Request> BuildRequest(const flags::Parsed& p) {
  Request r;
  std::string image = p.Get("image");
  if (image.empty()) return Status::InvalidArgument("--image is required");
  Result<image::Reference> ref = image::ParseReference(image);
  if (!ref.ok()) return ref.status();
  r.bump.image = *ref;
  r.bump.tag = p.Get("tag");
  r.bump.digest = p.Get("digest");
  if (!ref->tag.empty()) {
    if (!r.bump.tag.empty() && r.bump.tag != ref->tag) {
      return Status::InvalidArgument("--image names tag " + QuoteForMessage(ref->tag) +
                                     " but --tag is " + QuoteForMessage(r.bump.tag));
    }
    r.bump.tag = ref->tag;
  }
  if (!ref->digest.empty()) {
    if (!r.bump.digest.empty() && r.bump.digest != ref->digest) {
      return Status::InvalidArgument("--image names digest " + QuoteForMessage(ref->digest) +
                                     " but --digest is " + QuoteForMessage(r.bump.digest));
    }
    r.bump.digest = ref->digest;
  }
  r.image_text = image.substr(0, image.find('@'));
  std::size_t slash = r.image_text.rfind('/');
  std::size_t colon = r.image_text.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    r.image_text.resize(colon);

  if (!r.bump.tag.empty()) {
    Result<image::Reference> t = image::ParseReference("x:" + r.bump.tag);
    if (!t.ok()) return Status::InvalidArgument("invalid tag " + QuoteForMessage(r.bump.tag));
  }
  if (!r.bump.digest.empty()) {
    Result<image::Reference> d = image::ParseReference("x@" + r.bump.digest);
    if (!d.ok())
      return Status::InvalidArgument("invalid digest " + QuoteForMessage(r.bump.digest) +
                                     ": expected sha256:<64 hex digits>");
  }
  r.bump.new_name = p.Get("new-name");
  if (!r.bump.new_name.empty()) {
    Result<image::Reference> n = image::ParseReference(r.bump.new_name);
    if (!n.ok()) return n.status();
    if (!n->tag.empty() || !n->digest.empty()) {
      return Status::InvalidArgument(
          "--new-name takes a name without tag or digest: use --tag / --digest");
    }
  }
  if (r.bump.tag.empty() && r.bump.digest.empty() && r.bump.new_name.empty()) {
    return Status::InvalidArgument("nothing to set: give --tag, --digest or --new-name");
  }
  r.bump.helm_keys = p.All("helm-key");
  return r;
}

// The files a user could mean, read; the repository root is the default PATH.
struct Inputs {
  std::vector<image::FileText> files;
  std::vector<std::string> explicit_names;
  int exit_code = kExitClean;
};

Inputs ReadInputs(Env& env, const std::vector<std::string>& paths, const std::string& repo_root) {
  Inputs in;
  input::SelectOptions options;
  options.paths = paths;
  // The repository root by default, its files named relative to it.
  std::string strip;
  if (options.paths.empty()) {
    options.paths.push_back(repo_root.empty() ? "." : repo_root);
    if (!repo_root.empty()) strip = repo_root + "/";
  }
  options.extensions = {".yaml", ".yml"};
  Result<input::Selection> selection = input::Select(options, env);
  if (!selection.ok()) {
    PrintError(env, kTool, selection.status().message());
    in.exit_code = ExitCodeFor(selection.status());
    return in;
  }
  for (const input::Problem& problem : selection->problems) {
    PrintError(env, kTool, problem.status.message());
    in.exit_code = std::max(in.exit_code, ExitCodeFor(problem.status));
  }
  std::set<std::string> named(paths.begin(), paths.end());
  for (input::Input& input : selection->inputs) {
    if (input.loaded) continue;  // "-": bump edits files, not stdin
    Result<std::string> text = env.fs->ReadFile(input.path, options.max_file_bytes);
    if (!text.ok()) {
      PrintError(env, kTool, text.status().message());
      in.exit_code = std::max(in.exit_code, ExitCodeFor(text.status()));
      continue;
    }
    Result<std::string> real = env.fs->RealPath(input.path);
    if (named.count(input.name) > 0) in.explicit_names.push_back(input.name);
    std::string name = input.name;
    if (!strip.empty() && name.rfind(strip, 0) == 0) name.erase(0, strip.size());
    in.files.push_back({std::move(name), std::move(text).value(), real.ok() ? *real : input.path});
  }
  return in;
}

// Flux ImagePolicy -> ImageRepository -> image, from every file that defines either.
std::map<std::string, image::Reference> FluxPolicies(const std::vector<image::FileText>& files) {
  image::FluxObjects objects;
  for (const image::FileText& f : files) {
    if (f.text.find("image.toolkit.fluxcd.io") != std::string::npos)
      image::CollectFluxObjects(f.name, f.text, objects);
  }
  return image::ResolveFluxPolicies(objects);
}

void ReplaceAll(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

std::string ChangeLine(const std::string& name, const image::Change& c) {
  return name + ":" + std::to_string(c.line) + ": " +
         (c.old_value.empty() ? "(none)" : c.old_value) + " -> " + c.new_value;
}

std::string CommitMessage(std::string tmpl, const Request& r, const image::Plan& plan) {
  std::vector<std::string> olds, files, changes;
  for (const image::PlannedFile& f : plan.files) {
    if (f.plan.changes.empty()) continue;
    files.push_back(f.name);
    for (const image::Change& c : f.plan.changes) {
      std::string old = c.old_tag.empty() ? c.old_value : c.old_tag;
      if (!old.empty() && std::find(olds.begin(), olds.end(), old) == olds.end())
        olds.push_back(old);
      changes.push_back(ChangeLine(f.name, c));
    }
  }
  std::string now = !r.bump.tag.empty()      ? r.bump.tag
                    : !r.bump.digest.empty() ? r.bump.digest
                                             : r.bump.new_name;
  ReplaceAll(tmpl, "{image}", r.image_text);
  ReplaceAll(tmpl, "{old}", Join(olds, ", "));
  ReplaceAll(tmpl, "{new}", now);
  ReplaceAll(tmpl, "{files}", Join(files, ", "));
  ReplaceAll(tmpl, "{changes}", Join(changes, "\n"));
  return tmpl;
}

// Marks plan stops for files with uncommitted changes.
void CheckDirty(git::Repository& repo, image::Plan& plan) {
  Result<std::vector<std::string>> dirty = repo.ChangedSince("HEAD");
  if (!dirty.ok()) return;  // no commit yet: nothing to lose, and --commit reports it
  std::set<std::string> changed(dirty->begin(), dirty->end());
  std::string root = repo.workdir() + "/";
  for (const image::PlannedFile& f : plan.files) {
    if (f.plan.changes.empty()) continue;
    const std::string& real = f.path;
    if (real.rfind(root, 0) == 0 && changed.count(real.substr(root.size())) > 0) {
      plan.stops.push_back(
          {f.name, 0, 0, "has uncommitted changes: commit or stash them, or pass --allow-dirty"});
    }
  }
}

// The commit-and-push step of this run, without its commit: --push's settings.
PublishStep PushStep(const flags::Parsed& p, const CommitIdentity& identity,
                     const image::BumpRequest& request, const std::string& repo_root,
                     int max_attempts) {
  PublishStep step;
  step.repo_root = repo_root;
  step.identity = identity;
  step.request = request;
  step.allow_downgrade = p.Has("allow-downgrade");
  if (p.Has("push")) {
    step.push = true;
    step.remote = p.Get("remote", "origin");
    step.branch = p.Get("branch");
    step.max_attempts = max_attempts;
    step.credentials = ReadGitCredentialFlags(p);
  }
  return step;
}

}  // namespace

// Flags that say what this run does, so they are not accepted in .capstan.yaml.
constexpr std::string_view kPerRun[] = {"image",   "tag",    "digest", "new-name",
                                        "dry-run", "commit", "push"};

ConfigSection BumpConfigSection() { return {"bump", kFlags, kPerRun}; }

int RunBump(Env& env, std::span<const std::string> raw_args) {
  std::vector<std::string> args = ExpandPush(raw_args);
  CommandLine cli = ParseCommandLine(env, kTool, kFlags, args, Help);
  if (cli.exit_code) return *cli.exit_code;
  if (!cli.flags.Has("push") &&
      (cli.flags.Has("remote") || cli.flags.Has("branch") || cli.flags.Has("max-attempts"))) {
    return UsageError(env, kTool, "--remote, --branch and --max-attempts need --push");
  }

  std::unique_ptr<git::Repository> repo;
  auto found = env.open_repository(env.WorkingDirectory());
  if (found.ok()) repo = std::move(found).value();
  std::string repo_root = repo ? repo->workdir() : "";

  // .capstan.yaml's bump section first, so the command line wins.
  CommandLine merged = WithConfig(env, kTool, repo_root.empty() ? ResolvePath(env, ".") : repo_root,
                                  BumpConfigSection(), cli, args);
  if (merged.exit_code) return *merged.exit_code;
  const flags::Parsed& p = merged.flags;
  Result<Request> request = BuildRequest(p);
  if (!request.ok()) return UsageError(env, kTool, request.status().message());
  bool push = p.Has("push");
  bool commit = p.Has("commit") || push;
  if (p.Has("dry-run") && commit)
    return UsageError(env, kTool, "--dry-run cannot be combined with --commit or --push");
  Result<CommitIdentity> identity = ResolveCommitIdentity(env, p.Get("author"));
  if (!identity.ok()) return UsageError(env, kTool, identity.status().message());
  int max_attempts = 5;
  if (push) {
    Result<long> n = flags::ParseCount("max-attempts", p.Get("max-attempts", "5"), 1, 100);
    if (!n.ok()) return UsageError(env, kTool, n.status().message());
    max_attempts = static_cast<int>(*n);
  }
  if (!repo && commit) {
    PrintError(env, kTool, found.status().message());
    return kExitUsage;
  }

  Inputs in = ReadInputs(env, p.positionals(), repo_root);
  if (in.exit_code != kExitClean) return in.exit_code;
  request->bump.flux_policies = FluxPolicies(in.files);

  // Files the user named are targets of --helm-key whatever else they hold.
  image::Plan plan;
  {
    image::BumpRequest named_request = request->bump;
    named_request.explicit_file = true;
    std::vector<image::FileText> named, walked;
    for (const image::FileText& f : in.files) {
      bool is_named = std::find(in.explicit_names.begin(), in.explicit_names.end(), f.name) !=
                      in.explicit_names.end();
      (is_named ? named : walked).push_back(f);
    }
    plan = image::PlanFiles(walked, request->bump, p.Has("allow-downgrade"));
    image::Plan named_plan = image::PlanFiles(named, named_request, p.Has("allow-downgrade"));
    for (auto& f : named_plan.files) plan.files.push_back(std::move(f));
    for (auto& s : named_plan.stops) plan.stops.push_back(std::move(s));
    for (auto& n : named_plan.notes) plan.notes.push_back(std::move(n));
    plan.changes += named_plan.changes;
    plan.up_to_date += named_plan.up_to_date;
  }
  for (const image::Stop& note : plan.notes)
    *env.err << kTool << ": note: " << image::FormatStop(note) << "\n";
  if (repo && !p.Has("allow-dirty")) CheckDirty(*repo, plan);
  // What an earlier run wrote or committed and did not finish (bump/resume.h).
  Replan replan = [&](const image::FileText& f) {
    image::BumpRequest r = request->bump;
    r.explicit_file = std::find(in.explicit_names.begin(), in.explicit_names.end(), f.name) !=
                      in.explicit_names.end();
    return image::PlanFiles({f}, r, p.Has("allow-downgrade"));
  };
  std::vector<std::string> adopted;
  if (repo && commit && plan.stops.empty()) adopted = AdoptUncommitted(*repo, replan, plan);
  if (!plan.stops.empty()) {
    for (const image::Stop& stop : plan.stops)
      *env.err << kTool << ": error: " << image::FormatStop(stop) << "\n";
    PrintError(env, kTool, "nothing was changed");
    return kExitFindings;
  }

  if (plan.changes == 0) {
    if (plan.up_to_date > 0) {
      *env.out << request->image_text << " already up to date (" << plan.up_to_date
               << (plan.up_to_date == 1 ? " place)\n" : " places)\n");
      if (push && HeadMadeTheBump(*repo, replan, plan)) {
        PublishStep step = PushStep(p, *identity, request->bump, repo_root, max_attempts);
        step.commit = "HEAD";
        // The files to bump again on the remote tip, should it have moved meanwhile.
        for (const image::PlannedFile& f : plan.files)
          step.updates.push_back({f.path.substr(repo_root.size() + 1), f.old_text});
        return CommitAndPush(env, step);
      }
      return kExitClean;
    }
    // Only --require-match makes it an error; otherwise the run succeeded at doing nothing.
    if (p.Has("require-match")) {
      PrintError(env, kTool, "nothing names " + request->image_text);
      return kExitFindings;
    }
    *env.err << kTool << ": warning: nothing names " << request->image_text << "\n";
    return kExitClean;
  }

  if (p.Has("dry-run")) {
    for (const image::PlannedFile& f : plan.files)
      *env.out << UnifiedDiff(f.name, f.old_text, f.plan.new_text);
    return kExitClean;
  }

  std::vector<git::FileUpdate> updates;
  std::string root = repo_root + "/";
  for (const image::PlannedFile& f : plan.files) {
    if (f.plan.changes.empty()) continue;
    const std::string& real = f.path;
    if (commit && real.rfind(root, 0) != 0) {
      PrintError(env, kTool,
                 QuoteForMessage(f.name, kQuotePathLimit) + " is outside the repository at " +
                     repo_root + ": cannot commit it");
      return kExitUsage;
    }
    if (commit) updates.push_back({real.substr(root.size()), f.plan.new_text});
  }
  // A run that fails after writing some files puts them back, so the next run starts afresh.
  std::vector<const image::PlannedFile*> written;
  auto undo = [&env, &written]() -> std::string {
    std::string failed;
    for (const image::PlannedFile* f : written)
      if (!env.fs->WriteFileAtomic(f->path, f->old_text).ok())
        failed += (failed.empty() ? "" : ", ") + QuoteForMessage(f->name, kQuotePathLimit);
    if (failed.empty()) return "the files are as they were";
    return "could not put back " + failed + " (they hold the new tag)";
  };
  for (const image::PlannedFile& f : plan.files) {
    if (f.plan.changes.empty()) continue;
    if (std::find(adopted.begin(), adopted.end(), f.name) != adopted.end()) {
      *env.err << kTool << ": note: " << QuoteForMessage(f.name, kQuotePathLimit)
               << " already holds this change, not committed: committing it\n";
      continue;
    }
    if (Status s = env.fs->WriteFileAtomic(f.path, f.plan.new_text); !s.ok()) {
      PrintError(env, kTool, s.message() + (written.empty() ? "" : "; " + undo()));
      return kExitCannotRun;
    }
    written.push_back(&f);
  }
  for (const image::PlannedFile& f : plan.files)
    for (const image::Change& c : f.plan.changes) *env.out << ChangeLine(f.name, c) << "\n";
  if (!commit) return kExitClean;

  PublishStep step = PushStep(p, *identity, request->bump, repo_root, max_attempts);
  const std::string message_template = p.Get("message", "Bump {image} to {new}\n\n{changes}\n");
  step.message = CommitMessage(message_template, *request, plan);
  step.message_for = [&](const image::Plan& on_tip) {
    return CommitMessage(message_template, *request, on_tip);
  };
  step.updates = std::move(updates);
  step.undo = undo;
  return CommitAndPush(env, step);
}

}  // namespace capstan::tools
