// libFuzzer target: a kustomization file, read for everything capstan takes from it (the paths
// it names, generators and their payloads, what it renames), then judged by the kustomize checks
// in a tree where none of its paths exist (missing paths, near names, cycles, deprecated fields).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fs/posix_file_system.h"
#include "fuzz_support.h"
#include "k8s/kustomization_index.h"
#include "k8s/kustomize_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::k8s;
  std::string_view text = capstan::fuzz::AsText(data, size);
  Kustomization k = ParseKustomization("apps/web/kustomization.yaml", text);
  (void)ParseKustomization("apps/web/kustomization.yaml", text,
                           KustomizationFacts::kSecretGeneratorsOnly);
  static capstan::fs::PosixFileSystem fs;
  RepositoryView view{fs, "/nonexistent/capstan-fuzz", {}};
  view.kustomizations().Add(k);
  view.Select(k.file, nullptr);
  std::vector<capstan::report::Finding> findings;
  CheckKustomizationPaths(k, view, nullptr, findings);
  CheckDeprecatedFields(k, findings);
  std::vector<const Kustomization*> selected{&k};
  FindKustomizationCycles(selected, view, findings);
  return 0;
}
