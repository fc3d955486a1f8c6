// libFuzzer target: the image policies one file declares, as capstan-watch reads them: Argo CD
// Image Updater annotations (and the problems capstan-validate reports for them), Flux
// ImagePolicy objects, Flux setter markers on each line.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "image/flux_marker.h"
#include "policy/sources.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan;
  std::string_view text = fuzz::AsText(data, size);
  std::vector<policy::SourceProblem> problems;
  (void)policy::ReadPolicies({{"apps/app.yaml", std::string(text), ""}}, problems);
  (void)policy::ImageUpdaterProblems("apps/app.yaml", text);
  for (std::string_view rest = text; !rest.empty();) {
    auto [line, after] = fuzz::FirstLine(rest);
    (void)image::FindFluxMarker(line);
    rest = after;
  }
  return 0;
}
