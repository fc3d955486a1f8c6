// The files of the capstan-scan benchmark: a GitOps repository as teams keep one (Kustomize bases
// and overlays, Helm values, Argo CD Applications, Terraform, Grafana dashboards, READMEs, env
// files), with the secret handling such repositories use and a scanner must leave alone
// (SealedSecrets, ExternalSecrets, SOPS-encrypted Secrets, Argo CD Vault Plugin placeholders,
// secretKeyRefs). No file holds a secret; scan_secrets.h plants them. Everything is a function
// of the Rng state, so a seed fixes the bytes.
#pragma once

#include <string>
#include <vector>

#include "corpus_docs.h"

namespace capstan::bench {

struct CorpusFile {
  std::string path;  // relative to the repository root, '/'-separated
  std::string content;
};

// The application the index-th app directory holds: teams first, then apps, then a numbered
// round ("api-2") once every team/app pair is used.
AppRef AppAt(long index);

// The application of a file under apps/<team>/<app>/, with env "base"; platform/shared for
// any other path.
AppRef AppOfPath(std::string_view path);

// Appends the files at the repository root: .gitignore, README.md, .sops.yaml, docs/.
void AppendRootFiles(Rng& rng, std::vector<CorpusFile>& out);

// Appends a team's Terraform: infra/<team>/{main,variables,outputs}.tf.
void AppendTeamFiles(std::string_view team, Rng& rng, std::vector<CorpusFile>& out);

// Appends every file of one application (ref.env is ignored): either a Kustomize base with three
// overlays or Helm values for three environments, its Argo CD Applications and README, and
// sometimes an env file, a dashboard, an autoscaler, and a SealedSecret, ExternalSecret, SOPS
// Secret or Vault-plugin Secret. No file holds a secret.
void AppendAppFiles(const AppRef& ref, Rng& rng, std::vector<CorpusFile>& out);

// The files of a realistic repository of exactly `files` files, none holding a secret.
std::vector<CorpusFile> CleanTree(long files, Rng& rng);

// True for files a plaintext Secret can be appended to: the manifests of a Kustomize base.
bool CanHoldSecret(const CorpusFile& file);

}  // namespace capstan::bench
