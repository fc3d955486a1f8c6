// Registry credentials as Docker finds them: ~/.docker/config.json's `auths`, `credHelpers` and
// `credsStore`, the last two through the docker-credential-helpers protocol (the program
// `docker-credential-<name>` run with argument `get`, the server URL on stdin, JSON on stdout).
//
// No function here puts a username's password, an identity token or a base64 `auth` value into
// a Status message: errors name the registry, the field or the helper, never the content.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/subprocess.h"
#include "image/reference.h"

namespace capstan::registry {

struct RegistryCredential {
  std::string username;
  std::string password;
  // Docker's `identitytoken`: an OAuth refresh token, exchanged at the registry's token
  // endpoint (grant_type=refresh_token). When set, username and password are usually empty.
  std::string identity_token;
};

struct DockerConfig {
  // `auths`, keyed by registry host (see NormalizeRegistryHost). Entries that carry no
  // credential at all (Docker Desktop writes `{}` next to a credsStore) are left out.
  std::map<std::string, RegistryCredential> auths;
  // `credHelpers`: registry host -> helper name (the part after "docker-credential-").
  std::map<std::string, std::string> cred_helpers;
  // `credsStore`: the helper for every registry without a more specific entry; "" when none.
  std::string creds_store;
};

// Registry hosts are normalised by lib/image (image/reference.h), which .capstan.yaml's
// `registries:` reader shares.
using image::NormalizeRegistryHost;

// Parses the content of a Docker config.json. Every other top-level key is ignored.
// An `auths` entry's `auth` is base64 "user:password" and, when present, wins over its
// `username` and `password` fields; `identitytoken` is kept as identity_token. When two keys
// normalise to the same host, the first in key order is kept.
// Fails with kInvalidArgument "invalid docker config: <why>" when the text is not JSON, a field
// has the wrong type, or an `auth` is not base64 of "user:password" (the message names the
// registry, not the value).
Result<DockerConfig> ParseDockerConfig(std::string_view json);

// Runs the credential helper `docker-credential-<helper_name> get` with server_url on its stdin
// and returns its stdout; an empty string means the helper has no credential for server_url.
using HelperRunner = std::function<Result<std::string>(const std::string& helper_name,
                                                       const std::string& server_url)>;

// The credential for registry_host (normalised as above), searched the way the Docker CLI does:
// credHelpers[host] through `run`; else credsStore through `run`; else (or when the store has
// nothing for the host) auths[host]; else nullopt. The server URL given to a helper is
// "https://index.docker.io/v1/" for Docker Hub and the host otherwise. A helper's `{"Username":
// "<token>", "Secret": s}` is an identity token. Returns nullopt when the helper's stdout is empty
// or its Username and Secret are both empty. Fails with run's error, or kIoError when the helper's
// stdout is not the expected JSON.
Result<std::optional<RegistryCredential>> LookUp(const DockerConfig& config,
                                                 std::string_view registry_host,
                                                 const HelperRunner& run);

// A HelperRunner that runs real helpers through `runner` (Env::run_subprocess):
// `docker-credential-<name>` is looked up in search_path (the directories of PATH, in order; the
// caller splits PATH, this library reads no environment) and spawned with the runner's
// environment (the real runner's: the process's own), stdin fed the server URL,
// stderr discarded (helpers may print secrets there), killed after `timeout`.
// The runner returns the helper's stdout when it exits 0, and "" when it exits 1 with
// "credentials not found" on stdout. It fails with kInvalidArgument when the name is not
// [a-z0-9._-]+, kNotFound when no search_path directory holds an executable helper, kTimeout
// when the helper outlives `timeout`, kLimitExceeded when its stdout passes 1 MiB, and kIoError
// "credential helper docker-credential-<name> failed (exit N)" (or "(signal N)") otherwise.
HelperRunner ProcessHelperRunner(SubprocessRunner runner, std::vector<std::string> search_path,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace capstan::registry
