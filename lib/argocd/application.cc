#include "argocd/application.h"

#include "argocd/application_reader.h"
#include "core/path.h"
#include "yaml/path.h"
#include "yaml/scalar.h"

namespace capstan::argocd {
namespace {

using yaml::NodeId;
using yaml::NodeType;

// The View of application_reader.h over a YAML document; aliases resolved on every step.
class YamlView {
 public:
  YamlView(const yaml::Document& doc, NodeId id)
      : doc_(&doc), id_(id == yaml::kNoNode ? id : doc.Resolve(id)) {}

  YamlView Get(std::string_view key) const { return YamlView(*doc_, doc_->Get(id_, key)); }
  bool Exists() const { return id_ != yaml::kNoNode; }
  bool IsMapping() const { return Is(NodeType::kMapping); }
  bool IsSequence() const { return Is(NodeType::kSequence); }
  NodeId node() const { return id_; }

  std::optional<std::string> Text() const {
    const std::string* s = doc_->ScalarValue(id_);
    return s ? std::optional<std::string>(*s) : std::nullopt;
  }
  std::optional<bool> Bool() const {
    if (!Is(NodeType::kScalar)) return std::nullopt;
    yaml::ScalarValue v = yaml::ResolveScalar(doc_->node(id_));
    return v.kind == yaml::ScalarKind::kBool ? std::optional<bool>(v.b) : std::nullopt;
  }
  std::optional<std::int64_t> Int() const {
    const std::string* s = doc_->ScalarValue(id_);
    if (s == nullptr) return std::nullopt;
    yaml::ScalarValue v = yaml::ResolveScalar(doc_->node(id_));
    if (v.kind == yaml::ScalarKind::kInt) return v.i;
    return internal::ParseInt64(*s);
  }

  template <typename Fn>
  void ForEachItem(Fn fn) const {
    if (!IsSequence()) return;
    for (NodeId item : doc_->node(id_).children) fn(YamlView(*doc_, item));
  }
  template <typename Fn>
  void ForEachEntry(Fn fn) const {
    yaml::ForEachEntry(*doc_, id_, [&](NodeId key, NodeId value) {
      if (const std::string* k = doc_->ScalarValue(key)) fn(*k, YamlView(*doc_, value), key, value);
    });
  }

 private:
  bool Is(NodeType type) const { return id_ != yaml::kNoNode && doc_->node(id_).type == type; }

  const yaml::Document* doc_;
  NodeId id_;
};

// The root mapping when doc is an argoproj.io object of this kind, else nullopt.
std::optional<YamlView> RootOfKind(const yaml::Document& doc, std::string_view kind) {
  YamlView root(doc, doc.root());
  if (!root.IsMapping()) return std::nullopt;
  if (!internal::TextAt(root, "apiVersion").starts_with("argoproj.io/") ||
      internal::TextAt(root, "kind") != kind)
    return std::nullopt;
  return root;
}

}  // namespace

const Annotation* Application::FindAnnotation(std::string_view key) const {
  for (const Annotation& a : annotations)
    if (a.key == key) return &a;
  return nullptr;
}

const Source* Application::FirstSourceWithPath() const {
  for (const Source& s : sources)
    if (s.path) return &s;
  return nullptr;
}

std::span<const Source> Application::ArgoSources() const {
  std::span<const Source> all(sources);
  if (!all.empty() && all.front().position == 0 && all.size() > 1) return all.subspan(1);
  return all;
}

std::string Application::QualifiedName() const {
  return namespace_.empty() ? name : namespace_ + "/" + name;
}

std::optional<Application> ReadApplication(const yaml::Document& doc) {
  std::optional<YamlView> root = RootOfKind(doc, "Application");
  if (!root) return std::nullopt;
  Application app;
  app.root = root->node();
  app.api_version = internal::TextAt(*root, "apiVersion");
  internal::ReadApplicationFields(*root, app);
  return app;
}

std::optional<ApplicationSet> ReadApplicationSet(const yaml::Document& doc) {
  std::optional<YamlView> root = RootOfKind(doc, "ApplicationSet");
  if (!root) return std::nullopt;
  ApplicationSet set;
  set.root = root->node();
  set.api_version = internal::TextAt(*root, "apiVersion");
  internal::ReadApplicationSetFields(*root, set);
  return set;
}

std::optional<std::string> ResolveRepositoryPath(std::string_view dir, std::string_view rel) {
  bool from_root = rel.starts_with('/');
  while (rel.starts_with('/')) rel.remove_prefix(1);
  std::string out = JoinPath(from_root ? "" : dir, rel);
  if (out == ".." || out.starts_with("../")) return std::nullopt;
  return out;
}

}  // namespace capstan::argocd
