#include "k8s/argocd_projects.h"

#include <set>
#include <string>

#include "core/strings.h"

namespace capstan::k8s {

std::vector<report::Finding> CheckProjectReferences(std::span<const std::string> files,
                                                    std::span<const FileReport> reports) {
  std::vector<report::Finding> out;
  std::set<std::string> defined;
  for (const FileReport& r : reports)
    for (const ResourceAt& res : r.resources)
      if (res.identity.group == "argoproj.io" && res.identity.kind == "AppProject")
        defined.insert(res.identity.name);
  std::vector<std::string_view> names(defined.begin(), defined.end());
  // A warning is about the project, whose definition is elsewhere or missing: one per name, at
  // the first reference, however many Applications name it.
  std::set<std::string> warned;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (const ProjectReference& ref : reports[i].argocd_projects) {
      if (defined.count(ref.project)) continue;
      // Projects are also made outside the files (the argo-cd Helm chart's values, the CLI,
      // bootstrap tooling), so only a slip of one letter from a defined one (or of letter case)
      // is surely a mistake.
      std::string hint = Closest(ref.project, names);
      bool typo = !hint.empty() && EditDistance(ref.project, hint) <= 1;
      if (!typo && !warned.insert(ref.project).second) continue;
      report::Finding f;
      f.rule = "argocd-destination";
      f.file = files[i];
      f.line = ref.pos.line;
      f.column = ref.pos.column;
      f.path = ref.path;
      f.resource = ToResource(ref.resource);
      f.severity = typo ? report::Severity::kError : report::Severity::kWarning;
      if (defined.empty()) {
        f.message = "project " + QuoteForMessage(ref.project) +
                    " is not defined in the files checked: they hold no AppProject";
      } else {
        f.message = "project " + QuoteForMessage(ref.project) +
                    " names no AppProject of the files checked" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace capstan::k8s
