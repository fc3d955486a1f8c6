// The documents of the benchmark corpus: Deployments, Services, ConfigMaps, Secrets and Argo CD
// Applications shaped and sized like those of a real GitOps repository, and all valid against
// capstan's built-in schemas under --strict, so the benchmark times a validator on clean input.
// Everything is a function of the Rng state, so the same seed gives the same bytes.
#pragma once

#include <cstdint>
#include <string>

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

}  // namespace capstan::bench
