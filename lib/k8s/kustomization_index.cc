#include "k8s/kustomization_index.h"

#include "core/path.h"
#include "yaml/parser.h"

namespace capstan::k8s {

Kustomization ParseKustomization(std::string_view name, std::string_view text,
                                 KustomizationFacts wanted) {
  Kustomization k;
  k.file = NormalizePath(name);
  if (wanted == KustomizationFacts::kSecretGeneratorsOnly &&
      text.find("secretGenerator") == std::string_view::npos)
    return k;
  std::string dir = DirName(k.file);
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Document& doc : parsed.documents) {
    auto append = [](std::vector<std::string>& to, std::vector<std::string> from) {
      for (std::string& f : from) to.push_back(std::move(f));
    };
    append(k.patches, PatchFiles(doc, dir));
    append(k.selector_filled, SelectorFilledFiles(doc, dir));
    append(k.plugin_configs, PluginConfigFiles(doc, dir));
    for (auto& entry : GeneratorPayloads(doc, dir)) k.payloads.push_back(std::move(entry));
  }
  return k;
}

void KustomizationIndex::Add(const Kustomization& k) {
  dirs_.insert(DirName(k.file));
  for (const std::string& f : k.patches) files_[f].patch = true;
  for (const std::string& f : k.selector_filled) files_[f].selector_filled = true;
  for (const std::string& f : k.plugin_configs) files_[f].plugin_config = true;
  for (const auto& [f, payload] : k.payloads) files_[f].payload = payload;
}

void KustomizationIndex::AddBeside(std::string_view name, std::string_view path) {
  std::string dir = DirName(NormalizePath(name));
  // Kustomize refuses a directory with two kustomization files, so one known is all there is.
  if (dirs_.count(dir) > 0 || !looked_in_.insert(dir).second) return;
  std::string path_dir = DirName(path);
  for (std::string_view base : kKustomizationFileNames) {
    auto text = fs_.ReadFile(AppendPath(path_dir, base), options_.max_file_bytes);
    if (text.ok()) Add(ParseKustomization(JoinPath(dir, base), *text, options_.facts));
  }
}

const KustomizationIndex::FileFacts* KustomizationIndex::Find(std::string_view path) const {
  auto it = files_.find(NormalizePath(path));
  return it == files_.end() ? nullptr : &it->second;
}

bool KustomizationIndex::HasKustomization(std::string_view dir) const {
  return dirs_.count(NormalizePath(dir)) > 0;
}

}  // namespace capstan::k8s
