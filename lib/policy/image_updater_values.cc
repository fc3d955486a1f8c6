#include "policy/image_updater_values.h"

#include <vector>

#include "core/strings.h"

namespace capstan::policy::internal {
namespace {

std::string Hint(std::string_view value, std::initializer_list<std::string_view> known) {
  std::string closest = Closest(value, std::vector<std::string_view>(known));
  return closest.empty() ? "" : " (did you mean '" + closest + "'?)";
}

// Whether s is two non-empty parts around exactly one `sep`.
bool TwoParts(std::string_view s, char sep) {
  std::size_t at = s.find(sep);
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() &&
         s.find(sep, at + 1) == std::string_view::npos;
}

}  // namespace

std::optional<std::string> UpdateStrategyProblem(std::string_view value,
                                                 image::Strategy* strategy) {
  std::string v = AsciiLower(value);
  if (v == "semver") {
    *strategy = image::Strategy::kSemver;
  } else if (v == "newest-build" || v == "latest") {
    *strategy = image::Strategy::kNewestBuild;
  } else if (v == "alphabetical" || v == "name") {
    *strategy = image::Strategy::kAlphabetical;
  } else if (v == "digest") {
    *strategy = image::Strategy::kDigest;
  } else {
    return "unknown update-strategy " + QuoteForMessage(value) +
           ": expected semver, newest-build, digest or alphabetical (Image Updater would use "
           "semver)" +
           Hint(value, {"semver", "newest-build", "digest", "alphabetical", "latest", "name"});
  }
  return std::nullopt;
}

std::optional<std::string> AllowTagsProblem(std::string_view value) {
  if (value.empty() || AsciiLower(value) == "any") return std::nullopt;
  std::size_t colon = value.find(':');
  if (colon == std::string_view::npos || AsciiLower(value.substr(0, colon)) != "regexp") {
    return "allow-tags " + QuoteForMessage(value) +
           " must be 'any' or regexp:<expression>: Image Updater would allow no tag";
  }
  image::TagPolicy policy;
  policy.strategy = image::Strategy::kNewestBuild;
  policy.allow_regex = std::string(value.substr(colon + 1));
  if (Status s = image::ValidatePolicy(policy); !s.ok()) return s.message();
  return std::nullopt;
}

std::optional<std::string> ForceUpdateProblem(std::string_view value) {
  for (std::string_view b :
       {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"})
    if (value == b) return std::nullopt;
  return "force-update " + QuoteForMessage(value) + " is not a boolean: expected true or false";
}

std::optional<std::string> PullSecretProblem(std::string_view value) {
  std::string_view spec = value;
  if (std::size_t eq = spec.find('=');
      eq != std::string_view::npos && eq > 0 && eq + 1 < spec.size())
    spec = spec.substr(eq + 1);
  std::string expected =
      ": expected pullsecret:<namespace>/<name>, secret:<namespace>/<name>#<field>, "
      "env:<variable> or ext:<script>";
  if (!TwoParts(spec, ':'))
    return "pull-secret " + QuoteForMessage(value) + " is malformed" + expected;
  std::size_t colon = spec.find(':');
  std::string type = AsciiLower(spec.substr(0, colon));
  std::string_view def = spec.substr(colon + 1);
  bool ok = true;
  if (type == "secret") {
    std::size_t hash = def.find('#');
    ok = TwoParts(def, '#') && TwoParts(def.substr(0, hash), '/');
  } else if (type == "pullsecret") {
    ok = TwoParts(def, '/');
  } else if (type != "env" && type != "ext") {
    return "pull-secret " + QuoteForMessage(value) + " names an unknown credential source " +
           QuoteForMessage(spec.substr(0, colon)) + expected;
  }
  if (!ok) return "pull-secret " + QuoteForMessage(value) + " is malformed" + expected;
  return std::nullopt;
}

std::optional<std::string> WriteBackMethodProblem(std::string_view value) {
  std::string_view method = Trim(value);
  if (method == "argocd" || method == "git") return std::nullopt;
  if (method.starts_with("git:")) {
    std::string_view creds = method.substr(4);
    if (creds == "repocreds" || creds.starts_with("secret:")) return std::nullopt;
    return "write-back-method " + QuoteForMessage(value) + " names unknown credentials " +
           QuoteForMessage(creds) + ": expected git:repocreds or git:secret:<namespace>/<secret>";
  }
  return "unknown write-back-method " + QuoteForMessage(value) +
         ": expected argocd, git or git:<credentials>" + Hint(method, {"argocd", "git"});
}

}  // namespace capstan::policy::internal
