#include "common/identity.h"

#include "core/strings.h"

namespace capstan::tools {
namespace {

std::string Variable(const Env& env, std::string_view name) {
  if (!env.getenv) return "";
  return env.getenv(name).value_or("");
}

}  // namespace

Result<git::Identity> ParseAuthor(const std::string& text) {
  if (text.empty()) return git::Identity{};
  const Status bad = Status::InvalidArgument("--author " + QuoteForMessage(text) +
                                             " is not of the form 'Name <email>'");
  std::size_t lt = text.find('<');
  std::size_t gt = text.rfind('>');
  if (lt == std::string::npos || gt == std::string::npos || gt < lt || gt + 1 != text.size())
    return bad;
  std::string name = text.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  std::string email = text.substr(lt + 1, gt - lt - 1);
  if (name.empty() || email.empty()) return bad;
  return git::Identity{name, email};
}

Result<CommitIdentity> ResolveCommitIdentity(const Env& env, const std::string& author_flag) {
  Result<git::Identity> flag = ParseAuthor(author_flag);
  if (!flag.ok()) return flag.status();
  if (!flag->name.empty()) return CommitIdentity{*flag, *flag};
  return CommitIdentity{
      {Variable(env, "GIT_AUTHOR_NAME"), Variable(env, "GIT_AUTHOR_EMAIL")},
      {Variable(env, "GIT_COMMITTER_NAME"), Variable(env, "GIT_COMMITTER_EMAIL")}};
}

}  // namespace capstan::tools
