#include "k8s/substitution.h"

namespace capstan::k8s {
namespace {

bool NameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool NameChar(char c) { return NameStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

bool HasSubstitutionVariable(std::string_view s) {
  for (std::size_t at = s.find("${"); at != std::string_view::npos; at = s.find("${", at + 2)) {
    if (at > 0 && s[at - 1] == '$') continue;  // "$${VAR}" is a literal
    std::size_t i = at + 2;
    if (i >= s.size() || !NameStart(s[i])) continue;
    while (i < s.size() && NameChar(s[i])) ++i;
    if (i >= s.size()) return false;
    if (s[i] == '}') return true;
    if ((s[i] == ':' || s[i] == '=' || s[i] == '-') && s.find('}', i) != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace capstan::k8s
