// Secret-shaped content for the capstan-scan benchmark. Two halves: documents that carry secrets
// the safe way and must not be reported (SealedSecret, SOPS-encrypted Secret), and the mistakes
// that must be, planted into a file on request: a plaintext Secret or a provider credential made
// in that provider's published format (an AWS access key id, a GitHub token with a valid CRC32
// checksum, a PEM private key, a Slack webhook). Each plant returns where it went, so the
// benchmark can score each tool on the secrets it was given.
#pragma once

#include <string>
#include <string_view>

#include "corpus_docs.h"
#include "scan_corpus.h"

namespace capstan::bench {

// A secret put in a file on purpose.
struct Planted {
  std::string path;
  int first_line = 0;  // 1-based and inclusive: a finding on these lines reports this secret
  int last_line = 0;
  // "secret-data", "secret-stringdata", "aws-access-key", "github-token", "pem-private-key" or
  // "slack-webhook".
  std::string kind;
};

// n characters of the bech32 alphabet age keys are written in.
std::string AgeChars(Rng& rng, int n);

// A Bitnami SealedSecret whose encryptedData looks like kubeseal's output.
std::string SealedSecret(const AppRef& ref, Rng& rng);

// A Secret encrypted by SOPS with age (encrypted_regex ^(data|stringData)$), with well-formed
// ENC[AES256_GCM,...] values and metadata as SOPS 3.8 writes them.
std::string SopsSecret(const AppRef& ref, Rng& rng);

// Appends a plaintext Secret document (base64 `data` or clear `stringData`) to file, after a
// "---" line when the file is not empty. Names and namespace come from the file's
// apps/<team>/<app>/ path. Returns what was planted.
Planted PlantSecret(Rng& rng, CorpusFile& file);

enum class TokenKind { kAwsAccessKey, kGithubToken, kPemPrivateKey, kSlackWebhook };

// True when a token of this kind can be appended to file in its own syntax: env files (AWS,
// GitHub), Terraform main.tf (AWS, PEM), Helm values.yaml (GitHub, PEM, Slack), a ConfigMap
// file (PEM) and an app README (GitHub).
bool CanPlant(TokenKind kind, const CorpusFile& file);

// Appends a freshly made credential of this kind to the end of file.
// REQUIRES: CanPlant(kind, file). Returns what was planted.
Planted PlantToken(TokenKind kind, Rng& rng, CorpusFile& file);

// Number of lines of text (a last line without '\n' counts).
int CountLines(std::string_view text);

}  // namespace capstan::bench
