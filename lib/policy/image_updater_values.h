// Internal to lib/policy (not part of its interface): how Argo CD Image Updater itself reads
// the values of its annotations, for ImageUpdaterProblems. Read from argocd-image-updater
// de2cfec (2026-08-18) and v0.17.0: registry-scanner/pkg/image/options.go (ParseUpdateStrategy,
// ParseMatch), registry-scanner/pkg/image/credentials.go (ParseCredentialSource),
// pkg/argocd/annotations.go (strconv.ParseBool for force-update), pkg/argocd/argocd.go and
// gitcreds.go (write-back-method). Each function returns why Image Updater would refuse,
// misread or silently ignore the value, as a one-line message naming it, or nullopt when Image
// Updater reads it as meant.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "image/tag_select.h"

namespace capstan::policy::internal {

// semver, newest-build (or the legacy latest), alphabetical (or the legacy name), digest, in
// any letter case; anything else Image Updater replaces by semver with a log line. On success
// sets *strategy.
std::optional<std::string> UpdateStrategyProblem(std::string_view value, image::Strategy* strategy);

// "any" or "" (every tag), or "regexp:<expression>" (the prefix in any case) with an
// expression that compiles. Image Updater reads any other value as "match no tag".
std::optional<std::string> AllowTagsProblem(std::string_view value);

// A boolean as Go's strconv.ParseBool reads it: 1, t, T, TRUE, true, True, 0, f, F, FALSE,
// false, False. Image Updater refuses the Application's settings otherwise.
std::optional<std::string> ForceUpdateProblem(std::string_view value);

// [<registry>=]<type>:<definition>, type secret (<namespace>/<name>#<field>), pullsecret
// (<namespace>/<name>), env (<variable>) or ext (<script path>), in any case.
std::optional<std::string> PullSecretProblem(std::string_view value);

// argocd, git, or git:<credentials> with credentials repocreds or secret:<secret> (white space
// around the value trimmed, as Image Updater trims it).
std::optional<std::string> WriteBackMethodProblem(std::string_view value);

}  // namespace capstan::policy::internal
