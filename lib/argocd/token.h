// What capstan can tell about an Argo CD bearer token without asking the server: when it
// expires. Argo CD's tokens (API keys of local accounts, SSO session tokens) are JWTs whose
// payload carries the standard `exp` claim; the signature is the server's to check.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace capstan::argocd {

// The token's expiry, from the `exp` claim (seconds since the epoch) of its JWT payload, read
// without verifying the signature. nullopt when the token is not a JWT (three base64url parts
// separated by dots, the middle one a JSON object) or carries no numeric `exp` (an API key
// generated without --expires-in has none). Never echoes the token.
std::optional<std::chrono::system_clock::time_point> TokenExpiry(std::string_view token);

}  // namespace capstan::argocd
