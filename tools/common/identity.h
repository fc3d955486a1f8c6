// Who capstan-bump and capstan-watch commit as (README "Commit identity"). Highest first:
//   1. --author 'Name <email>' (or the tool's `author` key in .capstan.yaml, which arrives as
//      --author): author and committer both;
//   2. $GIT_AUTHOR_NAME / $GIT_AUTHOR_EMAIL for the author, $GIT_COMMITTER_NAME /
//      $GIT_COMMITTER_EMAIL for the committer, field by field, as git reads them;
//   3. git config user.name / user.email, then 4. git::kDefaultIdentity (capstan
//      <capstan@localhost>) — both applied by lib/git to the fields still empty.
#pragma once

#include <string>

#include "core/env.h"
#include "core/flags.h"
#include "core/result.h"
#include "git/publish.h"

namespace capstan::tools {

// --author, for the flag table of a tool that commits; its value goes to ResolveCommitIdentity.
inline constexpr flags::Flag kAuthorFlag = {
    "author", 0, "'NAME <EMAIL>'",
    "commit author and committer (default: $GIT_AUTHOR_*/$GIT_COMMITTER_*, git config, then "
    "capstan <capstan@localhost>)"};

struct CommitIdentity {
  git::Identity author;
  git::Identity committer;
};

// "Name <email>" as an identity; "" gives an empty one. kInvalidArgument "--author '<text>' is
// not of the form 'Name <email>'" otherwise.
Result<git::Identity> ParseAuthor(const std::string& text);

// Steps 1 and 2 above: the identity to hand to git::CommitRequest. Empty variables count as
// unset. Fails like ParseAuthor.
Result<CommitIdentity> ResolveCommitIdentity(const Env& env, const std::string& author_flag);

}  // namespace capstan::tools
