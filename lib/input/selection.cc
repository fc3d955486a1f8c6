#include "input/selection.h"

#include <algorithm>
#include <cctype>
#include <istream>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "core/path.h"
#include "core/strings.h"
#include "fs/posix_file_system.h"
#include "git/repository.h"

namespace capstan::input {
namespace {

constexpr char kStdinName[] = "<stdin>";

bool HasExtension(std::string_view name, const std::vector<std::string>& extensions) {
  if (extensions.empty()) return true;  // every file
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  return std::any_of(extensions.begin(), extensions.end(), [&](const std::string& ext) {
    return name.size() >= ext.size() &&
           std::equal(ext.begin(), ext.end(), name.end() - static_cast<std::ptrdiff_t>(ext.size()),
                      [&](char a, char b) { return lower(a) == lower(b); });
  });
}

// A directory argument as a name prefix: "examples/" -> "examples", "./x" -> "x", "." -> "".
std::string DirPrefix(std::string arg) {
  while (arg.size() > 1 && arg.back() == '/') arg.pop_back();
  while (arg.rfind("./", 0) == 0) arg.erase(0, arg.find_first_not_of('/', 2));
  if (arg == ".") arg.clear();
  return arg;
}

// `path` relative to `root` ("" for root itself), or nullopt when it is not below root.
std::optional<std::string> RelativeTo(const std::string& path, const std::string& root) {
  if (path == root) return std::string();
  std::string prefix = root == "/" ? root : root + "/";
  if (path.rfind(prefix, 0) != 0) return std::nullopt;
  return path.substr(prefix.size());
}

// The same failure, re-worded around the name the user knows: "cannot read '<name>': <why>".
// FileSystem messages end in "'<path>': <why>", and no errno text contains "': ".
Status CannotRead(const std::string& name, const Status& status) {
  const std::string& m = status.message();
  size_t pos = m.rfind("': ");
  std::string why = pos == std::string::npos ? m : m.substr(pos + 3);
  return Status(status.code(),
                "cannot read " + QuoteForMessage(name, kQuotePathLimit) + ": " + why);
}

Status TooLarge(const std::string& name, std::uint64_t max_bytes) {
  return Status::LimitExceeded(QuoteForMessage(name, kQuotePathLimit) + " is larger than the " +
                               fs::FormatBytes(max_bytes) + " file size limit");
}

bool IsRegularMode(std::uint32_t git_mode) { return (git_mode & 0170000) == 0100000; }

bool IsHidden(std::string_view name) { return !name.empty() && name[0] == '.'; }

// Whether a '/'-separated relative path has a hidden component.
bool HasHiddenComponent(std::string_view rel) {
  for (size_t pos = 0; pos <= rel.size();) {
    size_t end = std::min(rel.find('/', pos), rel.size());
    if (IsHidden(rel.substr(pos, end - pos))) return true;
    pos = end + 1;
  }
  return false;
}

class Selector {
 public:
  Selector(const SelectOptions& options, Env& env) : options_(options), env_(env), fs_(*env.fs) {}

  Result<Selection> Run() {
    if (options_.staged || !options_.changed_since.empty()) {
      CAPSTAN_RETURN_IF_ERROR(SelectFromGit());
    } else if (options_.paths.empty()) {
      CAPSTAN_RETURN_IF_ERROR(AddPath("."));
    } else {
      for (const std::string& arg : options_.paths) CAPSTAN_RETURN_IF_ERROR(AddPath(arg));
    }
    return std::move(selection_);
  }

 private:
  std::string Resolve(const std::string& path) const {
    if (env_.cwd.empty() || (!path.empty() && path[0] == '/')) return path;
    return AppendPath(env_.cwd, path);
  }

  void AddProblem(const std::string& name, Status status, bool in_walk = false) {
    selection_.problems.push_back({name, std::move(status), in_walk});
  }

  // `key` identifies the file across spellings: its directory's real path plus its own name,
  // so "dir" and "./dir/a.yaml" meet while two symlinks to one file stay two inputs.
  void AddFile(const std::string& name, const std::string& path, const std::string& key,
               bool in_walk = false) {
    if (!seen_.insert(key).second) return;
    AddInput({name, path, "", false, in_walk});
  }

  void AddInput(Input input) {
    selection_.inputs.push_back(std::move(input));
    if (options_.on_input) options_.on_input(selection_.inputs.back());
  }

  Status AddPath(const std::string& arg) {
    if (arg == "-") return AddStdin();
    std::string path = Resolve(arg);
    Result<FileInfo> info = fs_.Stat(path, /*follow_symlinks=*/true);
    if (!info.ok()) {
      AddProblem(arg, CannotRead(arg, info.status()));
      return Status::Ok();
    }
    if (info->type == FileType::kDirectory) return WalkRoot(arg, path);
    if (info->type != FileType::kRegular) {
      // Opening a FIFO with no writer blocks forever; a device is no manifest either.
      AddProblem(arg,
                 Status::InvalidArgument("cannot read " + QuoteForMessage(arg, kQuotePathLimit) +
                                         ": not a regular file"));
      return Status::Ok();
    }
    size_t slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, std::max<size_t>(slash, 1));
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    Result<std::string> real_dir = fs_.RealPath(dir);
    AddFile(arg, path, real_dir.ok() ? AppendPath(*real_dir, base) : path);
    return Status::Ok();
  }

  Status AddStdin() {
    if (stdin_read_) return Status::Ok();
    stdin_read_ = true;
    if (env_.in == nullptr) return Status::Internal("no standard input stream in the environment");
    std::string content;
    char buf[65536];
    while (env_.in->read(buf, sizeof buf) || env_.in->gcount() > 0) {
      content.append(buf, static_cast<size_t>(env_.in->gcount()));
      if (content.size() > options_.max_file_bytes) {
        AddProblem(kStdinName, TooLarge(kStdinName, options_.max_file_bytes));
        return Status::Ok();
      }
    }
    if (env_.in->bad()) {
      AddProblem(kStdinName, Status::IoError("cannot read '<stdin>': read error"));
      return Status::Ok();
    }
    AddInput({kStdinName, "", std::move(content), true});
    return Status::Ok();
  }

  // The repository whose ignore rules apply below `real_dir`, and real_dir relative to its
  // workdir; no repository when there is none or when real_dir itself is ignored (it was
  // named explicitly, so the user wants it checked).
  Status OpenIgnoreScope(const std::string& real_dir) {
    repo_.reset();
    repo_rel_.clear();
    Result<std::unique_ptr<git::Repository>> repo = env_.open_repository(real_dir);
    if (!repo.ok()) {
      return repo.status().code() == StatusCode::kNotFound ? Status::Ok() : repo.status();
    }
    if ((*repo)->bare()) return Status::Ok();
    std::optional<std::string> rel = RelativeTo(real_dir, (*repo)->workdir());
    if (!rel) return Status::Ok();
    if (!rel->empty()) {
      Result<bool> ignored = (*repo)->IsIgnored(*rel);
      if (!ignored.ok()) return ignored.status();
      if (*ignored) return Status::Ok();
    }
    repo_ = std::move(*repo);
    repo_rel_ = *rel;
    return Status::Ok();
  }

  Status WalkRoot(const std::string& arg, const std::string& path) {
    Result<std::string> real = fs_.RealPath(path);
    std::string key = real.ok() ? *real : path;
    CAPSTAN_RETURN_IF_ERROR(OpenIgnoreScope(key));
    return Walk(path, DirPrefix(arg), key, repo_rel_);
  }

  Status Walk(const std::string& path, const std::string& name, const std::string& key,
              const std::string& rel) {
    Result<std::vector<DirEntry>> entries = fs_.ListDir(path);
    if (!entries.ok()) {
      std::string shown = name.empty() ? "." : name;
      AddProblem(shown, CannotRead(shown, entries.status()));
      return Status::Ok();
    }
    for (const DirEntry& e : *entries) {
      if (e.type != FileType::kDirectory &&
          std::find(options_.note_names.begin(), options_.note_names.end(), e.name) !=
              options_.note_names.end())
        selection_.noted_dirs.insert(name.empty() ? "" : NormalizePath(name));
      if (e.type == FileType::kOther || e.name == ".git") continue;
      if (!options_.include_hidden && IsHidden(e.name)) continue;
      bool is_dir = e.type == FileType::kDirectory;
      if (!is_dir && !HasExtension(e.name, options_.extensions)) continue;
      std::string child_rel = AppendPath(rel, e.name);
      Result<bool> ignored = repo_ ? repo_->IsIgnored(child_rel) : Result<bool>(false);
      if (!ignored.ok()) return ignored.status();
      if (*ignored) continue;
      std::string child_path = AppendPath(path, e.name);
      std::string child_name = AppendPath(name, e.name);
      std::string child_key = AppendPath(key, e.name);
      if (is_dir) {
        CAPSTAN_RETURN_IF_ERROR(Walk(child_path, child_name, child_key, child_rel));
        continue;
      }
      if (e.type == FileType::kSymlink) {
        Result<FileInfo> target = fs_.Stat(child_path, /*follow_symlinks=*/true);
        if (!target.ok()) {
          AddProblem(child_name, CannotRead(child_name, target.status()), /*in_walk=*/true);
          continue;
        }
        // Directories are never followed (no loops); FIFOs and devices are skipped as above.
        if (target->type != FileType::kRegular) continue;
      }
      AddFile(child_name, child_path, child_key, /*in_walk=*/true);
    }
    return Status::Ok();
  }

  struct Filter {
    std::string arg;
    std::string rel;  // relative to the repository root; "" = everything
    bool matched = false;
  };

  // Whether `rel` passes the path filters; `exact` when a filter names it exactly.
  static bool Matches(const std::string& rel, std::vector<Filter>& filters, bool* exact) {
    *exact = false;
    if (filters.empty()) return true;
    bool any = false;
    for (Filter& f : filters) {
      if (f.rel.empty() || rel == f.rel || rel.rfind(f.rel + "/", 0) == 0) {
        f.matched = any = true;
        *exact = *exact || rel == f.rel;
      }
    }
    return any;
  }

  // Whether `rel` is hidden below every filter that selects it (see include_hidden).
  static bool HiddenBelowFilters(const std::string& rel, const std::vector<Filter>& filters) {
    if (filters.empty()) return HasHiddenComponent(rel);
    for (const Filter& f : filters) {
      if (!f.rel.empty() && rel != f.rel && rel.rfind(f.rel + "/", 0) != 0) continue;
      std::string_view below =
          f.rel.empty() ? std::string_view(rel) : std::string_view(rel).substr(f.rel.size());
      if (!HasHiddenComponent(below)) return false;
    }
    return true;
  }

  bool Wanted(const std::string& rel, std::vector<Filter>& filters) const {
    bool exact = false;
    if (!Matches(rel, filters, &exact)) return false;
    if (exact) return true;
    if (!HasExtension(rel, options_.extensions)) return false;
    return options_.include_hidden || !HiddenBelowFilters(rel, filters);
  }

  Status SelectFromGit() {
    if (options_.staged && !options_.changed_since.empty()) {
      return Status::InvalidArgument("--staged and --changed-since cannot be combined");
    }
    if (std::find(options_.paths.begin(), options_.paths.end(), "-") != options_.paths.end()) {
      return Status::InvalidArgument(std::string("stdin ('-') cannot be combined with ") +
                                     (options_.staged ? "--staged" : "--changed-since"));
    }
    std::string base = env_.WorkingDirectory();
    Result<std::unique_ptr<git::Repository>> repo = env_.open_repository(base);
    if (!repo.ok()) return repo.status();
    git::Repository& r = **repo;
    std::string workdir = r.workdir();
    Result<std::string> real_base = fs_.RealPath(base);
    if (!real_base.ok()) return real_base.status();

    std::vector<Filter> filters;
    for (const std::string& arg : options_.paths) {
      std::string abs =
          NormalizePath(!arg.empty() && arg[0] == '/' ? arg : AppendPath(*real_base, arg));
      std::optional<std::string> rel = RelativeTo(abs, workdir);
      if (!rel) {
        AddProblem(arg, Status::InvalidArgument(QuoteForMessage(arg, kQuotePathLimit) +
                                                " is outside the repository " +
                                                QuoteForMessage(workdir, kQuotePathLimit)));
        continue;
      }
      filters.push_back({arg, *rel});
    }
    if (!options_.paths.empty() && filters.empty()) return Status::Ok();

    if (options_.staged) {
      Result<std::vector<git::Repository::IndexEntry>> staged =
          r.StagedChanges(options_.index_file);
      if (!staged.ok()) return staged.status();
      for (const git::Repository::IndexEntry& e : *staged) {
        if (!IsRegularMode(e.mode) || !Wanted(e.path, filters)) continue;
        Result<std::string> blob = r.ReadBlob(e.oid, options_.max_file_bytes);
        if (blob.ok()) {
          AddInput({e.path, "", std::move(*blob), true});
        } else if (blob.status().code() == StatusCode::kLimitExceeded) {
          AddProblem(e.path, TooLarge(e.path, options_.max_file_bytes));
        } else {
          return blob.status().WithPrefix("cannot read the staged " +
                                          QuoteForMessage(e.path, kQuotePathLimit));
        }
      }
    } else {
      Result<std::vector<std::string>> changed = r.ChangedSince(options_.changed_since);
      if (!changed.ok()) return changed.status();
      for (const std::string& rel : *changed) {
        if (!Wanted(rel, filters)) continue;
        std::string path = AppendPath(workdir, rel);
        Result<FileInfo> info = fs_.Stat(path, /*follow_symlinks=*/true);
        if (!info.ok()) {
          AddProblem(rel, CannotRead(rel, info.status()));
        } else if (info->type == FileType::kRegular) {
          AddInput({rel, path, "", false});
        }
      }
    }
    // A filter that matched nothing is fine (nothing changed there) unless it names nothing.
    for (const Filter& f : filters) {
      if (f.matched) continue;
      Result<FileInfo> info = fs_.Stat(Resolve(f.arg), /*follow_symlinks=*/false);
      if (!info.ok()) AddProblem(f.arg, CannotRead(f.arg, info.status()));
    }
    return Status::Ok();
  }

  const SelectOptions& options_;
  Env& env_;
  FileSystem& fs_;
  Selection selection_;
  std::set<std::string> seen_;
  bool stdin_read_ = false;
  std::unique_ptr<git::Repository> repo_;  // ignore rules for the directory being walked
  std::string repo_rel_;
};

}  // namespace

Result<Selection> Select(const SelectOptions& options, Env& env) {
  if (env.fs == nullptr) return Status::Internal("input selection needs a file system");
  return Selector(options, env).Run();
}

}  // namespace capstan::input
