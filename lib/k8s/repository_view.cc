#include "k8s/repository_view.h"

#include "core/path.h"
#include "k8s/classify.h"
#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

// The resources of a file no run selected, found as FileValidator::Validate finds them:
// document roots and the items of `kind: List` documents that classify as resources.
std::vector<ResourceAt> ClassifyResources(std::string_view name, std::string_view text) {
  std::vector<ResourceAt> out;
  FileRole role = RoleOf(name, text);
  if (role == FileRole::kHelmTemplate || role == FileRole::kKustomization) return out;
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Document& doc : parsed.documents) {
    std::vector<std::pair<yaml::NodeId, std::string>> targets{{doc.root(), ""}};
    for (std::size_t t = 0; t < targets.size(); ++t) {
      auto [node, prefix] = targets[t];
      Classified c = Classify(doc, node, role);
      if (c.kind == DocKind::kList) {
        yaml::NodeId items = doc.Resolve(doc.Get(node, "items"));
        if (items != yaml::kNoNode && doc.node(items).type == yaml::NodeType::kSequence) {
          const std::vector<yaml::NodeId>& children = doc.node(items).children;
          for (std::size_t i = 0; i < children.size(); ++i)
            targets.emplace_back(children[i], prefix + "/items/" + std::to_string(i));
        }
        continue;
      }
      if (c.kind != DocKind::kResource) continue;
      yaml::NodeId kind = doc.Get(node, "kind");
      out.push_back({c.identity, doc.node(kind == yaml::kNoNode ? node : kind).pos, prefix});
    }
  }
  return out;
}

}  // namespace

RepositoryView::RepositoryView(FileSystem& fs, std::string base, Options options)
    : fs_(fs),
      base_(std::move(base)),
      options_(options),
      graph_(fs, base_, KustomizationGraph::Options{options.max_file_bytes}) {}

std::string RepositoryView::Normal(std::string_view name) {
  std::string n = NormalizePath(name);
  return n == "." ? std::string() : n;
}

std::string RepositoryView::OnDisk(const std::string& name) const {
  if (name.starts_with('/')) return name;
  if (name.empty()) return base_.empty() ? "." : base_;
  return base_.empty() ? name : AppendPath(base_, name);
}

void RepositoryView::Select(std::string_view name, const std::vector<ResourceAt>* resources) {
  selected_[Normal(name)] = resources;
}

bool RepositoryView::IsSelected(std::string_view name) const {
  return selected_.count(Normal(name)) > 0;
}

std::optional<FileType> RepositoryView::TypeOf(std::string_view name_in) {
  std::string name = Normal(name_in);
  if (selected_.count(name) > 0) return FileType::kRegular;
  auto it = types_.find(name);
  if (it != types_.end()) return it->second;
  std::optional<FileType> type;
  if (auto info = fs_.Stat(OnDisk(name), /*follow_symlinks=*/true);
      info.ok() && (info->type == FileType::kRegular || info->type == FileType::kDirectory))
    type = info->type;
  return types_.emplace(std::move(name), type).first->second;
}

const std::vector<DirEntry>& RepositoryView::List(std::string_view name_in) {
  std::string name = Normal(name_in);
  auto it = listings_.find(name);
  if (it != listings_.end()) return it->second;
  auto listed = fs_.ListDir(OnDisk(name));
  return listings_
      .emplace(std::move(name), listed.ok() ? std::move(*listed) : std::vector<DirEntry>())
      .first->second;
}

const std::vector<ResourceAt>& RepositoryView::ResourcesIn(std::string_view name_in) {
  static const std::vector<ResourceAt> kNone;
  std::string name = Normal(name_in);
  if (auto sel = selected_.find(name); sel != selected_.end())
    return sel->second == nullptr ? kNone : *sel->second;
  auto it = read_.find(name);
  if (it != read_.end()) return it->second;
  std::vector<ResourceAt> resources;
  if (auto text = fs_.ReadFile(OnDisk(name), options_.max_file_bytes); text.ok()) {
    bool mentioned = words_.empty();
    for (const std::string& w : words_) mentioned = mentioned || text->find(w) != std::string::npos;
    if (mentioned) resources = ClassifyResources(name, *text);
  }
  return read_.emplace(std::move(name), std::move(resources)).first->second;
}

}  // namespace capstan::k8s
