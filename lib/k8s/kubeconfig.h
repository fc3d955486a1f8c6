// Reading a kubeconfig (`kind: Config`, as kubectl and client-go read it) for the one thing
// capstan does with a cluster: call its API server as the context's user. What is read:
//  - the context: the one named by the caller, else `current-context`;
//  - its cluster's `server`, `certificate-authority` (a file; a relative path is relative to
//    the kubeconfig's directory, as client-go resolves it) or `certificate-authority-data`
//    (base64 PEM; it wins over the file), `insecure-skip-tls-verify`, `tls-server-name`;
//  - its user's `token` or `tokenFile` (the token wins; the file's content is trimmed, as
//    client-go does), `client-certificate(-data)` and `client-key(-data)` (data wins over
//    file), `username` / `password`; a context without a user calls anonymously;
//  - the context's `namespace`.
// `exec` and `auth-provider` users (cloud plugins) are refused: capstan runs no plugins.
// One file only: KUBECONFIG's list of files to merge is the caller's (use the first that
// holds the context). Files named by the kubeconfig are read through the same FileSystem when
// the kubeconfig is read, so a missing one is reported with the position that names it.
//
// No message ever holds a token, password, key or certificate: values of those fields are
// never quoted, only named.
#pragma once

#include <cstdint>
#include <string>

#include "core/env.h"
#include "core/result.h"

namespace capstan::k8s {

// Everything needed to call one cluster's API as one user. PEM and token material is held in
// memory; the caller must not print any of it.
struct KubeAccess {
  std::string context;            // the context's name
  std::string server;             // "https://host:6443" as written (may carry a path prefix)
  std::string context_namespace;  // "" when the context sets none (kubectl then uses "default")
  // TLS: the cluster's CA bundle (PEM, from the data field or the file); "" = system store.
  std::string ca_pem;
  bool insecure_skip_verify = false;
  std::string tls_server_name;  // "" = the server URL's host
  // Credentials. The Authorization header carries the token when there is one, else basic
  // credentials (AuthorizationHeader); a client certificate is offered whenever given.
  std::string token;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string username;
  std::string password;
};

struct KubeconfigOptions {
  // The context to use; "" = the file's `current-context`.
  std::string context;
  // Files larger than this (the kubeconfig and the files it names) fail with kLimitExceeded.
  std::uint64_t max_file_bytes = 4u << 20;
};

// Reads the kubeconfig at `path` (as the FileSystem takes it: absolute, or relative to the
// process's working directory) and resolves the context. Fails with:
//  kNotFound         the kubeconfig does not exist ("cannot read kubeconfig '<path>': ...");
//                    the context is not in the file ("<path>:<line>:<col>: context '<name>' not
//                    found in contexts", at `current-context`'s value or at `contexts`); the
//                    context's cluster or user is not in the file; a file it names does not
//                    exist ("<path>:<line>:<col>: certificate-authority: cannot read
//                    '<resolved file>': no such file or directory"; also tokenFile,
//                    client-certificate, client-key)
//  kIoError          a file cannot be read
//  kLimitExceeded    a file is larger than options.max_file_bytes
//  kParseError       the kubeconfig is not YAML ("<path>:<line>:<col>: invalid YAML: ...")
//  kInvalidArgument  the file is empty or its root is not a mapping; no context is named and
//                    `current-context` is empty; a context without a cluster; a field has the wrong
//                    type or a bad value ("<path>:<line>:<col>: certificate-authority-data is
//                    not valid base64", "server ... must be an https:// or http:// URL"); the
//                    cluster has no server; insecure-skip-tls-verify together with a CA (kubectl
//                    refuses it too); a client certificate without a key or the reverse; and
//                    a user that authenticates through a plugin, which capstan does not run
//                    ("<path>:<line>:<col>: user '<name>' authenticates with an exec plugin,
//                    which capstan does not run: give the context a user with a token (e.g.
//                    from `kubectl create token`) or a client certificate"; the same for
//                    auth-provider). core/status.h has no "unimplemented" code; this is a
//                    configuration capstan cannot use, so a tool exits 2 on it.
// Every position is 1-based line:column of the offending key or value.
Result<KubeAccess> ReadKubeconfig(FileSystem* fs, const std::string& path,
                                  const KubeconfigOptions& options = {});

// The `Authorization` header value for the access's credentials: "Bearer <token>",
// "Basic <base64(user:password)>", or "" when it authenticates by client certificate or not at
// all. Secret: never print it.
std::string AuthorizationHeader(const KubeAccess& access);

}  // namespace capstan::k8s
