#include "secrets/secret_names.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace capstan::secrets {
namespace {

std::vector<std::string> Words(std::string_view name) {
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) words.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (!std::isalnum(c)) {
      flush();
      continue;
    }
    // "apiKey" -> api|Key; "APIKey" -> API|Key (an upper letter followed by a lower one starts
    // a word when the previous letter was upper too).
    if (std::isupper(c) && !cur.empty()) {
      auto prev = static_cast<unsigned char>(name[i - 1]);
      bool next_lower =
          i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && next_lower)) flush();
    }
    cur += static_cast<char>(std::toupper(c));
  }
  flush();
  return words;
}

bool In(const std::string& w, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), w) != set.end();
}

}  // namespace

bool LooksSecretName(std::string_view name) {
  return ClassifySecretName(name) != SecretNameKind::kNone;
}

SecretNameKind ClassifySecretName(std::string_view name) {
  constexpr SecretNameKind kNone = SecretNameKind::kNone;
  std::vector<std::string> w = Words(name);
  if (w.empty() || w.front() == "EXISTING") return kNone;
  const std::string& last = w.back();
  if (In(last,
         {"FILE",        "FILES",    "PATH",     "DIR",        "URL",    "URI",      "ENDPOINT",
          "HOST",        "HOSTNAME", "PORT",     "NAME",       "USER",   "USERNAME", "TYPE",
          "REF",         "TTL",      "EXPIRY",   "EXPIRATION", "LENGTH", "LEN",      "HEADER",
          "ENABLED",     "ENABLE",   "DISABLED", "MODE",       "ID",     "FIELD",    "PREFIX",
          "SUFFIX",      "FORMAT",   "POLICY",   "ALGORITHM",  "ISSUER", "AUDIENCE", "LIFETIME",
          "TIMEOUT",     "DURATION", "SECONDS",  "INTERVAL",   "SIZE",   "VERSION",  "REGION",
          "NAMESPACE",   "PROVIDER", "KIND",     "LOCATION",   "SOURCE", "METHOD",   "STORE",
          "ANNOTATIONS", "LABELS",   "MOUNT",    "VOLUME",     "CREATE", "REQUIRED"}))
    return kNone;
  if (last == "KEY" && w.size() >= 2 &&
      In(w[w.size() - 2], {"PASSWORD", "PASSWD", "PWD", "TOKEN", "CREDENTIAL", "CREDENTIALS"}))
    return kNone;
  SecretNameKind kind = kNone;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (In(w[i], {"PASSWORD", "PASSWD", "PWD", "PASSPHRASE", "TOKEN", "APIKEY", "PRIVATEKEY",
                  "ACCESSKEY"}))
      return SecretNameKind::kHolder;
    if (i + 1 < w.size() && w[i + 1] == "KEY" &&
        In(w[i], {"API", "PRIVATE", "ACCESS", "MASTER", "ENCRYPTION", "SIGNING"}))
      return SecretNameKind::kHolder;
    if (In(w[i], {"SECRET", "SECRETS", "CREDENTIAL", "CREDENTIALS", "SECRETKEY", "AUTH"}))
      kind = SecretNameKind::kMaybeReference;
  }
  return kind;
}

bool IsInertValue(std::string_view value) {
  std::string v;
  for (char c : value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "true" || v == "false" || v == "yes" || v == "no" || v == "on" || v == "off")
    return true;
  return v.size() > 1 && v[0] == '/' && v.find_first_of(" \t\n") == std::string::npos;
}

}  // namespace capstan::secrets
