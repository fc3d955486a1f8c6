#include "scan_history.h"

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "scan_corpus.h"

namespace capstan::bench {
namespace {

using std::to_string;
using Tree = std::map<std::string, std::string>;

constexpr long kBranches = 3;
constexpr long kCommitsPerBranch = 20;
constexpr long kStartTime = 1'700'000'000;  // 2023-11-14
constexpr std::array<std::string_view, 4> kPeople = {"Ana Lima", "Ben Okafor", "Chen Wei",
                                                     "Dana Novak"};
constexpr std::string_view kBot = "acme-bot";
// Planted on main in turn, one every kTokenEvery commits.
constexpr std::array<TokenKind, 4> kTokenCycle = {TokenKind::kAwsAccessKey, TokenKind::kGithubToken,
                                                  TokenKind::kPemPrivateKey,
                                                  TokenKind::kSlackWebhook};

struct Change {
  std::string path;
  std::optional<std::string> content;  // nullopt deletes the path
};

struct Edit {
  std::string message;
  std::string_view author;
  std::vector<Change> changes;
};

class Stream {
 public:
  explicit Stream(std::ostream& out) : out_(out) {}

  // Writes one commit on branch, the first of a new branch with from_mark > 0. Returns its mark.
  long Commit(std::string_view branch, long from_mark, long time, const Edit& edit) {
    long mark = next_mark_++;
    std::string email(edit.author);
    for (char& c : email) c = c == ' ' ? '.' : static_cast<char>(std::tolower(c));
    std::string who =
        std::string(edit.author) + " <" + email + "@acme.example> " + to_string(time) + " +0000\n";
    out_ << "commit refs/heads/" << branch << "\nmark :" << mark << "\nauthor " << who
         << "committer " << who << "data " << edit.message.size() << "\n"
         << edit.message << "\n";
    if (from_mark > 0) out_ << "from :" << from_mark << "\n";
    for (const Change& c : edit.changes) {
      if (c.content) {
        out_ << "M 100644 inline " << c.path << "\ndata " << c.content->size() << "\n"
             << *c.content << "\n";
      } else {
        out_ << "D " << c.path << "\n";
      }
    }
    out_ << "\n";
    return mark;
  }

 private:
  std::ostream& out_;
  long next_mark_ = 1;
};

// Replaces the first line that starts with prefix by prefix + value. False when there is none.
bool SetLine(std::string& content, std::string_view prefix, std::string_view value) {
  std::string needle = "\n";
  needle += prefix;
  std::size_t at = content.starts_with(prefix) ? 0 : content.find(needle);
  if (at == std::string::npos) return false;
  if (at > 0) ++at;
  std::size_t end = content.find('\n', at);
  content.replace(at, end == std::string::npos ? std::string::npos : end - at,
                  std::string(prefix) + std::string(value));
  return true;
}

// The environment a per-environment file is for ("dev", "staging", "prod"), or "".
std::string_view EnvOf(std::string_view path) {
  for (std::string_view env : kEnvs) {
    if (path.find("/overlays/" + std::string(env) + "/") != std::string_view::npos ||
        path.ends_with("/values-" + std::string(env) + ".yaml"))
      return env;
  }
  return "";
}

class Writer {
 public:
  Writer(const HistoryOptions& options, Rng& rng, std::ostream& out)
      : options_(options), rng_(rng), stream_(out) {}

  HistoryStats Run() {
    if (options_.changes > 0) return RunDense();
    for (auto& f : CleanTree(options_.files, rng_)) Add(tree_, f.path, std::move(f.content));
    next_app_ = options_.files;  // past every app of the first tree
    Edit first{"Import the GitOps repository", kPeople[0], {}};
    for (const auto& [path, content] : tree_) first.changes.push_back({path, content});
    long mark = stream_.Commit("main", 0, kStartTime, first);
    long branch_commits = options_.commits >= 500 ? kBranches * kCommitsPerBranch : 0;
    long main_commits = options_.commits - branch_commits;
    stats_.main_commits = main_commits;
    long secret_every = std::max(2L, main_commits / 20);
    long token_every = std::max(2L, main_commits / 5);
    std::optional<Change> undo;
    for (long m = 2; m <= main_commits; ++m) {
      Edit edit;
      if (undo) {
        edit = {undo->content ? "Revert accidental credential" : "Remove plaintext secret",
                kPeople[1],
                {*undo}};
        undo.reset();
      } else if (m % secret_every == secret_every / 2) {
        edit = PlantSecretFile(tree_, "secret-" + to_string(m) + ".yaml");
        undo = Change{edit.changes[0].path, std::nullopt};
      } else if (m % token_every == token_every / 2) {
        std::string path;
        edit = PlantTokenEdit(kTokenCycle[static_cast<std::size_t>(m / token_every) % 4], path);
        if (edit.changes.empty()) {
          edit = RandomEdit(tree_, m);
        } else {
          undo = Change{path, tree_[path]};
        }
      } else {
        edit = RandomEdit(tree_, m);
      }
      Apply(tree_, edit);
      mark = stream_.Commit("main", 0, kStartTime + m * 1800, edit);
      for (long b = 0; b < kBranches && branch_commits > 0; ++b) {
        if (m == main_commits * (b + 1) / (kBranches + 1)) Branch(b, mark, kStartTime + m * 1800);
      }
    }
    stats_.branch_commits = branch_commits;
    stats_.branches = branch_commits > 0 ? kBranches : 0;
    return stats_;
  }

 private:
  // The dense shape (scan_history.h): `changes` files in every commit, `secrets` planted on
  // evenly spaced commits, each removed again in the next commit on main and kept on a branch.
  HistoryStats RunDense() {
    for (auto& f : CleanTree(options_.files, rng_)) Add(tree_, f.path, std::move(f.content));
    Edit first{"Import the GitOps repository", kPeople[0], {}};
    for (const auto& [path, content] : tree_) first.changes.push_back({path, content});
    long mark = stream_.Commit("main", 0, kStartTime, first);
    long branch_commits = options_.commits >= 500 ? kBranches * kCommitsPerBranch : 0;
    long main_commits = options_.commits - branch_commits;
    long on_branches = branch_commits > 0 ? options_.secrets / 10 : 0;
    long on_main = options_.secrets - on_branches;
    stats_.main_commits = main_commits;
    stats_.branch_commits = branch_commits;
    stats_.branches = branch_commits > 0 ? kBranches : 0;
    std::optional<Change> undo;
    long planted = 0;  // on main so far
    for (long m = 2; m <= main_commits; ++m) {
      std::optional<Edit> lead;
      if (undo) {
        lead = Edit{undo->content ? "Revert accidental credential" : "Remove plaintext secret",
                    kPeople[1],
                    {*undo}};
        undo.reset();
      } else if (planted < on_main &&
                 m == 2 + (2 * planted + 1) * (main_commits - 2) / (2 * on_main)) {
        lead = PlantDense(tree_, "secret-" + to_string(m) + ".yaml");
        const Change& c = lead->changes[0];
        undo = tree_.count(c.path) ? Change{c.path, tree_.at(c.path)} : Change{c.path, {}};
        ++planted;
      }
      Edit edit = DenseCommit(tree_, m, std::move(lead));
      Apply(tree_, edit);
      mark = stream_.Commit("main", 0, kStartTime + m * 1800, edit);
      for (long b = 0; b < kBranches && branch_commits > 0; ++b) {
        if (m != main_commits * (b + 1) / (kBranches + 1)) continue;
        long share = on_branches * (b + 1) / kBranches - on_branches * b / kBranches;
        DenseBranch(b, share, mark, kStartTime + m * 1800);
      }
    }
    return stats_;
  }

  // One commit of the dense shape: lead (a plant or its removal) if any, then single-file edits
  // of other paths until `changes` files change.
  Edit DenseCommit(const Tree& tree, long n, std::optional<Edit> lead) {
    Edit edit = lead ? std::move(*lead) : Edit{};
    std::set<std::string> busy;
    for (const Change& c : edit.changes) busy.insert(c.path);
    while (static_cast<long>(edit.changes.size()) < options_.changes) {
      Edit one = SmallEdit(tree, n, busy);
      if (one.changes.empty()) break;
      busy.insert(one.changes[0].path);
      if (edit.changes.empty()) {
        edit.message = one.message;
        edit.author = one.author;
      } else {
        edit.message += (edit.changes.size() == 1 ? "\n\n" : "\n") + one.message;
      }
      edit.changes.push_back(std::move(one.changes[0]));
    }
    return edit;
  }

  // An edit of one file not in busy that changes its bytes: a tag bump, scaling, a ConfigMap or
  // a README note. Empty when no such file is left.
  Edit SmallEdit(const Tree& tree, long n, const std::set<std::string>& busy) {
    std::string tag = "2." + to_string(n / 50) + "." + to_string(n % 50);
    std::string_view who = kPeople[static_cast<std::size_t>(rng_.Uniform(0, 3))];
    std::set<std::string> tried;  // picked, but the edit left them as they were
    auto fits = [&](const std::string& p, std::string_view suffix) {
      return !busy.count(p) && !tried.count(p) && p.ends_with(suffix);
    };
    for (int attempt = 0; attempt < 16; ++attempt) {
      int roll = rng_.Uniform(1, 100);
      std::string path;
      Edit edit;
      if (roll <= 60) {
        path =
            PickPath(tree, [&](const std::string& p) { return fits(p, "") && !EnvOf(p).empty(); });
        if (path.empty()) continue;
        std::string content = tree.at(path);
        SetTag(content, tag);
        edit = {"Bump " + AppOfPath(path).app + " to " + tag + " in " + std::string(EnvOf(path)),
                kBot,
                {{path, content}}};
      } else if (roll <= 75) {
        path =
            PickPath(tree, [&](const std::string& p) { return fits(p, "/patch-deployment.yaml"); });
        if (path.empty()) continue;
        std::string content = tree.at(path);
        int replicas = rng_.Uniform(1, 12);
        SetLine(content, "  replicas: ", to_string(replicas));
        edit = {
            "Scale " + AppOfPath(path).app + " to " + to_string(replicas), who, {{path, content}}};
      } else if (roll <= 88) {
        path =
            PickPath(tree, [&](const std::string& p) { return fits(p, "/base/configmap.yaml"); });
        if (path.empty()) continue;
        AppRef app = AppOfPath(path);
        std::string content;
        AppendDocument(DocKind::kConfigMap, app, app.app + "-config", rng_, content);
        edit = {"Tune " + app.app + " configuration", who, {{path, content}}};
      } else {
        path = PickPath(tree, [&](const std::string& p) {
          return fits(p, "/README.md") && p.starts_with("apps/");
        });
        if (path.empty()) continue;
        std::string content = tree.at(path) + "\nNote " + to_string(n) + ": " +
                              RandomToken(rng_, 12) + " is owned by the on-call rotation.\n";
        edit = {"Document " + AppOfPath(path).app, who, {{path, content}}};
      }
      if (*edit.changes[0].content != tree.at(path)) return edit;
      tried.insert(path);
    }
    return {};
  }

  // The next secret of the dense shape into tree: plaintext Secrets (a new file, `name`) and
  // credentials (appended to a file no secret was planted in before) in turn. Records it.
  Edit PlantDense(const Tree& tree, const std::string& name) {
    std::size_t n = stats_.planted.size();
    if (n % 2 == 1) {
      TokenKind kind = kTokenCycle[n / 2 % kTokenCycle.size()];
      std::string path = PickPath(tree, [&](const std::string& p) {
        return !used_paths_.count(p) && CanPlant(kind, {p, ""});
      });
      if (!path.empty()) {
        used_paths_.insert(path);
        CorpusFile file{path, tree.at(path)};
        stats_.planted.push_back(PlantToken(kind, rng_, file));
        return {"Configure " + AppOfPath(path).app, kPeople[3], {{path, file.content}}};
      }
    }
    Edit edit = PlantSecretFile(tree, name);
    used_paths_.insert(edit.changes[0].path);
    return edit;
  }

  // Branch b of the dense shape: kCommitsPerBranch commits from `from`, `secrets` of them
  // planting a secret that stays on the branch.
  void DenseBranch(long b, long secrets, long from, long time) {
    Tree tree = tree_;
    std::string name = "feature/experiment-" + to_string(b + 1);
    long done = 0;
    for (long k = 0; k < kCommitsPerBranch; ++k) {
      std::optional<Edit> lead;
      if (done < secrets && k == (2 * done + 1) * kCommitsPerBranch / (2 * secrets)) {
        lead = PlantDense(
            tree, "secret-" + to_string(b + 1) + "-branch-" + to_string(done + 1) + ".yaml");
        ++done;
        ++stats_.branch_planted;
      }
      Edit edit = DenseCommit(tree, 100'000 * (b + 1) + k, std::move(lead));
      Apply(tree, edit);
      stream_.Commit(name, k == 0 ? from : 0, time + (k + 1) * 300, edit);
    }
  }

  static void Add(Tree& tree, const std::string& path, std::string content) {
    tree[path] = std::move(content);
  }

  static void Apply(Tree& tree, const Edit& edit) {
    for (const Change& c : edit.changes) {
      if (c.content) {
        tree[c.path] = *c.content;
      } else {
        tree.erase(c.path);
      }
    }
  }

  // A uniformly chosen path of tree for which keep(path) holds, or "" when there is none.
  template <typename Keep>
  std::string PickPath(const Tree& tree, Keep keep) {
    std::vector<const std::string*> fits;
    for (const auto& entry : tree)
      if (keep(entry.first)) fits.push_back(&entry.first);
    if (fits.empty()) return "";
    return *fits[static_cast<std::size_t>(rng_.Uniform(0, static_cast<int>(fits.size()) - 1))];
  }

  // Sets a per-environment file's image tag, the line CI rewrites after each build.
  static bool SetTag(std::string& content, const std::string& tag) {
    return SetLine(content, "    newTag: ", tag) || SetLine(content, "  tag: ", "\"" + tag + "\"");
  }

  Edit RandomEdit(const Tree& tree, long n) {
    std::string tag = "2." + to_string(n / 50) + "." + to_string(n % 50);
    int roll = rng_.Uniform(1, 100);
    if (roll <= 65) {
      std::string path = PickPath(tree, [](const std::string& p) { return !EnvOf(p).empty(); });
      std::string content = tree.at(path);
      SetTag(content, tag);
      AppRef app = AppOfPath(path);
      if (roll <= 55)
        return {"Bump " + app.app + " to " + tag + " in " + std::string(EnvOf(path)),
                kBot,
                {{path, content}}};
      Edit edit{"Promote " + app.app + " " + tag + " to every environment", kPeople[2], {}};
      for (std::string_view env : kEnvs) {
        std::string sibling = path;
        std::string_view from = EnvOf(path);
        sibling.replace(sibling.rfind(from), from.size(), env);
        auto it = tree.find(sibling);
        if (it == tree.end()) continue;
        std::string c = it->second;
        SetTag(c, tag);
        edit.changes.push_back({sibling, c});
      }
      return edit;
    }
    std::string_view who = kPeople[static_cast<std::size_t>(rng_.Uniform(0, 3))];
    if (roll <= 75) {
      std::string path = PickPath(
          tree, [](const std::string& p) { return p.ends_with("/patch-deployment.yaml"); });
      std::string content = tree.at(path);
      int replicas = rng_.Uniform(1, 12);
      SetLine(content, "  replicas: ", to_string(replicas));
      return {
          "Scale " + AppOfPath(path).app + " to " + to_string(replicas), who, {{path, content}}};
    }
    if (roll <= 85) {
      std::string path =
          PickPath(tree, [](const std::string& p) { return p.ends_with("/base/configmap.yaml"); });
      AppRef app = AppOfPath(path);
      std::string content;
      AppendDocument(DocKind::kConfigMap, app, app.app + "-config", rng_, content);
      return {"Tune " + app.app + " configuration", who, {{path, content}}};
    }
    if (roll <= 93) {
      std::string path = PickPath(tree, [](const std::string& p) {
        return p.starts_with("apps/") && p.ends_with("/README.md");
      });
      std::string content = tree.at(path) + "\nNote " + to_string(n) + ": " +
                            RandomToken(rng_, 12) + " is owned by the on-call rotation.\n";
      return {"Document " + AppOfPath(path).app, who, {{path, content}}};
    }
    if (roll <= 98) {
      std::vector<CorpusFile> files;
      AppRef app = AppAt(next_app_++);
      AppendAppFiles(app, rng_, files);
      Edit edit{"Add " + app.team + "/" + app.app, who, {}};
      for (auto& f : files) edit.changes.push_back({f.path, std::move(f.content)});
      return edit;
    }
    std::string readme = PickPath(tree, [](const std::string& p) {
      return p.starts_with("apps/") && p.ends_with("/README.md");
    });
    AppRef app = AppOfPath(readme);
    Edit edit{"Decommission " + app.team + "/" + app.app, who, {}};
    std::string dir = "apps/" + app.team + "/" + app.app + "/";
    for (const auto& entry : tree)
      if (entry.first.starts_with(dir)) edit.changes.push_back({entry.first, std::nullopt});
    for (std::string_view env : kEnvs) {
      std::string application =
          "argocd/" + app.team + "/" + app.app + "-" + std::string(env) + ".yaml";
      if (tree.count(application)) edit.changes.push_back({application, std::nullopt});
    }
    return edit;
  }

  Edit PlantSecretFile(const Tree& tree, const std::string& name) {
    std::string deployment =
        PickPath(tree, [](const std::string& p) { return p.ends_with("/base/deployment.yaml"); });
    CorpusFile file{deployment.substr(0, deployment.rfind('/') + 1) + name, ""};
    stats_.planted.push_back(PlantSecret(rng_, file));
    return {"Add " + AppOfPath(file.path).app + " credentials",
            kPeople[3],
            {{file.path, file.content}}};
  }

  Edit PlantTokenEdit(TokenKind kind, std::string& path) {
    path = PickPath(tree_, [kind](const std::string& p) { return CanPlant(kind, {p, ""}); });
    if (path.empty()) return {};
    CorpusFile file{path, tree_.at(path)};
    stats_.planted.push_back(PlantToken(kind, rng_, file));
    return {"Configure " + AppOfPath(path).app, kPeople[3], {{path, file.content}}};
  }

  // Branch b: kCommitsPerBranch commits from `from`, on a copy of the tree at that commit.
  void Branch(long b, long from, long time) {
    Tree tree = tree_;
    std::string name = "feature/experiment-" + to_string(b + 1);
    for (long k = 0; k < kCommitsPerBranch; ++k) {
      Edit edit = b == 1 && k == kCommitsPerBranch / 2
                      ? PlantSecretFile(tree, "secret-" + to_string(b + 1) + "-branch.yaml")
                      : RandomEdit(tree, 100'000 * (b + 1) + k);
      if (b == 1 && k == kCommitsPerBranch / 2) ++stats_.branch_planted;
      Apply(tree, edit);
      stream_.Commit(name, k == 0 ? from : 0, time + (k + 1) * 300, edit);
    }
  }

  HistoryOptions options_;
  Rng& rng_;
  Stream stream_;
  Tree tree_;
  long next_app_ = 0;
  std::set<std::string> used_paths_;  // dense shape: paths a secret was planted in
  HistoryStats stats_;
};

}  // namespace

Result<HistoryStats> WriteHistory(const HistoryOptions& options, Rng& rng, std::ostream& out) {
  if (options.changes > 0) {
    long branch_commits = options.commits >= 500 ? kBranches * kCommitsPerBranch : 0;
    long on_main = options.secrets - (branch_commits > 0 ? options.secrets / 10 : 0);
    // Each secret on main takes its commit and the next (its removal).
    if (on_main > 0 && (options.commits - branch_commits - 2) / on_main < 2)
      return Status::InvalidArgument("too few commits for --secrets: raise --commits");
  }
  return Writer(options, rng, out).Run();
}

}  // namespace capstan::bench
