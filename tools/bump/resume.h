// capstan-bump finishing a bump an earlier run left half-done: stopped (killed, or failed in a
// way that could not put things back) after writing the files but before committing them, or
// after committing but before pushing. Without this the next run finds the files already
// holding the new values, says "already up to date", and nobody finishes the bump.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "git/repository.h"
#include "image/bump_plan.h"

namespace capstan::tools {

// Plans the bump of one file as the run planned it (PlanFiles with the run's request).
using Replan = std::function<image::Plan(const image::FileText&)>;

// Files of `plan` (made from the working tree of `repo`) that already hold the requested values
// while HEAD's version does not, and differ from HEAD's version by exactly this bump: replanning
// HEAD's version gives the working-tree bytes. An earlier run wrote them and stopped before its
// commit. Each is replaced in `plan` by the plan of its HEAD version (old_text HEAD's bytes,
// plan.new_text the working tree's), plan.changes and plan.up_to_date counted again, so the run
// commits it as if it had just written it. A file with any other difference from HEAD (a
// user's edit) is left as it is: never committed. Returns the names of the files taken over;
// the caller must not write them again, nor put them back when the commit fails (they held
// the new values before this run). Files outside repo's working tree, and files HEAD does not
// have, are left alone; read failures leave a file alone too.
std::vector<std::string> AdoptUncommitted(git::Repository& repo, const Replan& replan,
                                          image::Plan& plan);

// Whether HEAD's own commit made this bump: for every file of `plan` (all up to date), its
// version in HEAD's first parent, replanned, is HEAD's version or already held the values, and
// at least one was changed so. False for a root commit, a file HEAD added, or read failures.
// Such a commit may be one an earlier run made and was stopped before pushing.
bool HeadMadeTheBump(git::Repository& repo, const Replan& replan, const image::Plan& plan);

}  // namespace capstan::tools
