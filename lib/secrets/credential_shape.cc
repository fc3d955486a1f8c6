#include "secrets/credential_shape.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "core/strings.h"
#include "secrets/secret_names.h"
#include "secrets/token_rules.h"

namespace capstan::secrets {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t at = s.find(sep, start);
    parts.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

bool IsPort(std::string_view s) { return s.size() <= 5 && AllOf(s, IsDigit); }

bool IsIpv4(std::string_view s) {
  std::vector<std::string_view> octets = Split(s, '.');
  if (octets.size() != 4) return false;
  for (std::string_view o : octets)
    if (o.empty() || o.size() > 3 || !AllOf(o, IsDigit) || std::stoi(std::string(o)) > 255)
      return false;
  return true;
}

bool IsIpv6(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s.find(':') == std::string_view::npos || s.size() > 45) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsHex(c) || c == ':' || c == '.'; }) &&
         std::count(s.begin(), s.end(), ':') >= 2;
}

bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253 || s.find('.') == std::string_view::npos) return false;
  if (s.back() == '.') s.remove_suffix(1);
  std::vector<std::string_view> labels = Split(s, '.');
  for (std::string_view l : labels) {
    if (l.empty() || l.size() > 63 || l.front() == '-' || l.back() == '-') return false;
    if (!std::all_of(l.begin(), l.end(), [](char c) { return IsAlnum(c) || c == '-' || c == '_'; }))
      return false;
  }
  return labels.back().size() >= 2 && AllOf(labels.back(), IsAlpha);
}

// host, host:port, an address with an optional port or CIDR suffix.
bool IsHostPort(std::string_view s) {
  if (s.starts_with('[')) {  // [fd00::1]:5432
    std::size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = s.substr(close + 1);
    return IsIpv6(s.substr(0, close + 1)) &&
           (rest.empty() || (rest[0] == ':' && IsPort(rest.substr(1))));
  }
  if (IsIpv6(s)) return true;
  std::size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    std::string_view bits = s.substr(slash + 1);
    return IsIpv4(s.substr(0, slash)) && !bits.empty() && bits.size() <= 2 && AllOf(bits, IsDigit);
  }
  std::size_t colon = s.rfind(':');
  if (colon != std::string_view::npos) {
    if (!IsPort(s.substr(colon + 1))) return false;
    s = s.substr(0, colon);
  }
  return IsIpv4(s) || IsHostName(s) || s == "localhost";
}

struct Url {
  std::string_view userinfo;  // empty when there is none
  bool has_userinfo = false;
  std::string_view authority;  // host[:port], after the user-info
  std::string_view query;      // after '?', without the fragment
};

// Splits `scheme://[userinfo@]authority[/path][?query][#fragment]`; nullopt without a scheme.
std::optional<Url> ParseUrl(std::string_view s) {
  std::size_t sep = s.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string_view scheme = s.substr(0, sep);
  if (!IsAlpha(scheme[0]) || !std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return IsAlnum(c) || c == '+' || c == '-' || c == '.';
      }))
    return std::nullopt;
  std::string_view rest = s.substr(sep + 3);
  std::size_t end = rest.find_first_of("/?#");
  Url url;
  std::string_view authority = rest.substr(0, end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    url.has_userinfo = true;
    url.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  url.authority = authority;
  if (std::size_t q = rest.find('?'); q != std::string_view::npos) {
    url.query = rest.substr(q + 1);
    url.query = url.query.substr(0, url.query.find('#'));
  }
  return url;
}

// key=value pairs of a URL query ('&'-separated).
std::vector<std::pair<std::string_view, std::string_view>> QueryPairs(std::string_view query) {
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  if (query.empty()) return pairs;
  for (std::string_view p : Split(query, '&')) {
    std::size_t eq = p.find('=');
    pairs.emplace_back(p.substr(0, eq),
                       eq == std::string_view::npos ? std::string_view() : p.substr(eq + 1));
  }
  return pairs;
}

// A user name that is the login of a token scheme, not a secret (git@, oauth2:, x-access-token).
bool IsPlainUserName(std::string_view user) {
  return !user.empty() && user.size() <= 32 && !LooksRandom(user) &&
         std::all_of(user.begin(), user.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

// The value with each placeholder replaced by kHole, or nullopt when it holds none.
constexpr char kHole = '\x01';
std::optional<std::string> Holes(std::string_view value, const PlaceholderContext& context) {
  std::string out;
  bool any = false;
  for (std::size_t i = 0; i < value.size();) {
    std::size_t n = PlaceholderLength(value.substr(i), context);
    if (n > 0) {
      out += kHole;
      any = true;
      i += n;
    } else {
      out += value[i++];
    }
  }
  if (!any) return std::nullopt;
  return out;
}

bool HoleOrEmpty(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    s = s.substr(1, s.size() - 2);
  return s.empty() || s == std::string_view(&kHole, 1);
}

}  // namespace

bool IsConnectionMetadata(std::string_view value) {
  std::string_view s = Trim(value);
  if (s.empty() || std::any_of(s.begin(), s.end(), IsSpace)) return false;
  if (IsPort(s) || IsHostPort(s)) return true;
  if (std::size_t at = s.find('@');
      at != std::string_view::npos && s.find("://") == std::string_view::npos) {
    std::string_view local = s.substr(0, at);  // an e-mail address
    return !local.empty() && local.find(':') == std::string_view::npos &&
           IsHostName(s.substr(at + 1));
  }
  std::optional<Url> url = ParseUrl(s);
  if (!url || url->has_userinfo) return false;
  for (const auto& [key, v] : QueryPairs(url->query))
    if (LooksSecretName(key) && !v.empty()) return false;
  return true;
}

bool HasUrlCredential(std::string_view value) {
  std::optional<Url> url = ParseUrl(Trim(value));
  if (!url || !url->has_userinfo) return false;
  std::size_t colon = url->userinfo.find(':');
  if (colon == std::string_view::npos) return !IsPlainUserName(url->userinfo);
  std::string_view password = url->userinfo.substr(colon + 1);
  return !password.empty() && !IsPlaceholder(password);
}

bool IsConnectionTemplate(std::string_view value, const PlaceholderContext& context) {
  std::optional<std::string> holes = Holes(Trim(value), context);
  if (!holes) return false;
  std::string_view s = *holes;
  if (std::optional<Url> url = ParseUrl(s)) {
    if (url->has_userinfo) {
      std::size_t colon = url->userinfo.find(':');
      std::string_view secret =
          colon == std::string_view::npos ? url->userinfo : url->userinfo.substr(colon + 1);
      if (!HoleOrEmpty(secret) && !(colon == std::string_view::npos && IsPlainUserName(secret)))
        return false;
    }
    for (const auto& [key, v] : QueryPairs(url->query))
      if (LooksSecretName(key) && !HoleOrEmpty(v)) return false;
    return true;
  }
  // key=value pairs separated by ';' (ADO.NET, JDBC properties; keys may hold spaces) or else
  // by whitespace (libpq).
  int pairs = 0;
  std::string normalized(s);
  if (s.find(';') == std::string_view::npos)
    std::replace_if(normalized.begin(), normalized.end(), IsSpace, ';');
  for (std::string_view item : Split(normalized, ';')) {
    item = Trim(item);
    if (item.empty()) continue;
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    ++pairs;
    if (LooksSecretName(item.substr(0, eq)) && !HoleOrEmpty(item.substr(eq + 1))) return false;
  }
  return pairs >= 2;
}

bool IsSecretReference(std::string_view value) {
  std::string_view s = Trim(value);
  std::string rest;  // the value without Helm template expressions
  bool templated = false;
  for (std::size_t i = 0; i < s.size();) {
    if (s.substr(i, 2) == "{{") {
      std::size_t end = s.find("}}", i);
      if (end == std::string_view::npos) return false;
      templated = true;
      i = end + 2;
    } else {
      rest += s[i++];
    }
  }
  if (rest.empty()) return templated;
  if (rest.size() > 253 || std::any_of(rest.begin(), rest.end(), IsSpace)) return false;
  bool upper_snake = IsAlpha(rest[0]) && std::all_of(rest.begin(), rest.end(), [](char c) {
                       return (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
                     });
  if (upper_snake && rest.size() <= 64) return true;
  if (!std::all_of(rest.begin(), rest.end(), [](char c) {
        return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '/';
      }))
    return false;
  std::string parts = rest;
  std::replace_if(
      parts.begin(), parts.end(),
      [](char c) { return c == '-' || c == '.' || c == '_' || c == '/'; }, ' ');
  int words = 0;
  for (std::string_view part : Split(parts, ' ')) {
    if (part.empty()) continue;
    ++words;
    bool mixed = !AllOf(part, IsAlpha) && !AllOf(part, IsDigit);
    if (mixed && part.size() > 3) return false;
    if (part.size() > 24) return false;  // a word that long is rather a token
  }
  return words > 0;
}

bool LooksRandom(std::string_view value) {
  std::string_view s = Trim(value);
  if (s.size() < 16 || std::any_of(s.begin(), s.end(), IsSpace)) return false;
  bool letters = std::any_of(s.begin(), s.end(), IsAlpha);
  bool digits = std::any_of(s.begin(), s.end(), IsDigit);
  if (!letters || !digits || ShannonEntropy(s) < 3.5) return false;
  bool uuid = s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
              std::all_of(s.begin(), s.end(), [](char c) { return IsHex(c) || c == '-'; });
  bool version = (s[0] == 'v' || IsDigit(s[0])) && std::all_of(s.begin() + 1, s.end(), [](char c) {
                   return IsDigit(c) || c == '.' || c == '-';
                 });
  return !uuid && !version && !IsSecretReference(s) && !IsConnectionMetadata(s) && s.front() != '/';
}

bool KeyedLiteralLooksSecret(std::string_view key, std::string_view value,
                             const PlaceholderContext& context) {
  if (IsPlaceholder(value, context) || IsConnectionTemplate(value, context) ||
      IsInertValue(Trim(value)))
    return false;
  switch (ClassifySecretName(key)) {
    case SecretNameKind::kHolder:
      return true;
    case SecretNameKind::kMaybeReference:
      return !IsSecretReference(value);
    case SecretNameKind::kNone:
      break;
  }
  if (HasUrlCredential(value) || LooksRandom(value)) return true;
  if (Trim(value).find('\n') == std::string_view::npos) return false;
  static const RE2 kAssignment(
      R"(^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(\S.*?)\s*,?$)");
  for (std::string_view line : Split(value, '\n')) {
    std::string k, v;
    if (!RE2::FullMatch(re2::StringPiece(line.data(), line.size()), kAssignment, &k, &v)) continue;
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    if (ClassifySecretName(k) != SecretNameKind::kNone && KeyedLiteralLooksSecret(k, v, context))
      return true;
  }
  return false;
}

}  // namespace capstan::secrets
