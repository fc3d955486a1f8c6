// Writes the corpora of the capstan-scan benchmark, the same bytes for the same flags on every
// machine:
//   tree DIR     a realistic GitOps repository; --secret-percent of its files get a plaintext
//                Secret appended, and unless --no-tokens, ten credentials are planted (3 AWS
//                access keys, 3 GitHub tokens, 3 PEM private keys, 1 Slack webhook)
//   worst DIR    every file a YAML manifest of 1-5 documents, one of them a plaintext Secret
//   history      a `git fast-import` stream on stdout (see scan_history.h)
// --planted FILE lists what was planted, one "path<TAB>first line<TAB>last line<TAB>kind" a line.
// tree and worst print the counts and an FNV-1a checksum over every path and content; history
// prints its counts on stderr (its commit ids are the checksum).
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/flags.h"
#include "corpus_docs.h"
#include "scan_corpus.h"
#include "scan_history.h"
#include "scan_secrets.h"

namespace capstan::bench {
namespace {

namespace stdfs = std::filesystem;

const flags::Flag kFlags[] = {
    {"files", 0, "N", "files (tree, worst: default 10000; history: first commit, default 2000)"},
    {"secret-percent", 0, "P", "tree: percent of files given a plaintext Secret (default 1)"},
    {"no-tokens", 0, "", "tree: plant no credentials"},
    {"commits", 0, "N", "history: commits on all branches (default 5000)"},
    {"changes", 0, "N",
     "history: every commit after the first changes N files, and --secrets are planted "
     "(default 0: the usual mix)"},
    {"secrets", 0, "N", "history with --changes: secrets planted, a tenth on branches (default 0)"},
    {"planted", 0, "FILE", "write the list of planted secrets to FILE"},
    {"seed", 0, "N", "PRNG seed (default 1)"},
    {"help", 'h', "", "show this help"},
};

// Where tree mode puts its credentials: kind, and the file name the file must end with.
constexpr std::array<std::pair<TokenKind, std::string_view>, 10> kTokenPlan = {{
    {TokenKind::kAwsAccessKey, "/app.env"},
    {TokenKind::kAwsAccessKey, "/app.env"},
    {TokenKind::kAwsAccessKey, "/main.tf"},
    {TokenKind::kGithubToken, "/app.env"},
    {TokenKind::kGithubToken, "/values.yaml"},
    {TokenKind::kGithubToken, "/README.md"},
    {TokenKind::kPemPrivateKey, "/values.yaml"},
    {TokenKind::kPemPrivateKey, "/configmap.yaml"},
    {TokenKind::kPemPrivateKey, "/main.tf"},
    {TokenKind::kSlackWebhook, "/values.yaml"},
}};

struct Summary {
  std::uint64_t bytes = 0;
  std::uint64_t fnv = 0xcbf29ce484222325ULL;

  void Hash(std::string_view s) {
    for (unsigned char c : s) fnv = (fnv ^ c) * 0x100000001b3ULL;
  }
};

// A uniformly chosen index i with fits(files[i]) and !taken[i], or -1.
template <typename Fits>
long PickFile(const std::vector<CorpusFile>& files, const std::vector<bool>& taken, Rng& rng,
              Fits fits) {
  std::vector<long> candidates;
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!taken[i] && fits(files[i])) candidates.push_back(static_cast<long>(i));
  if (candidates.empty()) return -1;
  return candidates[static_cast<std::size_t>(
      rng.Uniform(0, static_cast<int>(candidates.size()) - 1))];
}

Result<std::vector<Planted>> PlantTree(std::vector<CorpusFile>& files, long secret_percent,
                                       bool tokens, Rng& rng) {
  std::vector<Planted> planted;
  std::vector<bool> taken(files.size());
  long secrets = (static_cast<long>(files.size()) * secret_percent + 50) / 100;
  for (long n = 0; n < secrets; ++n) {
    long i = PickFile(files, taken, rng, CanHoldSecret);
    if (i < 0) return Status::InvalidArgument("too few manifests for --secret-percent");
    taken[static_cast<std::size_t>(i)] = true;
    planted.push_back(PlantSecret(rng, files[static_cast<std::size_t>(i)]));
  }
  for (const auto& [kind, suffix] :
       tokens ? std::span(kTokenPlan) : std::span(kTokenPlan).first(0)) {
    // Captured by copy into named variables: clang before 16 cannot capture a structured binding.
    long i = PickFile(files, taken, rng, [k = kind, s = suffix](const CorpusFile& f) {
      return f.path.ends_with(s) && CanPlant(k, f);
    });
    if (i < 0)
      return Status::InvalidArgument("too few files to plant credentials in: raise --files");
    taken[static_cast<std::size_t>(i)] = true;
    planted.push_back(PlantToken(kind, rng, files[static_cast<std::size_t>(i)]));
  }
  return planted;
}

std::vector<CorpusFile> WorstTree(long count, Rng& rng, long& documents) {
  std::vector<CorpusFile> files;
  for (long i = 0; i < count; ++i) {
    AppRef ref = AppAt(i / 12);
    ref.env = kEnvs[static_cast<std::size_t>(i / 4 % 3)];
    CorpusFile f{"apps/" + ref.team + "/" + ref.app + "/" + ref.env + "/" + std::to_string(i % 4) +
                     "-resources.yaml",
                 ""};
    int docs = rng.Uniform(1, 5);
    int secret_at = rng.Uniform(0, docs - 1);
    for (int d = 0; d < docs; ++d) {
      int roll = rng.Uniform(1, 100);
      DocKind kind = d == secret_at ? DocKind::kSecret
                     : roll <= 40   ? DocKind::kDeployment
                     : roll <= 72   ? DocKind::kService
                                    : DocKind::kConfigMap;
      if (d > 0) f.content += "---\n";
      AppendDocument(kind, ref, ref.app + "-" + std::to_string(d), rng, f.content);
    }
    documents += docs;
    files.push_back(std::move(f));
  }
  return files;
}

Status WriteFiles(const stdfs::path& root, const std::vector<CorpusFile>& files, Summary& sum) {
  std::error_code ec;
  if (stdfs::exists(root, ec) && !stdfs::is_empty(root, ec))
    return Status::InvalidArgument("'" + root.string() + "' is not empty");
  for (const CorpusFile& f : files) {
    stdfs::path path = root / f.path;
    stdfs::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary);
    out << f.content;
    if (!out.flush()) return Status::IoError("cannot write '" + path.string() + "'");
    sum.Hash(f.path);
    sum.Hash("\n");
    sum.Hash(f.content);
    sum.bytes += f.content.size();
  }
  return Status::Ok();
}

Status WritePlanted(const std::string& path, const std::vector<Planted>& planted) {
  if (path.empty()) return Status::Ok();
  std::ofstream out(path, std::ios::binary);
  for (const Planted& p : planted)
    out << p.path << '\t' << p.first_line << '\t' << p.last_line << '\t' << p.kind << '\n';
  if (!out.flush()) return Status::IoError("cannot write '" + path + "'");
  return Status::Ok();
}

int Fail(const Status& s, int code) {
  std::cerr << "capstan_bench_gen_scan: " << s.message() << "\n";
  return code;
}

int Run(std::span<const std::string> args) {
  auto parsed = flags::Parse(kFlags, args);
  const auto* pos = parsed.ok() ? &parsed->positionals() : nullptr;
  bool history = pos && !pos->empty() && (*pos)[0] == "history";
  bool usable = pos && ((history && pos->size() == 1) ||
                        (pos->size() == 2 && ((*pos)[0] == "tree" || (*pos)[0] == "worst")));
  if (!parsed.ok() || parsed->Has("help") || !usable) {
    if (!parsed.ok()) std::cerr << "capstan_bench_gen_scan: " << parsed.status().message() << "\n";
    std::cerr << flags::Usage(
        "capstan_bench_gen_scan tree|worst [options] DIR\n"
        "       capstan_bench_gen_scan history [options] | git fast-import",
        "Writes a deterministic corpus for the capstan-scan benchmark.", kFlags);
    return parsed.ok() && parsed->Has("help") ? 0 : 2;
  }
  const std::string& mode = (*pos)[0];
  auto files =
      flags::ParseCount("files", parsed->Get("files", history ? "2000" : "10000"), 1, 10'000'000);
  auto percent = flags::ParseCount("secret-percent", parsed->Get("secret-percent", "1"), 0, 100);
  auto commits = flags::ParseCount("commits", parsed->Get("commits", "5000"), 2, 10'000'000);
  auto changes = flags::ParseCount("changes", parsed->Get("changes", "0"), 0, 1000);
  auto secret_count = flags::ParseCount("secrets", parsed->Get("secrets", "0"), 0, 1'000'000);
  auto seed = flags::ParseCount("seed", parsed->Get("seed", "1"), 0, 1L << 62);
  for (const Status* s : {&files.status(), &percent.status(), &commits.status(), &changes.status(),
                          &secret_count.status(), &seed.status()})
    if (!s->ok()) return Fail(*s, 2);
  Rng rng(static_cast<std::uint64_t>(*seed));
  std::string planted_path = parsed->Get("planted");

  if (history) {
    if (*files < 100) return Fail(Status::InvalidArgument("history needs --files 100 or more"), 2);
    if (*secret_count > 0 && *changes == 0)
      return Fail(Status::InvalidArgument("--secrets needs --changes"), 2);
    auto stats = WriteHistory({*files, *commits, *changes, *secret_count}, rng, std::cout);
    if (!stats.ok()) return Fail(stats.status(), 2);
    if (!std::cout.flush()) return Fail(Status::IoError("cannot write the stream"), 3);
    Status s = WritePlanted(planted_path, stats->planted);
    if (!s.ok()) return Fail(s, 3);
    std::cerr << stats->main_commits + stats->branch_commits << " commits (" << stats->main_commits
              << " on main, " << stats->branch_commits << " on " << stats->branches
              << " branches), " << *files << " files in the first";
    if (*changes > 0) std::cerr << ", " << *changes << " changed in each later one";
    std::cerr << ", " << stats->planted.size() << " secrets planted (" << stats->branch_planted
              << " only on branches)\n";
    return 0;
  }

  Summary sum;
  if (mode == "worst") {
    long documents = 0;
    std::vector<CorpusFile> tree = WorstTree(*files, rng, documents);
    Status s = WriteFiles((*pos)[1], tree, sum);
    if (!s.ok()) return Fail(s, s.code() == StatusCode::kInvalidArgument ? 2 : 3);
    std::printf("%ld files, %ld documents, %ld plaintext Secrets, %llu bytes, fnv1a64 %016llx\n",
                *files, documents, *files, static_cast<unsigned long long>(sum.bytes),
                static_cast<unsigned long long>(sum.fnv));
    return 0;
  }
  std::vector<CorpusFile> tree = CleanTree(*files, rng);
  auto planted = PlantTree(tree, *percent, !parsed->Has("no-tokens"), rng);
  if (!planted.ok()) return Fail(planted.status(), 2);
  Status s = WriteFiles((*pos)[1], tree, sum);
  if (s.ok()) s = WritePlanted(planted_path, *planted);
  if (!s.ok()) return Fail(s, s.code() == StatusCode::kInvalidArgument ? 2 : 3);
  long secrets = std::count_if(planted->begin(), planted->end(),
                               [](const Planted& p) { return p.kind.starts_with("secret-"); });
  std::printf("%ld files, %ld plaintext Secrets, %ld credentials, %llu bytes, fnv1a64 %016llx\n",
              *files, secrets, static_cast<long>(planted->size()) - secrets,
              static_cast<unsigned long long>(sum.bytes), static_cast<unsigned long long>(sum.fnv));
  return 0;
}

}  // namespace
}  // namespace capstan::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return capstan::bench::Run(args);
}
