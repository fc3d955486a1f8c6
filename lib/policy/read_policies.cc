#include "policy/sources.h"

namespace capstan::policy {

Result<ProjectConfig> ReadPolicies(const std::vector<image::FileText>& files,
                                   std::vector<SourceProblem>& problems) {
  ProjectConfig config;
  for (const image::FileText& f : files) {
    if (f.name != kProjectConfigFile) continue;
    Result<ProjectConfig> parsed = ParseProjectConfig(f.name, f.text);
    if (!parsed.ok()) return parsed.status();
    config = std::move(parsed).value();
  }
  std::vector<std::string> claimed;
  for (const ImagePolicy& p : config.images)
    claimed.insert(claimed.end(), p.flux_policies.begin(), p.flux_policies.end());
  image::FluxObjects flux;
  for (const image::FileText& f : files) {
    if (f.name == kProjectConfigFile) continue;
    // Cheap filters first: most files of a repository hold neither.
    if (f.text.find("argocd-image-updater.argoproj.io/") != std::string::npos) {
      CollectArgoCdPolicies(f.name, f.text, config.images, problems);
    }
    if (f.text.find("image.toolkit.fluxcd.io") != std::string::npos)
      image::CollectFluxObjects(f.name, f.text, flux);
  }
  FluxPolicies(flux, claimed, config.images, problems);
  return config;
}

}  // namespace capstan::policy
