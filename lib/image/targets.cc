#include "image/targets.h"

#include <algorithm>
#include <map>

#include "core/strings.h"
#include "image/target_planner.h"
#include "yaml/parser.h"
#include "yaml/path.h"

namespace capstan::image {

const char* TargetKindName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kKustomizeImage:
      return "kustomize-image";
    case TargetKind::kImageValue:
      return "image";
    case TargetKind::kHelmValues:
      return "helm-values";
    case TargetKind::kHelmKey:
      return "helm-key";
    case TargetKind::kArgoKustomizeImage:
      return "argocd-kustomize-image";
    case TargetKind::kArgoHelmParameter:
      return "argocd-helm-parameter";
    case TargetKind::kFluxMarker:
      return "flux-marker";
  }
  return "unknown";
}

namespace internal {

using yaml::NodeId;
using yaml::NodeType;

WrittenReference SplitWritten(std::string_view ref) {
  WrittenReference w;
  std::string_view rest = ref;
  if (std::size_t at = rest.find('@'); at != std::string_view::npos) {
    w.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  std::size_t slash = rest.rfind('/');
  std::size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    w.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  w.name = rest;
  return w;
}

bool LooksLikeReference(std::string_view text) {
  WrittenReference w = SplitWritten(text);
  return !w.name.empty() &&
         (!w.tag.empty() || (!w.digest.empty() && w.name.find('/') != std::string_view::npos));
}

std::string PinsDigestMessage(std::string_view value) {
  return QuoteForMessage(value, kQuotePathLimit) +
         " pins a digest; bumping only the tag would not change the image it runs: pass --digest "
         "too";
}

Result<NewReference> RewriteReference(std::string_view old, const BumpRequest& r) {
  WrittenReference w = SplitWritten(old);
  NewReference out;
  out.old_tag = std::string(w.tag);
  out.new_tag = r.tag.empty() ? out.old_tag : r.tag;
  out.value = r.new_name.empty() ? std::string(w.name) : r.new_name;
  if (!out.new_tag.empty()) out.value += ":" + out.new_tag;
  if (!r.digest.empty()) {
    out.value += "@" + r.digest;
  } else if (!w.digest.empty()) {
    if (!r.tag.empty() && r.tag != w.tag) return Status::InvalidArgument(PinsDigestMessage(old));
    out.value += "@" + std::string(w.digest);
  }
  return out;
}

namespace {

// SetScalar's reason without its "line L:C: " prefix (the refusal carries the position).
std::string Reason(const Status& s) {
  const std::string& m = s.message();
  if (m.rfind("line ", 0) == 0) {
    std::size_t sep = m.find(": ");
    if (sep != std::string::npos) return m.substr(sep + 2);
  }
  return m;
}

bool FindPath(const yaml::Document& doc, NodeId at, NodeId want, std::vector<std::string>& path,
              int depth) {
  if (at == want) return true;
  if (at == yaml::kNoNode || depth > 600) return false;
  const yaml::Node& n = doc.node(at);
  if (n.type == NodeType::kSequence) {
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      path.push_back(std::to_string(i));
      if (FindPath(doc, n.children[i], want, path, depth + 1)) return true;
      path.pop_back();
    }
  } else if (n.type == NodeType::kMapping) {
    for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
      const std::string* key = doc.ScalarValue(n.children[i]);
      path.push_back(key != nullptr ? *key : "?");
      if (FindPath(doc, n.children[i + 1], want, path, depth + 1)) return true;
      path.pop_back();
    }
  }
  return false;
}

std::size_t IndentOf(const std::string& insert) {
  std::size_t i = insert.find('\n');
  i = i == std::string::npos ? 0 : i + 1;
  std::size_t start = i;
  while (i < insert.size() && (insert[i] == ' ' || insert[i] == '\t')) ++i;
  return i - start;
}

}  // namespace

bool Planner::NamesImage(std::string_view ref) const {
  if (ref.empty()) return false;
  auto parsed = ParseReference(ref);
  return parsed.ok() && SameImage(*parsed, request_.image);
}

bool Planner::NamesImage(NodeId id) const {
  if (id == yaml::kNoNode) return false;
  const std::string* v = doc().ScalarValue(id);
  return v != nullptr && NamesImage(*v);
}

std::optional<std::string> Planner::Scalar(NodeId id) const {
  if (id == yaml::kNoNode) return std::nullopt;
  const std::string* v = doc().ScalarValue(id);
  if (v == nullptr) return std::nullopt;
  return *v;
}

bool Planner::Claimed(NodeId id) const { return claimed_.count({doc_index_, id, ""}) > 0; }

std::string Planner::PathOf(NodeId id) const {
  std::vector<std::string> path;
  if (!FindPath(doc(), doc().root(), id, path, 0)) return "";
  return yaml::JsonPointer(path);
}

void Planner::Set(TargetKind kind, NodeId node, const std::string& value, std::string old_tag,
                  std::string new_tag) {
  if (node == yaml::kNoNode || Claimed(node)) return;
  Claim(node);
  const yaml::Node& n = doc().node(node);
  Change c;
  c.kind = kind;
  c.line = n.pos.line;
  c.column = n.pos.column;
  c.path = PathOf(node);
  c.old_value = Scalar(node).value_or("");
  c.new_value = value;
  c.old_tag = std::move(old_tag);
  c.new_tag = std::move(new_tag);
  const std::string* current = doc().ScalarValue(node);
  if (current != nullptr && *current == value) {
    c.edit = yaml::Edit{n.pos.offset, 0, ""};
    plan_.up_to_date.push_back(std::move(c));
    return;
  }
  auto edit = yaml::SetScalar(text_, doc(), node, value);
  if (!edit.ok()) {
    plan_.refused.push_back({n.pos.line, n.pos.column,
                             "cannot set " +
                                 (c.path.empty() ? std::string("the value")
                                                 : QuoteForMessage(c.path, kQuotePathLimit)) +
                                 " to " + QuoteForMessage(value, kQuotePathLimit) + ": " +
                                 Reason(edit.status())});
    return;
  }
  c.edit = std::move(*edit);
  plan_.changes.push_back(std::move(c));
}

void Planner::Insert(TargetKind kind, NodeId mapping, const std::string& key,
                     const std::string& value, std::string new_tag) {
  if (!claimed_.insert({doc_index_, mapping, key}).second) return;
  const yaml::Node& m = doc().node(mapping);
  Change c;
  c.kind = kind;
  c.line = m.pos.line;
  c.column = m.pos.column;
  c.path = PathOf(mapping) + "/" + key;
  c.new_value = value;
  c.new_tag = std::move(new_tag);
  auto edit = yaml::InsertKey(text_, doc(), mapping, key, value);
  if (!edit.ok()) {
    plan_.refused.push_back(
        {m.pos.line, m.pos.column,
         "cannot add " + QuoteForMessage(c.path, kQuotePathLimit) + ": " + Reason(edit.status())});
    return;
  }
  c.edit = std::move(*edit);
  plan_.changes.push_back(std::move(c));
}

void Planner::Refuse(NodeId node, const std::string& message) {
  if (Claimed(node)) return;
  Claim(node);
  const yaml::Node& n = doc().node(node);
  plan_.refused.push_back({n.pos.line, n.pos.column, message});
}

void Planner::RefuseAt(int line, int column, const std::string& message) {
  plan_.refused.push_back({line, column, message});
}

void Planner::SetReference(TargetKind kind, NodeId node) {
  std::optional<std::string> old = Scalar(node);
  if (!old || Claimed(node)) return;
  auto rewritten = RewriteReference(*old, request_);
  if (!rewritten.ok()) return Refuse(node, rewritten.status().message());
  Set(kind, node, rewritten->value, rewritten->old_tag, rewritten->new_tag);
}

void Planner::SetTag(TargetKind kind, NodeId node) {
  std::optional<std::string> old = Scalar(node);
  NodeId resolved = node == yaml::kNoNode ? node : doc().Resolve(node);
  if (!old && resolved != yaml::kNoNode && doc().node(resolved).type == NodeType::kNull) old = "";
  if (!old || Claimed(node)) return;
  const BumpRequest& r = request_;
  std::size_t at = old->find('@');
  if (at == std::string::npos) {
    if (!r.tag.empty()) Set(kind, node, r.tag, *old, r.tag);
    return;
  }
  std::string old_tag = old->substr(0, at);
  std::string tag = r.tag.empty() ? old_tag : r.tag;
  if (!r.digest.empty()) return Set(kind, node, tag + "@" + r.digest, old_tag, tag);
  if (r.tag.empty()) return;
  if (r.tag != old_tag) return Refuse(node, PinsDigestMessage(*old));
  Set(kind, node, *old, old_tag, tag);
}

Result<FilePlan> Planner::Finish() {
  // Inserts into one mapping land at one offset; ApplyEdits does not order equal offsets, so they
  // become one edit (held by the first change, the others keep an empty edit there). Deeper
  // mappings' lines go first, so a parent's new key never splits a child's entries.
  std::map<std::size_t, std::vector<std::size_t>> inserts;
  for (std::size_t i = 0; i < plan_.changes.size(); ++i)
    if (plan_.changes[i].edit.length == 0) inserts[plan_.changes[i].edit.offset].push_back(i);
  for (auto& [offset, group] : inserts) {
    if (group.size() < 2) continue;
    std::vector<std::size_t> order = group;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return IndentOf(plan_.changes[a].edit.replacement) >
             IndentOf(plan_.changes[b].edit.replacement);
    });
    std::string combined;
    for (std::size_t i : order) combined += plan_.changes[i].edit.replacement;
    for (std::size_t i : group) plan_.changes[i].edit.replacement.clear();
    plan_.changes[group.front()].edit.replacement = std::move(combined);
  }
  auto by_offset = [](const Change& a, const Change& b) { return a.edit.offset < b.edit.offset; };
  std::stable_sort(plan_.changes.begin(), plan_.changes.end(), by_offset);
  std::stable_sort(plan_.up_to_date.begin(), plan_.up_to_date.end(), by_offset);
  std::stable_sort(plan_.refused.begin(), plan_.refused.end(),
                   [](const Refusal& a, const Refusal& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  std::vector<yaml::Edit> edits;
  for (const Change& c : plan_.changes)
    if (!c.edit.replacement.empty() || c.edit.length > 0) edits.push_back(c.edit);
  auto text = yaml::ApplyEdits(text_, std::move(edits));
  if (!text.ok()) return Status::Internal("planned edits overlap: " + text.status().message());
  plan_.new_text = std::move(*text);
  return std::move(plan_);
}

}  // namespace internal

namespace {

bool IsArgoSourceFile(std::string_view path) {
  std::size_t slash = path.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto ends_with = [&](std::string_view s) {
    return base.size() >= s.size() && base.substr(base.size() - s.size()) == s;
  };
  return base.rfind(".argocd-source", 0) == 0 && (ends_with(".yaml") || ends_with(".yml"));
}

}  // namespace

Result<FilePlan> PlanBump(std::string_view path, std::string_view text,
                          const BumpRequest& request) {
  yaml::ParsedFile parsed = yaml::Parse(text);
  for (const yaml::Issue& issue : parsed.issues) {
    if (issue.kind == yaml::IssueKind::kDuplicateKey) continue;
    return Status::InvalidArgument(std::to_string(issue.pos.line) + ":" +
                                   std::to_string(issue.pos.column) + ": " + issue.message);
  }
  internal::Planner p(text, parsed.documents, request);
  bool argo_source = IsArgoSourceFile(path);
  for (std::size_t i = 0; i < parsed.documents.size(); ++i) {
    p.Use(i);
    const yaml::Document& doc = parsed.documents[i];
    yaml::NodeId root = doc.Resolve(doc.root());
    if (root == yaml::kNoNode || doc.node(root).type != yaml::NodeType::kMapping) continue;
    // Specific rules first, so a scalar reached by several keeps the most telling kind.
    if (argo_source) internal::PlanArgoSource(p, root);
    internal::PlanKustomization(p);
    internal::PlanArgoApplication(p);
    if (doc.Get(root, "kind") == yaml::kNoNode) internal::PlanHelmKeys(p, root);
    internal::PlanImageValues(p);
  }
  internal::PlanFluxMarkers(p, parsed.documents.size());
  return p.Finish();
}

}  // namespace capstan::image
