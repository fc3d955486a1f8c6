#include "scan/scan.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <random>
#include <set>
#include <thread>

#include "common/cli.h"
#include "core/exit_code.h"
#include "core/flags.h"
#include "core/parallel.h"
#include "core/path.h"
#include "core/strings.h"
#include "git/history.h"
#include "git/repository.h"
#include "git/work_tree_root.h"
#include "input/ignore_file.h"
#include "input/selection.h"
#include "k8s/kustomization_index.h"
#include "k8s/kustomize.h"
#include "scan/help_text.h"  // generated from tools/scan/help.txt
#include "secrets/baseline.h"
#include "secrets/builtin_rules.h"
#include "secrets/scanner.h"

namespace capstan::tools {
namespace {

constexpr std::string_view kTool = "capstan-scan";
constexpr char kIgnoreFileName[] = ".capstanignore";

const flags::Flag kFlags[] = {
    kFormatFlag,
    kReportFlag,
    kMaxAnnotationsFlag,
    {"fail-on", 0, "LEVEL",
     "exit 1 on findings at or above LEVEL: error|warning|note (default error)"},
    {"staged", 0, "", "scan the blobs staged in the git index (what the next commit holds)"},
    {"range", 0, "A..B",
     "scan every blob the commits in A..B added; a single REV means the commits of REV that no "
     "remote-tracking branch has (a new branch being pushed)"},
    {"history", 0, "",
     "scan every blob in the history of every ref, each once, naming the commit that added it"},
    {"rules", 0, "FILE", "also apply the credential rules in a YAML file (see README)", true},
    {"ignore-file", 0, "FILE",
     "gitignore-style globs of paths not to scan (default: .capstanignore at the repository root)"},
    {"baseline", 0, "FILE", "report only findings that are not in this baseline file"},
    {"write-baseline", 0, "FILE",
     "record every current finding in FILE (hashes only, never a value), exit 0"},
    {"jobs", 'j', "N", "files scanned in parallel (default: number of CPUs)"},
    {"max-file-size", 0, "MIB",
     "judge files larger than MIB mebibytes by the credential rules alone, with an error finding "
     "unless .capstanignore lists them (default 16)"},
    kConfigFlag,
    {"help", 'h', "", "show this help"},
    {"version", 0, "", "print the version"},
};

// --help: the synopsis, tools/scan/help.txt (embedded at build time) and the flags.
std::string Help() {
  return ToolHelp("capstan-scan [options] [PATH...]", scan_help::kFiles[0].text, kFlags);
}

// A walked file's findings, found while the walk went on and before the kustomizations were
// known: they stand for a file that no kustomization names as a secretGenerator payload.
struct Prescan {
  bool done = false;
  secrets::FileScan scan;
  std::string rel;  // RelativeToRoot of the file, found for .capstanignore; "" when not looked up
};

// One thing to scan: a file, a staged blob or a blob from history.
struct Unit {
  std::string name;     // as reported
  std::string path;     // file-system path; empty for blobs and stdin
  std::string content;  // stdin and staged blobs
  bool loaded = false;
  std::string oid;             // history blobs: read from the repository
  std::string commit;          // history blobs: the commit that added it
  std::string rel;             // relative to the ignore file's directory, for .capstanignore
  bool too_large = false;      // too large even to stream (over kLoadLimit): reported, not read
  bool in_walk = false;        // found by walking a directory argument
  Prescan* prescan = nullptr;  // walked files: scanned while the walk went on
};

struct UnitResult {
  secrets::FileScan scan;
  Status error;
  bool too_large = false;  // over --max-file-size: the scan holds the streamed token findings
};

// Stdin and staged blobs are held in memory up to this size; past --max-file-size they are
// judged by the streaming token pass like files on disk.
constexpr std::uint64_t kLoadLimit = std::uint64_t{4} << 30;
constexpr std::size_t kStreamChunk = 1u << 20;

std::string RandomSalt() {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string salt;
  for (int i = 0; i < 32; ++i) salt += kHex[rd() & 15u];
  return salt;
}

class ScanRun {
 public:
  ScanRun(Env& env, const flags::Parsed& p) : env_(env), p_(p) {}

  int Run();

 private:
  int Fail(const Status& s) {
    PrintError(env_, kTool, s.message());
    return ExitCodeFor(s);
  }
  Status LoadRules(std::vector<secrets::Rule>* rules);
  Status OpenRepository();
  Status SelectUnits(const secrets::Scanner& scanner);
  Status LoadIgnoreList();
  std::string RelativeToRoot(const std::string& path) const;
  void MarkIgnorable();
  k8s::KustomizationIndex IndexKustomizations();
  Result<std::string> Read(const Unit& u, std::unique_ptr<git::Repository>* repo);
  Result<secrets::FileScan> StreamTokens(const secrets::Scanner& scanner, const Unit& u,
                                         std::unique_ptr<git::Repository>* repo);

  Env& env_;
  const flags::Parsed& p_;
  std::uint64_t max_bytes_ = 16u << 20;
  int jobs_ = 1;
  std::vector<Unit> units_;
  std::set<std::string> kustomization_dirs_;  // walked directories holding a kustomization
  int exit_override_ = kExitClean;
  std::vector<report::Finding> unreadable_;  // walked entries that cannot be read
  std::unique_ptr<git::Repository> repo_;    // when a mode or the ignore file needs one
  std::string root_;                         // the ignore file's directory (real path)
  input::IgnoreList ignore_;
  int commits_ = 0;
  std::deque<Prescan> prescans_;  // by walk order; a deque, so a worker's slot never moves
};

Status ScanRun::LoadRules(std::vector<secrets::Rule>* rules) {
  *rules = secrets::BuiltinRules();
  for (const std::string& file : p_.All("rules")) {
    auto text = env_.fs->ReadFile(ResolvePath(env_, file), 1u << 20);
    if (!text.ok()) return text.status();
    auto user = secrets::ParseRuleFile(*text);
    if (!user.ok())
      return Status(StatusCode::kInvalidArgument, file + ": " + user.status().message());
    for (auto& r : *user) rules->push_back(std::move(r));
  }
  return Status();
}

// --history and --range read the repository holding the working directory.
Status ScanRun::OpenRepository() {
  if (!p_.Has("history") && !p_.Has("range")) return Status();
  auto repo = env_.open_repository(env_.WorkingDirectory());
  if (!repo.ok()) return repo.status();
  repo_ = std::move(*repo);
  return Status();
}

Status ScanRun::SelectUnits(const secrets::Scanner& scanner) {
  bool history = p_.Has("history");
  bool range = p_.Has("range");
  if (history || range) {
    git::CommitSelection selection;
    if (history) {
      // A shallow clone's history stops at its boundary: scanning it would pass secrets added
      // before it, silently.
      if (repo_->shallow()) {
        return Status::InvalidArgument(
            "--history needs the whole history and this is a shallow clone (git fetch "
            "--unshallow; with actions/checkout, fetch-depth: 0; in GitLab CI, GIT_DEPTH: 0)");
      }
      selection.all_refs = true;
    } else {
      auto parsed = git::ParseRange(p_.Get("range"));
      if (!parsed.ok()) return parsed.status();
      selection = *parsed;
    }
    auto walk = git::WalkAddedBlobs(*repo_, selection);
    if (!walk.ok()) return walk.status();
    commits_ = walk->commits;
    std::vector<std::string> only = p_.positionals();
    for (auto& b : walk->blobs) {
      if (!only.empty() && std::none_of(only.begin(), only.end(), [&](const std::string& o) {
            std::string prefix = NormalizePath(o);
            return prefix.empty() || b.path == prefix || b.path.starts_with(prefix + "/");
          }))
        continue;
      Unit u;
      u.name = b.path;
      u.rel = b.path;
      u.oid = std::move(b.oid);
      u.commit = std::move(b.commit);
      units_.push_back(std::move(u));
    }
    return Status();
  }
  input::SelectOptions select;
  select.paths = p_.positionals();
  select.staged = p_.Has("staged");
  if (select.staged) select.index_file = GitIndexFile(env_);
  select.extensions.clear();  // every file: credentials hide in .env, .tf, .md and templates too
  select.max_file_bytes = kLoadLimit;
  for (std::string_view k : k8s::kKustomizationFileNames) select.note_names.emplace_back(k);
  // The files a walk finds are scanned by the other workers while it goes on, so the walk no
  // longer runs alone before the scan (with -j2, a quarter of a tree's work).
  struct Found {
    Prescan* slot = nullptr;
    std::string name, path;
  };
  BackgroundQueue<Found> background(jobs_ - 1, [&](Found& f) {
    if (!ignore_.empty()) {
      f.slot->rel = RelativeToRoot(f.path);  // kept for the unit: MarkIgnorable skips it
      if (!f.slot->rel.empty() && ignore_.Ignored(f.slot->rel)) return;
    }
    auto text = env_.fs->ReadFile(f.path, max_bytes_);
    if (!text.ok()) return;  // scanned again below, where the error is reported
    secrets::FileInput in;
    in.name = f.name;
    in.text = *text;
    f.slot->scan = scanner.Scan(in);
    f.slot->done = true;
  });
  select.on_input = [&](const input::Input& in) {
    prescans_.emplace_back();
    if (in.in_walk && !in.loaded) background.Push({&prescans_.back(), in.name, in.path});
  };
  auto selection = input::Select(select, env_);
  background.Stop();
  if (!selection.ok()) return selection.status();
  kustomization_dirs_ = std::move(selection->noted_dirs);
  for (const auto& problem : selection->problems) {
    if (problem.status.code() == StatusCode::kLimitExceeded) {
      Unit u;
      u.name = problem.name;
      u.too_large = true;
      units_.push_back(std::move(u));
      continue;
    }
    if (problem.in_walk) {
      unreadable_.push_back(UnreadableInputFinding(problem.name, problem.status));
      continue;
    }
    PrintError(env_, kTool, problem.status.message());
    exit_override_ = std::max(exit_override_, ExitCodeFor(problem.status));
  }
  for (std::size_t k = 0; k < selection->inputs.size(); ++k) {
    input::Input& in = selection->inputs[k];
    Unit u;
    u.name = in.name;
    u.path = in.path;
    u.content = std::move(in.content);
    u.loaded = in.loaded;
    u.in_walk = in.in_walk;
    u.rel = select.staged ? in.name : prescans_[k].rel;
    if (prescans_[k].done) u.prescan = &prescans_[k];
    units_.push_back(std::move(u));
  }
  return Status();
}

Status ScanRun::LoadIgnoreList() {
  if (repo_) {
    if (!repo_->bare()) root_ = repo_->workdir();
  } else {
    // Found without libgit2 where the layout allows, so a plain scan never initialises it.
    root_ = git::WorkTreeRootOf(env_, env_.WorkingDirectory());
  }
  if (root_.empty()) {
    auto real = env_.fs->RealPath(env_.WorkingDirectory());
    root_ = real.ok() ? *real : env_.cwd;
  }
  std::string file = p_.Has("ignore-file") ? ResolvePath(env_, p_.Get("ignore-file"))
                                           : root_ + "/" + kIgnoreFileName;
  auto text = env_.fs->ReadFile(file, 1u << 20);
  if (!text.ok()) {
    if (!p_.Has("ignore-file") && text.status().code() == StatusCode::kNotFound) return Status();
    return text.status();
  }
  ignore_ = input::IgnoreList::Parse(*text);
  return Status();
}

// path relative to the ignore file's directory, "" when it is not below it.
std::string ScanRun::RelativeToRoot(const std::string& path) const {
  auto real = env_.fs->RealPath(path);
  if (real.ok() && real->starts_with(root_ + "/")) return real->substr(root_.size() + 1);
  return "";
}

// Gives each file on disk the path .capstanignore judges it by.
void ScanRun::MarkIgnorable() {
  if (ignore_.empty()) return;
  for (Unit& u : units_)
    if (u.rel.empty() && !u.path.empty()) u.rel = RelativeToRoot(u.path);
}

Result<std::string> ScanRun::Read(const Unit& u, std::unique_ptr<git::Repository>* repo) {
  if (u.loaded) {
    if (u.content.size() > max_bytes_)
      return Status::LimitExceeded("'" + u.name + "' is over the size limit");
    return u.content;
  }
  if (!u.oid.empty()) {
    if (!*repo) {
      auto opened = env_.open_repository(repo_->bare() ? env_.cwd : repo_->workdir());
      if (!opened.ok()) return opened.status();
      *repo = std::move(*opened);
    }
    return (*repo)->ReadBlob(u.oid, max_bytes_);
  }
  return env_.fs->ReadFile(u.path, max_bytes_);
}

// The token rules over a unit past --max-file-size, read in pieces (a file) or from memory (a
// blob, stdin), so no size hides a credential.
Result<secrets::FileScan> ScanRun::StreamTokens(const secrets::Scanner& scanner, const Unit& u,
                                                std::unique_ptr<git::Repository>* repo) {
  secrets::StreamScan stream = scanner.StartStream(u.name);
  auto feed_all = [&](std::string_view text) {
    for (std::size_t at = 0; at < text.size(); at += kStreamChunk)
      stream.Feed(text.substr(at, kStreamChunk));
  };
  if (u.loaded) {
    feed_all(u.content);
  } else if (!u.oid.empty()) {
    auto blob = (*repo)->ReadBlob(u.oid, kLoadLimit);
    if (!blob.ok()) return blob.status();
    feed_all(*blob);
  } else {
    Status s = env_.fs->ReadChunks(u.path, kStreamChunk, [&](std::string_view piece) {
      stream.Feed(piece);
      return Status();
    });
    if (!s.ok()) return s;
  }
  return stream.Finish();
}

// The kustomizations among the units and beside the units on disk, for the secretGenerator
// payloads they name.
k8s::KustomizationIndex ScanRun::IndexKustomizations() {
  constexpr auto kFacts = k8s::KustomizationFacts::kSecretGeneratorsOnly;
  std::vector<std::size_t> selected;
  for (std::size_t i = 0; i < units_.size(); ++i)
    if (k8s::IsKustomizationFile(units_[i].name) && !units_[i].too_large) selected.push_back(i);
  // Read in parallel (history holds thousands of versions) and keep the text, so the scan
  // below does not read the same blob or file again.
  std::vector<k8s::Kustomization> parsed(selected.size());
  std::atomic<std::size_t> next{0};
  // No more workers than items: a thread costs more than a pre-commit hook's one file.
  ParallelFor(std::min(static_cast<std::size_t>(jobs_), selected.size()), jobs_, [&](std::size_t) {
    std::unique_ptr<git::Repository> repo;
    for (std::size_t k = next.fetch_add(1); k < selected.size(); k = next.fetch_add(1)) {
      Unit& u = units_[selected[k]];
      auto text = Read(u, &repo);
      // An unreadable one is reported when the unit itself is scanned.
      parsed[k] = k8s::ParseKustomization(u.name, text.ok() ? std::string_view(*text) : "", kFacts);
      if (!text.ok()) continue;
      u.content = std::move(*text);
      u.loaded = true;
    }
  });
  k8s::KustomizationIndex index(*env_.fs, {.max_file_bytes = 1u << 20, .facts = kFacts});
  for (const k8s::Kustomization& k : parsed) index.Add(k);
  // A payload file named on its own (pre-commit passes only the changed files) is judged by the
  // kustomization beside it, read from disk.
  // A walked file's directory was listed: it is looked in only when the walk saw a
  // kustomization file there (one left out by an ignore rule, say), saving three failed opens
  // per directory.
  for (const Unit& u : units_) {
    if (u.path.empty()) continue;
    if (u.in_walk && kustomization_dirs_.count(DirName(NormalizePath(u.name))) == 0) continue;
    index.AddBeside(u.name, u.path);
  }
  return index;
}

int ScanRun::Run() {
  const std::string started_at = ReportTime(env_);
  Result<CheckFlags> check = ReadCheckFlags(p_);
  if (!check.ok()) return UsageError(env_, kTool, check.status().message());
  jobs_ = check->jobs;
  max_bytes_ = check->max_file_mib << 20;
  int modes = (p_.Has("staged") ? 1 : 0) + (p_.Has("range") ? 1 : 0) + (p_.Has("history") ? 1 : 0);
  if (modes > 1)
    return UsageError(env_, kTool, "--staged, --range and --history cannot be combined");
  if (modes == 1 && std::count(p_.positionals().begin(), p_.positionals().end(), "-") > 0)
    return UsageError(env_, kTool,
                      "'-' (stdin) cannot be combined with --staged, --range or --history");
  if (p_.Has("baseline") && p_.Has("write-baseline") &&
      p_.Get("baseline") != p_.Get("write-baseline"))
    return UsageError(env_, kTool, "--baseline and --write-baseline name different files");

  std::vector<secrets::Rule> rules;
  if (Status s = LoadRules(&rules); !s.ok()) return Fail(s);
  auto scanner = secrets::Scanner::Create(std::move(rules));
  if (!scanner.ok()) return Fail(scanner.status());

  std::optional<secrets::Baseline> baseline;
  if (p_.Has("baseline")) {
    auto text = env_.fs->ReadFile(ResolvePath(env_, p_.Get("baseline")), 64u << 20);
    if (!text.ok()) return Fail(text.status());
    auto parsed = secrets::Baseline::Parse(*text);
    if (!parsed.ok())
      return Fail(Status(StatusCode::kInvalidArgument,
                         p_.Get("baseline") + ": " + parsed.status().message()));
    baseline = std::move(*parsed);
  }

  if (Status s = OpenRepository(); !s.ok()) return Fail(s);
  if (Status s = LoadIgnoreList(); !s.ok()) return Fail(s);
  if (Status s = SelectUnits(*scanner); !s.ok()) return Fail(s);
  MarkIgnorable();
  const k8s::KustomizationIndex kustomizations = IndexKustomizations();

  std::vector<UnitResult> results(units_.size());
  std::atomic<std::size_t> next{0};
  ParallelFor(std::min(static_cast<std::size_t>(jobs_), units_.size()), jobs_, [&](std::size_t) {
    std::unique_ptr<git::Repository> repo;  // one per worker: a Repository is not thread-safe
    for (std::size_t i = next.fetch_add(1); i < units_.size(); i = next.fetch_add(1)) {
      const Unit& u = units_[i];
      if (!u.rel.empty() && ignore_.Ignored(u.rel)) continue;
      if (u.too_large) continue;
      if (u.prescan && kustomizations.Find(u.name) == nullptr) {
        results[i].scan = std::move(u.prescan->scan);
        continue;
      }
      auto text = Read(u, &repo);
      if (!text.ok() && text.status().code() == StatusCode::kLimitExceeded) {
        results[i].too_large = true;
        auto streamed = StreamTokens(*scanner, u, &repo);
        if (streamed.ok()) {
          results[i].scan = std::move(*streamed);
        } else {
          results[i].error = streamed.status();
        }
        continue;
      }
      if (!text.ok()) {
        results[i].error = text.status();
        continue;
      }
      secrets::FileInput in;
      in.name = u.name;
      in.text = *text;
      if (const auto* facts = kustomizations.Find(u.name)) in.payload = facts->payload;
      results[i].scan = scanner->Scan(in);
    }
  });

  report::Report rep;
  rep.tool = std::string(kTool);
  rep.version = CAPSTAN_VERSION;
  rep.rules = scanner->Rules();
  rep.rules.push_back(
      {"input-limit",
       "A file larger than --max-file-size was judged by the credential rules alone",
       "A file is larger than --max-file-size (16 MiB by default). Its text was scanned by the "
       "credential rules in a streaming pass, but it was not parsed, so the structural rules "
       "(Secrets, SOPS files, generators, env values) did not judge it. The scan fails closed: "
       "padding a file past the limit must not hide a secret.",
       "Split the file, raise --max-file-size, or, when the file holds no manifests (a data "
       "dump, a vendored bundle), list it in .capstanignore.",
       "5.0",
       {"security", "secrets"}});
  rep.rules.push_back(UnreadableInputRule());
  for (auto& f : unreadable_) {
    ++rep.summary.files;
    rep.files.push_back(f.file);
    rep.findings.push_back(std::move(f));
  }
  std::optional<secrets::Baseline> written;
  if (p_.Has("write-baseline")) {
    // Rewriting keeps the file's salt, so the entries that stay keep their hashes (small diffs).
    std::string salt = baseline ? baseline->salt() : "";
    if (salt.empty()) {
      auto old = env_.fs->ReadFile(ResolvePath(env_, p_.Get("write-baseline")), 64u << 20);
      if (old.ok())
        if (auto parsed = secrets::Baseline::Parse(*old); parsed.ok()) salt = parsed->salt();
    }
    written.emplace(salt.empty() ? RandomSalt() : salt);
  }
  int baselined = 0;
  for (std::size_t i = 0; i < units_.size(); ++i) {
    const Unit& u = units_[i];
    UnitResult& r = results[i];
    if (!r.error.ok() && u.in_walk) {
      // A file of the tree that cannot be read (no permission, gone since the walk listed it)
      // is a finding against it, as a dangling symlink there is.
      ++rep.summary.files;
      rep.files.push_back(u.name);
      rep.findings.push_back(UnreadableInputFinding(u.name, r.error));
      continue;
    }
    if (!r.error.ok()) {
      std::string message = r.error.message();
      if (auto at = message.find(u.path); at != std::string::npos && !u.path.empty())
        message.replace(at, u.path.size(), u.name);
      PrintError(env_, kTool, message);
      exit_override_ = std::max(exit_override_, ExitCodeFor(r.error));
      continue;
    }
    if (!u.rel.empty() && ignore_.Ignored(u.rel)) continue;
    ++rep.summary.files;
    rep.files.push_back(u.name);
    if (r.too_large || u.too_large) {
      report::Finding f;
      f.rule = "input-limit";
      f.severity = report::Severity::kError;
      f.message =
          u.too_large
              ? "not scanned: larger than " + std::to_string(kLoadLimit >> 30) + " GiB"
              : "larger than the " + std::to_string(check->max_file_mib) +
                    " MiB limit (--max-file-size), so only the credential rules ran over it; "
                    "list it in .capstanignore if it belongs in the repository";
      f.file = u.name;
      f.line = 1;
      f.column = 1;
      f.commit = u.commit;
      rep.findings.push_back(std::move(f));
      if (u.too_large) continue;
    }
    rep.summary.documents += r.scan.documents;
    for (secrets::ScanFinding& sf : r.scan.findings) {
      sf.finding.commit = u.commit;
      if (written) written->Add(written->EntryFor(sf.finding.rule, sf.finding.file, sf.digest));
      if (baseline &&
          baseline->Contains(baseline->EntryFor(sf.finding.rule, sf.finding.file, sf.digest))) {
        ++baselined;
        continue;
      }
      rep.findings.push_back(std::move(sf.finding));
    }
  }

  if (written) {
    std::string file = p_.Get("write-baseline");
    if (Status s = env_.fs->WriteFileAtomic(ResolvePath(env_, file), written->Serialize()); !s.ok())
      return Fail(s);
    *env_.err << kTool << ": wrote " << written->size() << " finding"
              << (written->size() == 1 ? "" : "s") << " to " << file << "\n";
    return exit_override_;
  }
  report::Finalize(rep);
  rep.started_at = started_at;
  rep.finished_at = ReportTime(env_);
  bool nothing_checked = rep.summary.files == 0 && exit_override_ != kExitClean;
  const bool text = check->output.format == report::Format::kText;
  int report_code = WriteReports(env_, kTool, check->output, rep, !(nothing_checked && text));
  if (baselined > 0 && text)
    *env_.out << baselined << " finding" << (baselined == 1 ? "" : "s")
              << " accepted by the baseline\n";
  if (commits_ > 0 && text)
    *env_.out << "scanned " << units_.size() << " blob" << (units_.size() == 1 ? "" : "s")
              << " from " << commits_ << " commit" << (commits_ == 1 ? "" : "s") << "\n";
  return std::max({ExitCodeForReport(rep, check->fail_on), exit_override_, report_code});
}

}  // namespace

// What one run reads (the index, a range, the whole history) and the baseline it writes.
constexpr std::string_view kPerRun[] = {"staged", "range", "history", "write-baseline"};

ConfigSection ScanConfigSection() { return {"scan", kFlags, kPerRun}; }

int RunScan(Env& env, std::span<const std::string> args) {
  CommandLine cli = ParseCommandLine(env, kTool, kFlags, args, Help);
  if (cli.exit_code) return *cli.exit_code;
  // .capstan.yaml at the root of the working tree (outside one, in the working directory).
  cli = WithConfig(env, kTool, git::WorkTreeRootOf(env, env.WorkingDirectory()),
                   ScanConfigSection(), cli, args);
  if (cli.exit_code) return *cli.exit_code;
  return ScanRun(env, cli.flags).Run();
}

}  // namespace capstan::tools
