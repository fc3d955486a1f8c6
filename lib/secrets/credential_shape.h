// What a literal value looks like when a rule has to decide whether it is a credential or
// something that merely sits beside one: connection metadata (hosts, addresses, ports, URLs
// without a password), a connection string whose secret parts are placeholders, the name of a
// Secret kept elsewhere, or a random-looking token. Pure functions over one value; no I/O.
#pragma once

#include <string_view>

#include "secrets/placeholder.h"

namespace capstan::secrets {

// Connection metadata that is never a credential on its own: an IPv4 or IPv6 address (with an
// optional port or CIDR suffix), a port number, a DNS host name with at least one dot and an
// alphabetic last label (with an optional port), an e-mail address, or a URL (`scheme://…`)
// without user-info and without a query parameter whose name looks secret. Shape only: callers
// that know the key looks secret decide before asking.
//   10.0.0.12:5432, fd00::1, 443, db.prod.svc.cluster.local, https://grafana.example.com/d/x
//     -> true
//   hunter2, https://user:pw@host/, https://host/?token=abc, 10.0.0 -> false
bool IsConnectionMetadata(std::string_view value);

// A connection string assembled from placeholders (IsPlaceholder's forms, PlaceholderLength):
// the value holds at least one placeholder, is a URL (`scheme://…`) or a list of `key=value`
// pairs (`host=db user={{ .u }} password={{ .p }}`, `Server=…;Password=${PW}`), and every
// secret-bearing part is a placeholder or empty: a URL's password (or its user-info when there is
// no password, as in https://TOKEN@host), a URL query value or a pair's value whose key looks
// secret. The rest is connection metadata.
//   postgres://{{ .user }}:{{ .password }}@db:5432/app, postgres://<u>:<p>@db/app (AVP) -> true
//   postgres://{{ .user }}:hunter2@db/app, https://{{ .host }}/?token=abc, pass-${X} -> false
bool IsConnectionTemplate(std::string_view value, const PlaceholderContext& context = {});

// A URL whose user-info holds a literal password (`scheme://user:password@host`) or a literal
// token (`https://TOKEN@host`, where the token is not a plain user name such as `git`).
bool HasUrlCredential(std::string_view value);

// A short identifier-like value that names where a secret is kept rather than being one: a
// Kubernetes object or key name (`db-credentials`, `tailscale`, `tls.key`), an environment
// variable name (`DB_PASSWORD`, `NAME`), a relative file path, or such a name built from Helm
// template expressions (`{{ .Release.Name }}-secret`). Each part between '-', '.', '_' and '/'
// is all letters or all digits (short mixed parts such as `v2` or `k8s` allowed), so
// `minio123` or `s3cr3t-pw` are not references.
bool IsSecretReference(std::string_view value);

// A single random-looking token: 16 or more characters without whitespace, letters and digits
// mixed, at least 3.5 bits of Shannon entropy per character, and not a name made of words
// (IsSecretReference), a host, address or URL (IsConnectionMetadata), a UUID or a version.
bool LooksRandom(std::string_view value);

// Whether a literal under `key`, in a place where a value is not a secret by position alone
// (External Secrets and SealedSecret template data, Helm values), looks like one. Never for a
// placeholder, a connection template, a boolean or an absolute path. Otherwise: under a key that
// can only hold secret material (ClassifySecretName kHolder) always; under a key that may name a
// Secret (kMaybeReference) unless the value IsSecretReference; under any other key when the
// value carries a URL credential, LooksRandom, or is several lines of which one assigns a literal
// to a secret-looking key (`password: x`, `TOKEN=x`). Credential formats (token rules) are the
// caller's to check.
bool KeyedLiteralLooksSecret(std::string_view key, std::string_view value,
                             const PlaceholderContext& context = {});

}  // namespace capstan::secrets
