#include "image/reference.h"

#include <cctype>
#include <vector>

#include "core/strings.h"

namespace capstan::image {
namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTagLength = 128;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// [a-z0-9]+ ((\.|_|__|-+) [a-z0-9]+)*
bool ValidComponent(std::string_view s) {
  std::size_t i = 0;
  auto run = [&] {
    std::size_t start = i;
    while (i < s.size() && IsLowerAlnum(s[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

// A host name or IPv4 address, or [IPv6], with an optional :port.
bool ValidRegistry(std::string_view s) {
  std::string_view host = s;
  std::size_t colon = std::string_view::npos;
  if (!s.empty() && s.front() == '[') {
    std::size_t close = s.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : s.substr(1, close - 1))
      if (!(IsHex(c) || c == ':')) return false;
    host = {};
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return false;
      colon = close + 1;
    }
  } else {
    colon = s.rfind(':');
    if (colon != std::string_view::npos) host = s.substr(0, colon);
    if (host.empty()) return false;
    std::size_t start = 0;
    while (start <= host.size()) {
      std::size_t dot = host.find('.', start);
      std::string_view label =
          host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      if (label.empty() || label.front() == '-' || label.back() == '-') return false;
      for (char c : label)
        if (!(IsAlnum(c) || c == '-')) return false;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  if (colon != std::string_view::npos) {
    std::string_view port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Status Invalid(std::string_view ref, const std::string& why) {
  return Status::InvalidArgument("invalid image reference " +
                                 QuoteForMessage(ref, kQuotePathLimit) + ": " + why);
}

}  // namespace

std::string Reference::ToString() const {
  std::string out = Name();
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

Result<Reference> ParseReference(std::string_view ref) {
  if (ref.empty()) return Invalid(ref, "empty reference");
  Reference r;
  std::string_view rest = ref;
  if (std::size_t at = rest.find('@'); at != std::string_view::npos) {
    std::string_view digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    std::size_t colon = digest.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return Invalid(ref, "digest must be algorithm:hex");
    std::string_view algorithm = digest.substr(0, colon), hex = digest.substr(colon + 1);
    if (!std::isalpha(static_cast<unsigned char>(algorithm.front())))
      return Invalid(ref, "digest algorithm must start with a letter");
    for (char c : algorithm)
      if (!(IsAlnum(c) || c == '-' || c == '_' || c == '+' || c == '.'))
        return Invalid(ref, "digest algorithm has invalid characters");
    for (char c : hex)
      if (!IsHex(c)) return Invalid(ref, "digest is not hexadecimal");
    if (hex.size() < 32) return Invalid(ref, "digest is too short");
    if (algorithm == "sha256" && hex.size() != 64)
      return Invalid(ref, "a sha256 digest has 64 hex digits");
    r.digest = std::string(digest);
  }
  // A tag follows the last ':' that comes after the last '/' (a ':' before it is a port).
  std::size_t slash = rest.rfind('/');
  std::size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (tag.empty()) return Invalid(ref, "empty tag");
    if (tag.size() > kMaxTagLength) return Invalid(ref, "tag is longer than 128 characters");
    if (!(IsAlnum(tag.front()) || tag.front() == '_'))
      return Invalid(ref, "tag must start with a letter, digit or '_'");
    for (char c : tag)
      if (!(IsAlnum(c) || c == '_' || c == '.' || c == '-'))
        return Invalid(ref,
                       "tag " + QuoteForMessage(tag, kQuotePartLimit) + " has invalid characters");
    r.tag = std::string(tag);
  }
  if (rest.empty()) return Invalid(ref, "empty repository name");
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t next = rest.find('/', start);
    parts.push_back(
        rest.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  std::size_t first = 0;
  if (parts.size() > 1 &&
      (parts[0].find_first_of(".:") != std::string_view::npos || parts[0] == "localhost" ||
       (!parts[0].empty() && parts[0].front() == '['))) {
    if (!ValidRegistry(parts[0]))
      return Invalid(ref, "invalid registry host " + QuoteForMessage(parts[0], kQuotePartLimit));
    r.registry = std::string(parts[0]);
    first = 1;
  } else {
    r.registry = "docker.io";
  }
  if (r.registry == "index.docker.io" || r.registry == "registry-1.docker.io")
    r.registry = "docker.io";
  for (std::size_t i = first; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.empty()) return Invalid(ref, "empty path component");
    if (!ValidComponent(p)) {
      for (char c : p)
        if (std::isupper(static_cast<unsigned char>(c)))
          return Invalid(ref, "repository name must be lowercase");
      return Invalid(ref, "invalid path component " + QuoteForMessage(p, kQuotePartLimit));
    }
    if (!r.repository.empty()) r.repository += "/";
    r.repository += p;
  }
  if (r.registry == "docker.io" && r.repository.find('/') == std::string::npos)
    r.repository = "library/" + r.repository;
  if (r.Name().size() > kMaxNameLength) return Invalid(ref, "name is longer than 255 characters");
  return r;
}

bool SameImage(const Reference& a, const Reference& b) {
  return a.registry == b.registry && a.repository == b.repository;
}

std::string NormalizeRegistryHost(std::string_view key) {
  if (std::size_t scheme = key.find("://"); scheme != std::string_view::npos)
    key.remove_prefix(scheme + 3);
  key = key.substr(0, key.find('/'));
  if (key == "index.docker.io" || key == "registry-1.docker.io") return "docker.io";
  return std::string(key);
}

}  // namespace capstan::image
