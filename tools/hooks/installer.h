// Installs, updates and removes capstan's git hook scripts in one hooks directory without ever
// losing a hook capstan did not write (a "foreign" hook): installing over one is refused,
// chains it (keeps it as <hook>.capstan-chained, which capstan's script runs first), or
// replaces it after moving it to a backup. Prints nothing; reports what it changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"

namespace capstan::tools::hooks {

// A line starting with this, among a hook's first lines, marks it as capstan's.
inline constexpr std::string_view kMarker = "# capstan-managed-hook";
// <hook><kChainedSuffix>: the foreign hook that capstan's hook runs before its own checks.
inline constexpr std::string_view kChainedSuffix = ".capstan-chained";
// <hook><kBackupSuffix>, then <hook><kBackupSuffix>.1, .2, ...: foreign hooks replaced by force.
inline constexpr std::string_view kBackupSuffix = ".capstan-backup";
// The template line that `Render` fills with the binaries' directory.
inline constexpr std::string_view kBinDirVariable = "capstan_bin_dir=";

// `script` (a hooks/ template) with its "capstan_bin_dir=" line set to bin_dir, shell-quoted;
// bin_dir "" leaves the template line (the hook then finds the tools on PATH). Fails with
// kInternal when the template has no such line.
Result<std::string> Render(std::string_view script, const std::string& bin_dir);

enum class Presence { kAbsent, kCapstan, kForeign };

struct HookStatus {
  std::string path;  // <dir>/<name>
  Presence presence = Presence::kAbsent;
  bool executable = false;           // kCapstan: git runs it (some execute bit set)
  bool current = false;              // kCapstan: the script this build would install, bin dir aside
  std::string bin_dir;               // kCapstan: the directory written into it; "" = PATH
  std::string chained;               // the chained foreign hook's path, "" when there is none
  std::vector<std::string> backups;  // paths of foreign hooks replaced by force, oldest first
};

enum class OnForeign {
  kRefuse,   // fail, change nothing
  kChain,    // keep it as <hook>.capstan-chained
  kReplace,  // move it to the next free <hook>.capstan-backup[.N]
};

struct Change {
  enum Kind {
    kInstalled,  // path written, nothing capstan's was there
    kUpdated,    // capstan's hook at path rewritten
    kUnchanged,  // capstan's hook at path was already this script
    kChained,    // the foreign hook at path moved to other, run first
    kBackedUp,   // the foreign hook (or an old chained one) at path moved to other
    kRemoved,    // capstan's hook at path deleted
    kRestored,   // other (a chained or backed-up hook) moved back to path
  };
  Kind kind;
  std::string path;
  std::string other;
};

// One hooks directory. Not thread-safe; a concurrent `git commit` sees either the old or the
// new hook, never a partial one.
class HookDir {
 public:
  // REQUIRES: dir is absolute; fs outlives this object.
  HookDir(FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }

  // What is installed as hook `name`; `script` is the template it is compared with. Fails with
  // kIoError when the hook or the directory cannot be read.
  Result<HookStatus> Inspect(std::string_view name, std::string_view script);

  // Installs Render(script, bin_dir) as <dir>/<name>, mode 0755, by writing a temp file in
  // the directory and renaming it over the hook; creates the directory when missing. A foreign
  // hook there is handled as on_foreign says (kRefuse: kInvalidArgument "'<path>' is not a
  // capstan hook", nothing changed). With kChain, an older chained hook in the way is moved
  // to a backup first. On failure (kIoError, or kInternal for a bad template) a foreign hook
  // already moved aside is moved back when possible. Returns the changes in order.
  Result<std::vector<Change>> Install(std::string_view name, std::string_view script,
                                      const std::string& bin_dir, OnForeign on_foreign);

  // Removes capstan's hook `name` and moves the chained hook back into its place, else the
  // newest backup. With no hook at all there, restores the same way. A foreign hook is left
  // alone (no changes). Fails with kIoError.
  Result<std::vector<Change>> Uninstall(std::string_view name);

 private:
  std::string PathOf(std::string_view name) const;
  Status MoveToBackup(const std::string& from, std::string_view name,
                      std::vector<std::string> backups, std::vector<Change>* changes);

  FileSystem& fs_;
  std::string dir_;
};

}  // namespace capstan::tools::hooks
