#include "secrets/placeholder.h"

#include <cctype>

#include "core/strings.h"

namespace capstan::secrets {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
          c == '/'))
      return false;
  }
  return true;
}

// Consumes one placeholder at the front of s; returns its length, or 0 when s does not start
// with one.
std::size_t PlaceholderAt(std::string_view s, const PlaceholderContext& context) {
  if (s.substr(0, 6) == "<path:") {
    std::size_t end = s.find('>');
    if (end == std::string_view::npos) return 0;
    std::string_view body = s.substr(6, end - 6);
    if (body.empty() || body.find('#') == std::string_view::npos) return 0;
    return end + 1;
  }
  if (s.substr(0, 2) == "{{") {
    std::size_t end = s.find("}}");
    return end == std::string_view::npos ? 0 : end + 2;
  }
  if (s.substr(0, 2) == "${") {
    std::size_t end = 2;
    for (int depth = 1; end < s.size(); ++end) {
      if (s[end] == '{') ++depth;
      if (s[end] == '}' && --depth == 0) break;
    }
    if (end >= s.size()) return 0;
    std::string_view body = s.substr(2, end - 2);
    std::size_t op = body.find(":=");
    if (op == std::string_view::npos) op = body.find(":-");
    std::string_view name = body.substr(0, op);
    if (!IsIdentifier(name)) return 0;
    if (op != std::string_view::npos) {
      std::string_view fallback = body.substr(op + 2);
      // "${DB_PASSWORD:=hunter2}" still commits hunter2.
      if (!fallback.empty() && !(fallback.size() >= 2 && fallback.substr(0, 2) == "${")) return 0;
    }
    return end + 1;
  }
  // Grafana's provisioning expansions: $__env{VAR}, $__file{/path}, $__vault{path}.
  for (std::string_view grafana : {"$__env{", "$__file{", "$__vault{"}) {
    if (!s.starts_with(grafana)) continue;
    std::size_t end = s.find('}');
    return end == std::string_view::npos || end == grafana.size() ? 0 : end + 1;
  }
  if (context.avp_annotated && s.size() >= 3 && s[0] == '<') {
    std::size_t end = s.find('>');
    if (end != std::string_view::npos && IsIdentifier(s.substr(1, end - 1))) return end + 1;
  }
  return 0;
}

// A 1Password secret reference: op://vault/item[/section]/field, optionally with a query
// (?attribute=otp, ?ssh-format=openssh). Vault, item and section names may hold spaces, so only
// line breaks, empty segments and a segment count other than 3 or 4 rule a reference out.
bool IsOnePasswordReference(std::string_view s) {
  if (!s.starts_with("op://")) return false;
  s.remove_prefix(5);
  s = s.substr(0, s.find('?'));
  if (s.find_first_of("\r\n") != std::string_view::npos) return false;
  int segments = 0;
  for (std::size_t start = 0;;) {
    std::size_t slash = s.find('/', start);
    std::string_view seg =
        s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (Trim(seg).empty()) return false;
    ++segments;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments == 3 || segments == 4;
}

}  // namespace

std::size_t PlaceholderLength(std::string_view text, const PlaceholderContext& context) {
  return PlaceholderAt(text, context);
}

bool IsPlaceholder(std::string_view value, const PlaceholderContext& context) {
  std::string_view s = Trim(value);
  if (s.empty()) return true;
  if (IsOnePasswordReference(s)) return true;
  bool any = false;
  while (!s.empty()) {
    std::size_t n = PlaceholderAt(s, context);
    if (n > 0) {
      any = true;
    } else if (std::ispunct(static_cast<unsigned char>(s[0])) && s[0] != '<' && s[0] != '{' &&
               s[0] != '$') {
      n = 1;  // separators between placeholders ("{{ .user }}:{{ .pass }}") hide nothing
    } else {
      return false;
    }
    s = Trim(s.substr(n));
  }
  return any;
}

}  // namespace capstan::secrets
