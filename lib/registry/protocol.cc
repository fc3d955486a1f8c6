#include "registry/protocol.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/rfc3339.h"
#include "core/strings.h"
#include "core/url.h"

namespace capstan::registry {
namespace {

bool IsTchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

// A cursor over a header value with the RFC 7230 token / quoted-string productions.
class HeaderLexer {
 public:
  explicit HeaderLexer(std::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  void Advance() { ++pos_; }
  size_t pos() const { return pos_; }
  void Reset(size_t pos) { pos_ = pos; }
  void SkipOws() {
    while (!AtEnd() && IsOws(s_[pos_])) ++pos_;
  }
  std::string_view Token() {
    size_t start = pos_;
    while (!AtEnd() && IsTchar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  // A run of visible characters up to a comma or whitespace: looser than a token, since some
  // servers send realm=https://... unquoted.
  std::string_view BareValue() {
    size_t start = pos_;
    while (!AtEnd() && s_[pos_] != ',' && s_[pos_] != '"' &&
           static_cast<unsigned char>(s_[pos_]) > 0x20 && s_[pos_] != 0x7f) {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }
  // REQUIRES: Peek() == '"'. Returns nullopt on an unterminated string.
  std::optional<std::string> QuotedString() {
    std::string out;
    for (++pos_; pos_ < s_.size(); ++pos_) {
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        if (++pos_ == s_.size()) break;
        c = s_[pos_];
      }
      out += c;
    }
    return std::nullopt;
  }
  // Up to (not including) `stop`; nullopt when `stop` never comes.
  std::optional<std::string_view> Until(char stop) {
    size_t end = s_.find(stop, pos_);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return out;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Status BadChallenge(std::string_view why) {
  return Status::InvalidArgument("invalid WWW-Authenticate header: " + std::string(why));
}

bool IsShortPrintable(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// "scheme://authority" of an absolute URL; empty when it has no scheme.
std::string_view Origin(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  size_t path = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, path);
}

bool HasNextRel(std::string_view rel) {
  while (!rel.empty()) {
    size_t start = rel.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    rel.remove_prefix(start);
    size_t end = rel.find_first_of(" \t");
    if (AsciiLower(rel.substr(0, end)) == "next") return true;
    if (end == std::string_view::npos) break;
    rel.remove_prefix(end);
  }
  return false;
}

std::optional<std::string> Resolve(std::string_view target, std::string_view base_url) {
  if (Origin(target).size() > 0) return std::string(target);
  std::string_view origin = Origin(base_url);
  if (origin.empty()) return std::nullopt;
  if (target.substr(0, 2) == "//")
    return std::string(origin.substr(0, origin.find("://") + 1)) + std::string(target);
  if (!target.empty() && target[0] == '/') return std::string(origin) + std::string(target);
  // A relative reference, rare in practice: resolve against base_url's directory.
  std::string_view path = base_url.substr(origin.size());
  path = path.substr(0, path.find_first_of("?#"));
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string_view::npos ? "/" : std::string(path.substr(0, slash + 1));
  return std::string(origin) + dir + std::string(target);
}

}  // namespace

Result<Challenge> ParseChallenge(std::string_view www_authenticate) {
  HeaderLexer lex(www_authenticate);
  lex.SkipOws();
  std::string_view scheme = lex.Token();
  if (scheme.empty()) return BadChallenge("missing auth scheme");
  Challenge challenge;
  challenge.scheme = AsciiLower(scheme);
  if (challenge.scheme != "bearer" && challenge.scheme != "basic") {
    return BadChallenge("unsupported auth scheme " + QuoteForMessage(scheme));
  }
  if (!lex.AtEnd() && !IsOws(lex.Peek()))
    return BadChallenge("expected a space after the auth scheme");
  lex.SkipOws();
  std::map<std::string, std::string> seen;
  while (!lex.AtEnd()) {
    if (lex.Peek() == ',') {
      lex.Advance();
      lex.SkipOws();
      continue;
    }
    size_t name_start = lex.pos();
    std::string_view raw_name = lex.Token();
    if (raw_name.empty()) return BadChallenge("expected a parameter name");
    lex.SkipOws();
    if (lex.Peek() != '=') {
      // "Bearer realm=x, Basic realm=y": a second challenge begins; only the first is ours.
      if (!seen.empty() && (lex.AtEnd() || lex.Peek() == ',' || IsTchar(lex.Peek()))) {
        lex.Reset(name_start);
        break;
      }
      return BadChallenge("expected '=' after " + QuoteForMessage(raw_name));
    }
    lex.Advance();
    lex.SkipOws();
    std::string name = AsciiLower(raw_name);
    std::string value;
    if (lex.Peek() == '"') {
      std::optional<std::string> quoted = lex.QuotedString();
      if (!quoted) return BadChallenge("unterminated quoted value of " + QuoteForMessage(name));
      value = std::move(*quoted);
    } else {
      std::string_view token = lex.BareValue();
      if (token.empty()) return BadChallenge("missing value of " + QuoteForMessage(name));
      value = std::string(token);
    }
    if (!seen.emplace(name, value).second)
      return BadChallenge("duplicate parameter " + QuoteForMessage(name));
    lex.SkipOws();
    if (!lex.AtEnd() && lex.Peek() != ',') {
      return BadChallenge("unexpected character after the value of " + QuoteForMessage(name));
    }
  }
  for (auto& [name, value] : seen) {
    if (name == "realm") {
      challenge.realm = std::move(value);
    } else if (name == "service") {
      challenge.service = std::move(value);
    } else if (name == "scope") {
      challenge.scope = std::move(value);
    } else {
      challenge.params.emplace(name, std::move(value));
    }
  }
  if (challenge.scheme == "bearer" && challenge.realm.empty())
    return BadChallenge("bearer challenge has no realm");
  return challenge;
}

std::string TokenUrl(const Challenge& challenge, const std::vector<std::string>& scopes) {
  std::string url = challenge.realm;
  char sep = '?';
  if (url.find('?') != std::string::npos)
    sep = (url.back() == '?' || url.back() == '&') ? '\0' : '&';
  auto add = [&](std::string_view key, std::string_view value) {
    if (sep != '\0') url += sep;
    sep = '&';
    url += key;
    url += '=';
    url += PercentEncode(value);
  };
  if (!challenge.service.empty()) add("service", challenge.service);
  for (const std::string& scope : scopes) add("scope", scope);
  return url;
}

std::string RepositoryScope(std::string_view repository, std::string_view actions) {
  return "repository:" + std::string(repository) + ":" + std::string(actions);
}

Result<TokenResponse> ParseTokenResponse(std::string_view json,
                                         std::chrono::system_clock::time_point now) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::ParseError("invalid token response: not a JSON object");
  }
  TokenResponse response;
  for (const char* key : {"token", "access_token"}) {
    auto it = doc.find(key);
    if (it != doc.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      response.token = it->get<std::string>();
      break;
    }
  }
  if (response.token.empty()) return Status::InvalidArgument("invalid token response: no token");
  // The spec's floor: a token lives at least 60 seconds, and 60 is the default.
  double expires_in = 60;
  if (auto it = doc.find("expires_in"); it != doc.end() && !it->is_null()) {
    if (!it->is_number())
      return Status::InvalidArgument("invalid token response: expires_in is not a number");
    expires_in = std::max(60.0, it->get<double>());
  }
  expires_in = std::min(expires_in, 10.0 * 365 * 24 * 3600);  // keeps the duration from overflowing
  std::chrono::system_clock::time_point base = now;
  if (auto it = doc.find("issued_at"); it != doc.end() && it->is_string()) {
    if (auto issued = ParseRfc3339(it->get_ref<const std::string&>())) base = *issued;
  }
  response.expires = base + std::chrono::seconds(static_cast<int64_t>(std::floor(expires_in)));
  return response;
}

Status ErrorFromResponse(int http_status, std::string_view body, std::string_view what) {
  std::string code;
  std::string message;
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && doc.is_object()) {
    auto errors = doc.find("errors");
    if (errors != doc.end() && errors->is_array() && !errors->empty() && (*errors)[0].is_object()) {
      const nlohmann::json& first = (*errors)[0];
      if (auto it = first.find("code"); it != first.end() && it->is_string())
        code = it->get<std::string>();
      if (auto it = first.find("message"); it != first.end() && it->is_string())
        message = it->get<std::string>();
    }
  }
  std::string prefix = std::string(what) + ": ";
  if (code == "NAME_UNKNOWN")
    return Status::NotFound(prefix + "repository not found (NAME_UNKNOWN)");
  if (code == "MANIFEST_UNKNOWN")
    return Status::NotFound(prefix + "manifest not found (MANIFEST_UNKNOWN)");
  if (code == "UNAUTHORIZED") {
    return Status::Unauthenticated(prefix +
                                   "authentication required or credentials refused (UNAUTHORIZED)");
  }
  if (code == "DENIED") return Status::Unauthenticated(prefix + "access denied (DENIED)");
  if (code == "TOOMANYREQUESTS")
    return Status::LimitExceeded(prefix + "rate limited by the registry (TOOMANYREQUESTS)");

  std::string detail =
      "(HTTP " + std::to_string(http_status) + (IsShortPrintable(code) ? " " + code : "") + ")";
  std::string suffix = IsShortPrintable(message) ? ": " + message : "";
  switch (http_status) {
    case 401:
      return Status::Unauthenticated(prefix + "authentication required or credentials refused " +
                                     detail + suffix);
    case 403:
      return Status::Unauthenticated(prefix + "access denied " + detail + suffix);
    case 404:
      return Status::NotFound(prefix + "not found " + detail + suffix);
    case 429:
      return Status::LimitExceeded(prefix + "rate limited by the registry " + detail + suffix);
    default:
      return Status::IoError(prefix + "registry error HTTP " + std::to_string(http_status) +
                             (IsShortPrintable(code) ? " (" + code + ")" : "") + suffix);
  }
}

std::optional<std::string> NextPageUrl(std::string_view link_header, std::string_view base_url) {
  HeaderLexer lex(link_header);
  while (true) {
    while (IsOws(lex.Peek()) || lex.Peek() == ',') lex.Advance();
    if (lex.AtEnd()) return std::nullopt;
    if (lex.Peek() != '<') return std::nullopt;
    lex.Advance();
    std::optional<std::string_view> target = lex.Until('>');
    if (!target) return std::nullopt;
    bool next = false;
    while (true) {
      lex.SkipOws();
      if (lex.Peek() != ';') break;
      lex.Advance();
      lex.SkipOws();
      std::string name = AsciiLower(lex.Token());
      if (name.empty()) return std::nullopt;
      lex.SkipOws();
      std::string value;
      if (lex.Peek() == '=') {
        lex.Advance();
        lex.SkipOws();
        if (lex.Peek() == '"') {
          std::optional<std::string> quoted = lex.QuotedString();
          if (!quoted) return std::nullopt;
          value = std::move(*quoted);
        } else {
          value = std::string(lex.Token());
        }
      }
      if (name == "rel" && HasNextRel(value)) next = true;
    }
    if (!lex.AtEnd() && lex.Peek() != ',') return std::nullopt;
    if (next) return Resolve(Trim(*target), base_url);
  }
}

std::optional<int> RateLimitRemaining(std::string_view header_value) {
  std::string_view s = Trim(header_value);
  constexpr std::string_view kName = "ratelimit-remaining:";
  if (AsciiLower(s.substr(0, kName.size())) == kName) s = Trim(s.substr(kName.size()));
  s = Trim(s.substr(0, s.find(';')));
  int value = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || value < 0) return std::nullopt;
  return value;
}

const std::vector<std::string>& ManifestAcceptTypes() {
  static const std::vector<std::string> kTypes = {
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json",
      "application/vnd.docker.distribution.manifest.v1+prettyjws",
  };
  return kTypes;
}

}  // namespace capstan::registry
