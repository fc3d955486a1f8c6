// Writes the benchmark corpus: a GitOps repository of --files files holding --docs documents,
// the same bytes for the same flags on every machine. Manifests go to
// apps/<team>/<app>/<env>/, Argo CD Applications to argocd/<team>/<app>/. Prints the counts and
// an FNV-1a checksum over every path and content, so two runs can be compared at a glance.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/flags.h"
#include "corpus_docs.h"

namespace capstan::bench {
namespace {

namespace stdfs = std::filesystem;

const flags::Flag kFlags[] = {
    {"files", 0, "N", "number of files (default 10000)"},
    {"docs", 0, "N", "number of documents over all files, 1 to 5 per file (default 30000)"},
    {"seed", 0, "N", "PRNG seed (default 1)"},
    {"help", 'h', "", "show this help"},
};

constexpr int kFilesPerDir = 4;

// Manifest files mix kinds with these weights (percent); Application files hold only those.
constexpr int kApplicationFilePercent = 10;
constexpr std::array<std::pair<DocKind, int>, 4> kManifestWeights = {{
    {DocKind::kDeployment, 35},
    {DocKind::kService, 27},
    {DocKind::kConfigMap, 22},
    {DocKind::kSecret, 16},
}};

DocKind PickManifestKind(Rng& rng) {
  int roll = rng.Uniform(1, 100);
  for (const auto& [kind, weight] : kManifestWeights) {
    if (roll <= weight) return kind;
    roll -= weight;
  }
  return DocKind::kDeployment;
}

AppRef AppFor(long file_index) {
  long unit = file_index / kFilesPerDir;
  long app = unit / static_cast<long>(kEnvs.size());
  long round = app / static_cast<long>(kTeams.size() * kApps.size());
  AppRef ref;
  ref.env = kEnvs[static_cast<std::size_t>(unit) % kEnvs.size()];
  ref.team = kTeams[static_cast<std::size_t>(app) % kTeams.size()];
  ref.app = kApps[static_cast<std::size_t>(app / static_cast<long>(kTeams.size())) % kApps.size()];
  if (round > 0) ref.app += "-" + std::to_string(round + 1);
  return ref;
}

std::string BaseName(DocKind kind, const AppRef& ref) {
  switch (kind) {
    case DocKind::kConfigMap:
      return ref.app + "-config";
    case DocKind::kSecret:
      return ref.app + "-db";
    case DocKind::kApplication:
      return ref.team + "-" + ref.app + "-" + ref.env;
    default:
      return ref.app;
  }
}

struct Totals {
  std::array<long, 5> per_kind{};
  std::uint64_t bytes = 0;
  std::uint64_t fnv = 0xcbf29ce484222325ULL;

  void Hash(std::string_view s) {
    for (unsigned char c : s) fnv = (fnv ^ c) * 0x100000001b3ULL;
  }
};

// One file's documents and its path relative to the corpus root.
std::pair<std::string, std::string> MakeFile(long index, int docs, Rng& rng, Totals& totals) {
  AppRef ref = AppFor(index);
  int slot = static_cast<int>(index % kFilesPerDir);
  bool applications = rng.Uniform(1, 100) <= kApplicationFilePercent;
  std::array<int, 5> seen{};
  std::string content;
  std::string label = applications ? "applications" : "resources";
  for (int d = 0; d < docs; ++d) {
    DocKind kind = applications ? DocKind::kApplication : PickManifestKind(rng);
    if (docs == 1) label = KindLabel(kind);
    int& n = seen[static_cast<std::size_t>(kind)];
    std::string name = BaseName(kind, ref);
    int ordinal = slot * 8 + n++;
    if (ordinal > 0) name += "-" + std::to_string(ordinal);
    if (d > 0) content += "---\n";
    AppendDocument(kind, ref, name, rng, content);
    ++totals.per_kind[static_cast<std::size_t>(kind)];
  }
  std::string dir = applications ? "argocd/" + ref.team + "/" + ref.app
                                 : "apps/" + ref.team + "/" + ref.app + "/" + ref.env;
  std::string file = std::to_string(slot) + "-" + (applications ? ref.env + "-" : "") + label;
  return {dir + "/" + file + ".yaml", std::move(content)};
}

int Run(std::span<const std::string> args) {
  auto parsed = flags::Parse(kFlags, args);
  if (!parsed.ok() || parsed->Has("help") || parsed->positionals().size() != 1) {
    if (!parsed.ok()) std::cerr << "capstan_bench_gen: " << parsed.status().message() << "\n";
    std::cerr << flags::Usage("capstan_bench_gen [options] DIR",
                              "Writes the deterministic benchmark corpus into DIR (new or empty).",
                              kFlags);
    return parsed.ok() && parsed->Has("help") ? 0 : 2;
  }
  auto files = flags::ParseCount("files", parsed->Get("files", "10000"), 1, 10'000'000);
  auto docs = flags::ParseCount("docs", parsed->Get("docs", "30000"), 1, 50'000'000);
  auto seed = flags::ParseCount("seed", parsed->Get("seed", "1"), 0, 1L << 62);
  for (const Status* s : {&files.status(), &docs.status(), &seed.status()}) {
    if (!s->ok()) {
      std::cerr << "capstan_bench_gen: " << s->message() << "\n";
      return 2;
    }
  }
  if (*docs < *files || *docs > 5 * *files) {
    std::cerr << "capstan_bench_gen: --docs must be between --files and 5 times --files\n";
    return 2;
  }
  stdfs::path root = parsed->positionals()[0];
  std::error_code ec;
  if (stdfs::exists(root, ec) && !stdfs::is_empty(root, ec)) {
    std::cerr << "capstan_bench_gen: '" << root.string() << "' is not empty\n";
    return 2;
  }

  Rng rng(static_cast<std::uint64_t>(*seed));
  Totals totals;
  long docs_left = *docs;
  for (long i = 0; i < *files; ++i) {
    long files_after = *files - i - 1;
    int lo = static_cast<int>(std::max(1L, docs_left - 5 * files_after));
    int hi = static_cast<int>(std::min(5L, docs_left - files_after));
    int count = rng.Uniform(lo, hi);
    docs_left -= count;
    auto [rel, content] = MakeFile(i, count, rng, totals);
    stdfs::path path = root / rel;
    stdfs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out.flush()) {
      std::cerr << "capstan_bench_gen: cannot write '" << path.string() << "'\n";
      return 3;
    }
    totals.Hash(rel);
    totals.Hash("\n");
    totals.Hash(content);
    totals.bytes += content.size();
  }
  const auto& k = totals.per_kind;
  std::printf(
      "%ld files, %ld documents (%ld Deployment, %ld Service, %ld ConfigMap, %ld Secret, "
      "%ld Application), %llu bytes, fnv1a64 %016llx\n",
      *files, *docs, k[0], k[1], k[2], k[3], k[4], static_cast<unsigned long long>(totals.bytes),
      static_cast<unsigned long long>(totals.fnv));
  return 0;
}

}  // namespace
}  // namespace capstan::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return capstan::bench::Run(args);
}
