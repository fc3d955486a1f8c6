#include "git/work_tree_root.h"

#include <cctype>
#include <optional>
#include <string_view>

#include "core/path.h"
#include "core/strings.h"
#include "git/repository.h"

namespace capstan::git {
namespace {

using Kind = WorkTreeRoot::Kind;

// Small files only: HEAD, .git files, commondir, gitdir and config.
constexpr std::uint64_t kMaxFileBytes = 1u << 20;

WorkTreeRoot Undecided() { return {Kind::kUndecided, ""}; }

bool IsType(FileSystem& fs, const std::string& path, FileType type) {
  Result<FileInfo> info = fs.Stat(path, /*follow_symlinks=*/true);
  return info.ok() && info->type == type;
}

// The repository directory's common directory (itself, or what its commondir file names), or
// nullopt when it cannot be read. libgit2's is_valid_repository_path, with the common directory.
std::optional<std::string> CommonDir(FileSystem& fs, const std::string& gitdir) {
  std::string file = AppendPath(gitdir, "commondir");
  if (!fs.Stat(file, true).ok()) return gitdir;
  Result<std::string> text = fs.ReadFile(file, kMaxFileBytes);
  if (!text.ok()) return std::nullopt;
  return JoinPath(gitdir, Trim(*text));
}

// Whether gitdir is a repository as libgit2 judges one: a HEAD file in it, objects/ and refs/
// in its common directory.
bool IsRepository(FileSystem& fs, const std::string& gitdir) {
  std::optional<std::string> common = CommonDir(fs, gitdir);
  if (!common || !IsType(fs, *common, FileType::kDirectory)) return false;
  Result<FileInfo> head = fs.Stat(AppendPath(gitdir, "HEAD"), true);
  if (!head.ok() || head->type == FileType::kDirectory) return false;
  return IsType(fs, AppendPath(*common, "objects"), FileType::kDirectory) &&
         IsType(fs, AppendPath(*common, "refs"), FileType::kDirectory);
}

struct CoreKeys {
  bool decided = true;   // false: something only libgit2 can judge
  std::string worktree;  // core.worktree as written; empty when unset
};

// core.bare and core.worktree from one config file, read only as far as needed to know that
// nothing else could change the answer.
CoreKeys ReadCoreKeys(FileSystem& fs, const std::string& config_path) {
  CoreKeys keys;
  Result<std::string> text = fs.ReadFile(config_path, kMaxFileBytes);
  if (!text.ok()) {
    keys.decided = text.status().code() == StatusCode::kNotFound;
    return keys;
  }
  bool in_core = false;
  std::string_view rest = *text;
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    std::string_view line = Trim(rest.substr(0, eol));
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      std::size_t close = line.find(']');
      if (close == std::string_view::npos) return {false, ""};
      std::string_view after = Trim(line.substr(close + 1));
      if (!after.empty() && after[0] != '#' && after[0] != ';') return {false, ""};
      std::string section = AsciiLower(Trim(line.substr(1, close - 1)));
      if (section.starts_with("include")) return {false, ""};
      in_core = section == "core";
      continue;
    }
    if (!in_core) continue;
    std::size_t eq = line.find('=');
    std::string key = AsciiLower(Trim(line.substr(0, eq)));
    if (key != "bare" && key != "worktree") continue;
    if (eq == std::string_view::npos) return {false, ""};  // "bare" alone means true
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.find_first_of("\"\\#;") != std::string_view::npos) return {false, ""};
    if (key == "bare") {
      std::string v = AsciiLower(value);
      if (v != "false" && v != "no" && v != "off" && v != "0") return {false, ""};
    } else {
      keys.worktree = std::string(value);
    }
  }
  return keys;
}

// The working tree of the repository `gitdir` reached from directory `dir` (through dir/.git).
WorkTreeRoot WorkTreeOf(FileSystem& fs, const std::string& dir, const std::string& gitdir) {
  if (fs.Stat(AppendPath(gitdir, "commondir"), true).ok()) {
    // A linked worktree: libgit2 takes the directory of the path in its gitdir file.
    Result<std::string> link = fs.ReadFile(AppendPath(gitdir, "gitdir"), kMaxFileBytes);
    if (!link.ok()) return Undecided();
    Result<std::string> back = fs.RealPath(DirName(JoinPath(gitdir, Trim(*link))));
    if (!back.ok() || *back != dir) return Undecided();
    return {Kind::kFound, dir};
  }
  CoreKeys keys = ReadCoreKeys(fs, AppendPath(gitdir, "config"));
  if (!keys.decided) return Undecided();
  if (keys.worktree.empty()) return {Kind::kFound, dir};
  Result<std::string> worktree = fs.RealPath(JoinPath(gitdir, keys.worktree));
  if (!worktree.ok()) return Undecided();
  return {Kind::kFound, *worktree};
}

// What the `.git` at dir says: a WorkTreeRoot, or nullopt when there is no `.git`.
std::optional<WorkTreeRoot> JudgeDotGit(FileSystem& fs, const std::string& dir,
                                        std::uint64_t device) {
  std::string dot_git = AppendPath(dir, ".git");
  Result<FileInfo> info = fs.Stat(dot_git, /*follow_symlinks=*/true);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) return std::nullopt;
    return Undecided();
  }
  if (info->device != device) return WorkTreeRoot{Kind::kNone, ""};
  if (info->type == FileType::kDirectory) {
    Result<std::string> real = fs.RealPath(dot_git);
    if (!real.ok() || !IsRepository(fs, *real)) return Undecided();
    return WorkTreeOf(fs, dir, *real);
  }
  if (info->type != FileType::kRegular) return std::nullopt;
  Result<std::string> text = fs.ReadFile(dot_git, kMaxFileBytes);
  if (!text.ok()) return Undecided();
  std::string_view content = Trim(*text);
  constexpr std::string_view kPrefix = "gitdir:";
  if (!content.starts_with(kPrefix)) return Undecided();
  Result<std::string> gitdir = fs.RealPath(JoinPath(dir, Trim(content.substr(kPrefix.size()))));
  if (!gitdir.ok() || !IsRepository(fs, *gitdir)) return Undecided();
  return WorkTreeOf(fs, dir, *gitdir);
}

}  // namespace

WorkTreeRoot FindWorkTreeRoot(FileSystem& fs, const std::string& path) {
  Result<std::string> real = fs.RealPath(path);
  if (!real.ok()) return Undecided();
  std::string dir = *real;
  Result<FileInfo> start = fs.Stat(dir, /*follow_symlinks=*/true);
  if (!start.ok()) return Undecided();
  if (start->type != FileType::kDirectory) dir = DirName(dir).empty() ? "/" : DirName(dir);
  for (;;) {
    Result<FileInfo> here = fs.Stat(dir, /*follow_symlinks=*/true);
    if (!here.ok()) return Undecided();
    if (here->device != start->device) return {Kind::kNone, ""};
    if (std::optional<WorkTreeRoot> found = JudgeDotGit(fs, dir, start->device)) return *found;
    if (fs.Stat(AppendPath(dir, "HEAD"), true).ok() && IsRepository(fs, dir)) return Undecided();
    if (dir == "/") return {Kind::kNone, ""};
    std::string parent = DirName(dir);
    dir = parent.empty() ? "/" : parent;
  }
}

std::string WorkTreeRootOf(Env& env, const std::string& path) {
  WorkTreeRoot tree = FindWorkTreeRoot(*env.fs, path);
  if (tree.kind != WorkTreeRoot::Kind::kUndecided || !env.open_repository) return tree.path;
  Result<std::unique_ptr<Repository>> repo = env.open_repository(path);
  if (!repo.ok() || (*repo)->bare()) return "";
  return (*repo)->workdir();
}

}  // namespace capstan::git
