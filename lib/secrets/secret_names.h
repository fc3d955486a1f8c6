// Whether a name (an env var, a Helm values key) says that its value is a secret.
#pragma once

#include <string_view>

namespace capstan::secrets {

// Splits the name into words at '_', '-', '.', spaces and camelCase boundaries, then says yes
// when a word is PASSWORD, PASSWD, PWD, PASSPHRASE, SECRET(S), TOKEN, CREDENTIAL(S), APIKEY,
// PRIVATEKEY, ACCESSKEY, SECRETKEY or AUTH (a whole word: REDIS_AUTH, not OAUTH_ISSUER), or a pair
// is API/PRIVATE/ACCESS/SECRET/MASTER/ENCRYPTION/ SIGNING/AUTH followed by KEY. Names that point at
// a secret rather than hold it say no: a last word such as FILE, PATH, URL, NAME, REF, TTL,
// ENABLED, ID or KEY after PASSWORD/TOKEN
// (`adminPasswordKey` names a key inside a Secret), and a first word EXISTING
// (`existingSecret`).
//   DB_PASSWORD, apiKey, GITHUB_TOKEN, SECRET_KEY     -> true
//   PASSWORD_FILE, secretKeyRef, TOKEN_URL, existingSecret, LOG_LEVEL -> false
bool LooksSecretName(std::string_view name);

// Whether a name LooksSecretName says yes to can only hold secret material (kHolder: a word or
// pair such as PASSWORD, PASSWD, PWD, PASSPHRASE, TOKEN, APIKEY, PRIVATEKEY, ACCESSKEY, API KEY,
// MASTER KEY) or may just as well name where a secret is kept (kMaybeReference: only SECRET(S),
// SECRET KEY, CREDENTIAL(S) or AUTH, as in `envFromSecret`, `TS_KUBE_SECRET`, `secretKey`,
// `credentials`, whose value is often a Secret's name). kNone when LooksSecretName says no.
enum class SecretNameKind { kNone, kHolder, kMaybeReference };
SecretNameKind ClassifySecretName(std::string_view name);

// A value that cannot be a credential whatever its key says: a YAML boolean word (true, false,
// yes, no, on, off), or an absolute file path (`/run/secrets/db`).
bool IsInertValue(std::string_view value);

}  // namespace capstan::secrets
