#include "hooks/installer.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "core/strings.h"

namespace capstan::tools::hooks {
namespace {

constexpr std::uint64_t kMaxHookBytes = 1 << 20;
constexpr std::size_t kMarkerLines = 5;

// The inverse of ShellQuote for the value of a "capstan_bin_dir=" line: quoted parts and
// backslash escapes up to the first unquoted blank. The template's own line yields "".
std::string ShellUnquote(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\'') {
      std::size_t end = v.find('\'', i + 1);
      if (end == std::string_view::npos) end = v.size();
      out.append(v.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '\\' && i + 1 < v.size()) {
      out += v[++i];
    } else if (std::isspace(static_cast<unsigned char>(c)) || c == '#') {
      break;
    } else {
      out += c;
    }
  }
  return out;
}

struct Line {
  std::size_t start = 0;
  std::size_t length = 0;  // without the '\n'
};

std::optional<Line> FindBinDirLine(std::string_view text) {
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(start, end - start).starts_with(kBinDirVariable)) {
      return Line{start, end - start};
    }
    start = end + 1;
  }
  return std::nullopt;
}

bool IsCapstanHook(std::string_view text) {
  std::size_t start = 0;
  for (std::size_t n = 0; n < kMarkerLines && start < text.size(); ++n) {
    if (text.substr(start).starts_with(kMarker)) return true;
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return false;
}

// `installed` with its bin-dir line replaced by the template's, so that it equals the template
// exactly when it came from this template.
std::string WithTemplateBinDirLine(std::string installed, std::string_view script) {
  auto mine = FindBinDirLine(installed);
  auto theirs = FindBinDirLine(script);
  if (!mine || !theirs) return installed;
  installed.replace(mine->start, mine->length, script.substr(theirs->start, theirs->length));
  return installed;
}

// The number after "<name><kBackupSuffix>": 0 for none, N for ".N", nullopt for other names.
std::optional<long> BackupIndex(std::string_view entry, const std::string& base) {
  if (!entry.starts_with(base)) return std::nullopt;
  std::string_view rest = entry.substr(base.size());
  if (rest.empty()) return 0;
  if (rest.size() < 2 || rest[0] != '.' || rest.size() > 10) return std::nullopt;
  long n = 0;
  for (char c : rest.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n == 0 ? std::nullopt : std::optional<long>(n);
}

}  // namespace

Result<std::string> Render(std::string_view script, const std::string& bin_dir) {
  auto line = FindBinDirLine(script);
  if (!line) {
    return Status::Internal("the hook template has no '" + std::string(kBinDirVariable) + "' line");
  }
  std::string out(script);
  if (!bin_dir.empty()) {
    out.replace(line->start, line->length, std::string(kBinDirVariable) + ShellQuote(bin_dir));
  }
  return out;
}

std::string HookDir::PathOf(std::string_view name) const { return dir_ + "/" + std::string(name); }

Result<HookStatus> HookDir::Inspect(std::string_view name, std::string_view script) {
  HookStatus st;
  st.path = PathOf(name);
  Result<FileInfo> info = fs_.Stat(st.path, false);
  if (info.ok()) {
    st.presence = Presence::kForeign;
    if (info->type != FileType::kDirectory) {
      Result<std::string> text = fs_.ReadFile(st.path, kMaxHookBytes);
      if (text.ok() && IsCapstanHook(*text)) {
        st.presence = Presence::kCapstan;
        auto line = FindBinDirLine(*text);
        if (line) {
          st.bin_dir = ShellUnquote(std::string_view(*text).substr(
              line->start + kBinDirVariable.size(), line->length - kBinDirVariable.size()));
        }
        st.current = WithTemplateBinDirLine(*text, script) == script;
        Result<FileInfo> target = fs_.Stat(st.path, true);
        st.executable = target.ok() && (target->mode & 0111) != 0;
      } else if (!text.ok() && text.status().code() != StatusCode::kNotFound &&
                 text.status().code() != StatusCode::kLimitExceeded) {
        return text.status();  // a dangling symlink or a huge file is simply not ours
      }
    }
  } else if (info.status().code() != StatusCode::kNotFound) {
    return info.status();
  }

  std::string chained = st.path + std::string(kChainedSuffix);
  Result<FileInfo> chained_info = fs_.Stat(chained, false);
  if (chained_info.ok()) {
    st.chained = chained;
  } else if (chained_info.status().code() != StatusCode::kNotFound) {
    return chained_info.status();
  }

  Result<std::vector<DirEntry>> entries = fs_.ListDir(dir_);
  if (!entries.ok() && entries.status().code() != StatusCode::kNotFound) return entries.status();
  if (entries.ok()) {
    std::string base = std::string(name) + std::string(kBackupSuffix);
    std::vector<std::pair<long, std::string>> found;
    for (const auto& e : *entries) {
      if (auto index = BackupIndex(e.name, base)) found.emplace_back(*index, dir_ + "/" + e.name);
    }
    std::sort(found.begin(), found.end());
    for (auto& f : found) st.backups.push_back(std::move(f.second));
  }
  return st;
}

Status HookDir::MoveToBackup(const std::string& from, std::string_view name,
                             std::vector<std::string> backups, std::vector<Change>* changes) {
  std::string base = PathOf(name) + std::string(kBackupSuffix);
  std::string to = base;
  if (!backups.empty()) {
    std::string newest = backups.back().substr(dir_.size() + 1);
    long index = BackupIndex(newest, std::string(name) + std::string(kBackupSuffix)).value_or(0);
    to = base + "." + std::to_string(index + 1);
  }
  CAPSTAN_RETURN_IF_ERROR(fs_.Rename(from, to));
  changes->push_back({Change::kBackedUp, from, to});
  return Status::Ok();
}

Result<std::vector<Change>> HookDir::Install(std::string_view name, std::string_view script,
                                             const std::string& bin_dir, OnForeign on_foreign) {
  Result<std::string> rendered = Render(script, bin_dir);
  if (!rendered.ok()) return rendered.status();
  Result<HookStatus> st = Inspect(name, script);
  if (!st.ok()) return st.status();
  if (st->presence == Presence::kForeign && on_foreign == OnForeign::kRefuse) {
    return Status::InvalidArgument(QuoteForMessage(st->path, kQuotePathLimit) +
                                   " is not a capstan hook");
  }

  std::vector<Change> changes;
  if (st->presence == Presence::kCapstan && st->executable) {
    Result<std::string> old = fs_.ReadFile(st->path, kMaxHookBytes);
    if (old.ok() && *old == *rendered) {
      changes.push_back({Change::kUnchanged, st->path, ""});
      return changes;
    }
  }

  CAPSTAN_RETURN_IF_ERROR(fs_.CreateDirectories(dir_));
  // The new hook is complete and executable before anything is moved, so a failure leaves the
  // old state behind.
  const std::string tmp = st->path + ".capstan-new";
  Status written = fs_.WriteFileAtomic(tmp, *rendered);
  if (written.ok()) written = fs_.SetMode(tmp, 0755);
  if (!written.ok()) {
    (void)fs_.Remove(tmp);
    return written;
  }

  std::string aside;
  if (st->presence == Presence::kForeign) {
    Status moved;
    if (on_foreign == OnForeign::kChain) {
      if (!st->chained.empty()) moved = MoveToBackup(st->chained, name, st->backups, &changes);
      aside = st->path + std::string(kChainedSuffix);
      if (moved.ok()) moved = fs_.Rename(st->path, aside);
      if (moved.ok()) changes.push_back({Change::kChained, st->path, aside});
    } else {
      moved = MoveToBackup(st->path, name, st->backups, &changes);
      if (moved.ok()) aside = changes.back().other;
    }
    if (!moved.ok()) {
      (void)fs_.Remove(tmp);
      return moved;
    }
  }

  Status renamed = fs_.Rename(tmp, st->path);
  if (!renamed.ok()) {
    (void)fs_.Remove(tmp);
    if (!aside.empty()) (void)fs_.Rename(aside, st->path);
    return renamed;
  }
  changes.push_back(
      {st->presence == Presence::kCapstan ? Change::kUpdated : Change::kInstalled, st->path, ""});
  return changes;
}

Result<std::vector<Change>> HookDir::Uninstall(std::string_view name) {
  Result<HookStatus> st = Inspect(name, "");
  if (!st.ok()) return st.status();
  std::vector<Change> changes;
  if (st->presence == Presence::kForeign) return changes;

  std::string restore = !st->chained.empty()   ? st->chained
                        : !st->backups.empty() ? st->backups.back()
                                               : "";
  if (st->presence == Presence::kCapstan) {
    // Renaming the kept hook over capstan's replaces it in one step; otherwise just delete.
    CAPSTAN_RETURN_IF_ERROR(restore.empty() ? fs_.Remove(st->path) : fs_.Rename(restore, st->path));
    changes.push_back({Change::kRemoved, st->path, ""});
  } else if (!restore.empty()) {
    CAPSTAN_RETURN_IF_ERROR(fs_.Rename(restore, st->path));
  }
  if (!restore.empty()) changes.push_back({Change::kRestored, st->path, restore});
  return changes;
}

}  // namespace capstan::tools::hooks
