// Which files a checking tool (validate, scan) reads: named files, walked directories, stdin,
// the blobs staged in the git index, or the files changed since a revision. Select decides and
// classifies; it reads content only for stdin and staged blobs. Everything else is read by the
// caller with env.fs->ReadFile(input.path, max_file_bytes).
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/env.h"
#include "core/result.h"

namespace capstan::input {

struct Input {
  // As shown in reports, '/'-separated. A named file: the path as the user gave it. A file found
  // in a directory: the directory argument joined with the path below it ("examples/apps/a.yaml";
  // for "." just "apps/a.yaml"). "<stdin>" for stdin. With --staged / --changed-since: the path
  // relative to the repository root.
  std::string name;
  // The real file-system path to read (resolved against env.cwd); empty when loaded.
  std::string path;
  // The content, for stdin and staged blobs.
  std::string content;
  bool loaded = false;
  // Found by a directory walk rather than named, staged or read from stdin.
  bool in_walk = false;
};

// A path that was asked for but cannot be checked, e.g. one that does not exist. Tools report
// these and go on with the other inputs.
struct Problem {
  std::string name;
  Status status;
  // Found by a directory walk rather than named: an entry of the repository itself that cannot
  // be read (a dangling or looping symlink). Checking tools report it as a finding against that
  // path (rule `input-unreadable`) rather than as a failure to run.
  bool in_walk = false;
};

struct Selection {
  std::vector<Input> inputs;
  std::vector<Problem> problems;
  // The walked directories (as Input::name's directory part, "" for the top) holding an entry
  // named as one of SelectOptions::note_names, selected or not.
  std::set<std::string> noted_dirs;
};

struct SelectOptions {
  std::vector<std::string> paths;  // files, directories, "-" for stdin
  bool staged = false;             // the exact blobs in the git index
  std::string index_file;     // staged: this index instead of the repository's (GIT_INDEX_FILE)
  std::string changed_since;  // REV; empty = off
  std::vector<std::string> extensions = {".yaml", ".yml", ".json"};  // empty: every file
  // Whether a directory walk (and --staged / --changed-since) selects hidden entries: files and
  // directories whose name starts with '.' (.vscode/, .github/, .env). Named paths are selected
  // whatever this says.
  bool include_hidden = true;
  std::uint64_t max_file_bytes = 16u << 20;
  // File names to note in every walked directory, whether or not the walk selects them: a
  // tool that reads a file beside a walked one (scan: the kustomization beside a payload) then
  // knows, without a system call, which directories hold one.
  std::vector<std::string> note_names;
  // Called on the selecting thread with each input as it is selected, in the order of
  // Selection::inputs, before Select returns: a caller can start on the files a walk has found
  // while it goes on. The Input is Select's own (its index in Selection::inputs is the number of
  // calls before it); the callee must not keep the reference.
  std::function<void(const Input&)> on_input;
};

// Selects the inputs, in argument order, without duplicates (the first occurrence of a file
// wins, however it was reached).
//
// Paths (the default; no paths means "."):
//  - A regular file named explicitly is always selected, whatever its extension, ignore status
//    or name (hidden or not).
//  - A directory is walked depth-first in byte order of names, selecting regular files (and
//    symlinks to them) whose name ends with one of `extensions` (case-insensitive). `.git`
//    directories are skipped, hidden entries unless include_hidden, and whatever the enclosing
//    repository's ignore rules ignore (none outside a repository; none below a directory
//    argument that is itself ignored, since it was asked for by name). Symlinks to directories
//    are not followed; FIFOs, sockets and devices (or symlinks to them) are skipped.
//  - "-" reads env.in (at most max_file_bytes) into one loaded Input named "<stdin>", once.
//  - Problems: a named path that does not exist (kNotFound "cannot read 'nope.yaml': no such
//    file or directory"), a named path that is neither a regular file nor a directory, such as
//    a FIFO, which reading would block on (kInvalidArgument "cannot read 'x.fifo': not a
//    regular file"), a named dangling or looping symlink (kIoError "cannot read 'x.yaml': too
//    many levels of symbolic links"), a directory that cannot be listed (kIoError "cannot read
//    'dir': permission denied"), stdin over the size limit. A dangling or looping symlink with
//    a listed extension met in a walk is a problem with in_walk set.
//
// staged: inputs are the regular files of Repository::StagedChanges() in the repository
// containing env.cwd, loaded from the index, so a partially staged file is judged on what will
// be committed. changed_since: the regular files of Repository::ChangedSince(REV), read from the
// working tree (path set; an entry that is no longer a regular file there is skipped). In both
// modes, paths (relative to env.cwd) restrict the selection to entries at or below them; an
// entry named exactly is kept whatever its extension, others need a listed extension, and
// unless include_hidden, no hidden component below the path that selected them. A blob over
// max_file_bytes is a kLimitExceeded problem.
//
// Relative paths are resolved against env.cwd when it is non-empty. Fails (rather than adding
// a problem) with kInvalidArgument when staged and changed_since are combined or "-" is given
// with either, with Repository's errors when the repository cannot be found or read (kNotFound,
// kInvalidArgument for an unknown revision, kIoError), and with kInternal when env.fs is null.
//
// Repositories are opened only through env.open_repository: for staged and changed_since, and
// for the ignore rules of each directory walked. Named files and stdin open none, so a plain
// file selection never initialises libgit2. REQUIRES: env.open_repository is set when staged,
// changed_since or a directory path is asked for.
Result<Selection> Select(const SelectOptions& options, Env& env);

}  // namespace capstan::input
