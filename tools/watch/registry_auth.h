// Where capstan-watch finds registry credentials, per registry host, in this order:
//   1. a `registries:` entry of .capstan.yaml naming the host with `credentials:`
//        env:NAME   the variable holds "user:password"
//        file:PATH  the file holds "user:password" (trailing newline ignored)
//        ext:PATH   the program prints "user:password" (run each cycle, so short-lived
//                   tokens such as ECR's are renewed; stderr discarded, 30 s timeout)
//   2. the Docker config (--docker-config, else $DOCKER_CONFIG/config.json, else
//      ~/.docker/config.json): credHelpers, credsStore, auths, as the Docker CLI reads them;
//   3. none: anonymous.
// No value read here ever appears in a message: errors name the variable, file or program.
#pragma once

#include <string>
#include <vector>

#include "core/env.h"
#include "policy/sources.h"
#include "registry/client.h"

namespace capstan::tools::watch {

struct AuthSettings {
  std::vector<policy::RegistrySettings> registries;  // from .capstan.yaml
  std::string docker_config;                         // resolved path; "" = no Docker config
};

// The Docker config path the environment points at: $DOCKER_CONFIG/config.json, else
// $HOME/.docker/config.json, else "".
std::string DefaultDockerConfig(Env& env);

// A CredentialLookup for registry::Client. The Docker config is read (and parsed) on each
// lookup, so a file updated between cycles is seen. Fails with kInvalidArgument
// "cannot read registry credentials for <host> from <source>: <why>" for a malformed value,
// kNotFound for a missing variable or file, and the helper's failure for ext: programs.
registry::CredentialLookup MakeCredentialLookup(Env& env, AuthSettings settings);

}  // namespace capstan::tools::watch
