// The documents of the benchmark corpus: Deployments, Services, ConfigMaps, Secrets and Argo CD
// Applications shaped and sized like those of a real GitOps repository, and all valid against
// capstan's built-in schemas under --strict, so the benchmark times a validator on clean input.
// Everything is a function of the Rng state, so the same seed gives the same bytes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace capstan::bench {

// splitmix64: tiny, fast and the same on every platform, unlike std:: distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();
  // A value in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  int Uniform(int lo, int hi);
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }

 private:
  std::uint64_t state_;
};

// Teams, applications and environments, from which the corpora name their directories,
// namespaces and resources.
inline constexpr std::array<std::string_view, 12> kTeams = {
    "payments", "search",  "identity", "platform", "data", "web",
    "mobile",   "billing", "growth",   "ml",       "ops",  "catalog"};
inline constexpr std::array<std::string_view, 16> kApps = {
    "api",      "worker", "gateway", "frontend", "scheduler", "indexer", "notifier", "ledger",
    "importer", "auth",   "session", "reports",  "pricing",   "cart",    "checkout", "profile"};
inline constexpr std::array<std::string_view, 3> kEnvs = {"dev", "staging", "prod"};

enum class DocKind { kDeployment, kService, kConfigMap, kSecret, kApplication };

// The application a document belongs to, which fixes its names, namespace and labels.
struct AppRef {
  std::string team;  // also the Argo CD project
  std::string app;
  std::string env;  // dev, staging or prod
};

// Appends one document, without a "---" separator, to out. name is its metadata.name.
void AppendDocument(DocKind kind, const AppRef& ref, const std::string& name, Rng& rng,
                    std::string& out);

// "deployment", "service", ...: used in file and resource names.
const char* KindLabel(DocKind kind);

// Appends the metadata block every namespaced document of the corpora carries: name, namespace
// <team>-<env> and the app.kubernetes.io labels.
void AppendMetadata(const AppRef& ref, const std::string& name, std::string& out);

// A semantic version "M.m.p" with small numbers, as image tags are.
std::string Version(Rng& rng);

// Standard base64 with padding.
std::string Base64(std::string_view in);

// length letters and digits, without the look-alikes 0, 1, O, I and l.
std::string RandomToken(Rng& rng, int length);

}  // namespace capstan::bench
