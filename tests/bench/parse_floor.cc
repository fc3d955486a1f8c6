// The benchmark's floor: reads the same files as capstan-validate, with the same reader and the
// same -j worker pool, and only parses them with yaml-cpp's YAML::LoadAll. Whatever the validator
// spends above this is its own work (its event parser, JSON conversion, schema checks, report).
// Prints "<files> files, <documents> documents"; exits 1 if any file fails to parse.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "core/flags.h"
#include "core/parallel.h"
#include "fs/posix_file_system.h"
#include "yaml/parser.h"

namespace capstan::bench {
namespace {

namespace stdfs = std::filesystem;

const flags::Flag kFlags[] = {
    {"jobs", 'j', "N", "files parsed in parallel (default: number of CPUs)"},
    {"capstan", 0, "", "parse with capstan's own YAML layer (libyaml into its node arena)"},
    {"help", 'h', "", "show this help"},
};

constexpr std::uint64_t kMaxFileBytes = 16u << 20;

bool IsManifest(const stdfs::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Files in the order the validator reports them: sorted, directories walked recursively.
// Fails with the first path that cannot be walked.
Result<std::vector<std::string>> Collect(const std::vector<std::string>& roots) {
  std::vector<std::string> files;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!stdfs::is_directory(root, ec) && !ec) {
      files.push_back(root);
      continue;
    }
    for (stdfs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && IsManifest(it->path())) files.push_back(it->path().string());
    if (ec) return Status::IoError("cannot walk '" + root + "': " + ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int Run(std::span<const std::string> args) {
  auto parsed = flags::Parse(kFlags, args);
  if (!parsed.ok() || parsed->Has("help") || parsed->positionals().empty()) {
    if (!parsed.ok())
      std::cerr << "capstan_bench_parse_floor: " << parsed.status().message() << "\n";
    std::cerr << flags::Usage("capstan_bench_parse_floor [-j N] PATH...",
                              "Parses every YAML file under PATH with YAML::LoadAll, nothing else.",
                              kFlags);
    return parsed.ok() && parsed->Has("help") ? 0 : 2;
  }
  int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto jobs = flags::ParseCount("jobs", parsed->Get("jobs", std::to_string(cpus)), 1, 256);
  if (!jobs.ok()) {
    std::cerr << "capstan_bench_parse_floor: " << jobs.status().message() << "\n";
    return 2;
  }
  auto collected = Collect(parsed->positionals());
  if (!collected.ok()) {
    std::cerr << "capstan_bench_parse_floor: " << collected.status().message() << "\n";
    return 3;
  }
  const std::vector<std::string>& files = *collected;

  fs::PosixFileSystem fs;
  bool use_capstan = parsed->Has("capstan");
  std::vector<std::size_t> docs(files.size());
  std::vector<std::string> errors(files.size());
  ParallelFor(files.size(), static_cast<int>(*jobs), [&](std::size_t i) {
    auto text = fs.ReadFile(files[i], kMaxFileBytes);
    if (!text.ok()) {
      errors[i] = text.status().message();
      return;
    }
    if (use_capstan) {
      yaml::ParsedFile f = yaml::Parse(*text);
      docs[i] = f.documents.size();
      if (!f.issues.empty()) errors[i] = files[i] + ": " + f.issues[0].message;
      return;
    }
    try {
      docs[i] = YAML::LoadAll(*text).size();
    } catch (const YAML::Exception& e) {
      errors[i] = files[i] + ": " + e.what();
    }
  });

  std::size_t total = 0;
  int failed = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    total += docs[i];
    if (errors[i].empty()) continue;
    if (failed++ == 0) std::cerr << "capstan_bench_parse_floor: " << errors[i] << "\n";
  }
  std::cout << files.size() << " files, " << total << " documents\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace capstan::bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return capstan::bench::Run(args);
}
