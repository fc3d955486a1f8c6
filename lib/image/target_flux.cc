// Flux: `$imagepolicy` setter markers as targets (the objects they name: image/flux_objects.h).
#include <algorithm>
#include <map>

#include "image/flux_marker.h"
#include "image/target_planner.h"
#include "yaml/parser.h"

namespace capstan::image {
namespace internal {

using yaml::NodeId;
using yaml::NodeType;

namespace {

struct MarkerLine {
  FluxMarker marker;
  std::size_t start = 0;  // byte offset of the line
  std::size_t hash = 0;   // byte offset of the marker's '#'
  int line = 0;
  // The last value scalar before the marker: document, node, the mapping holding it.
  std::size_t doc = 0;
  NodeId node = yaml::kNoNode;
  NodeId parent = yaml::kNoNode;
  std::size_t node_offset = 0;
};

std::size_t EndOf(std::string_view text, const yaml::Node& n) {
  if (n.end > n.pos.offset) return n.end;
  std::size_t i = n.pos.offset;
  while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\r' &&
         text[i] != '\n' && text[i] != ',' && text[i] != ']' && text[i] != '}')
    ++i;
  return i;
}

// Offers value node id (held by parent, kNoNode for a sequence item) to the marker line it sits on.
void Offer(std::string_view text, const yaml::Document& doc, std::size_t doc_index, NodeId id,
           NodeId parent, std::vector<MarkerLine>& lines) {
  const yaml::Node& n = doc.node(id);
  if (n.type == NodeType::kMapping || n.type == NodeType::kSequence || n.implicit) return;
  std::size_t offset = n.pos.offset;
  auto it = std::upper_bound(lines.begin(), lines.end(), offset,
                             [](std::size_t o, const MarkerLine& m) { return o < m.start; });
  if (it == lines.begin()) return;
  MarkerLine& m = *std::prev(it);
  if (offset >= m.hash || EndOf(text, n) > m.hash) return;
  if (m.node != yaml::kNoNode && m.node_offset > offset) return;
  m.doc = doc_index;
  m.node = id;
  m.parent = parent;
  m.node_offset = offset;
}

void Collect(std::string_view text, const yaml::Document& doc, std::size_t doc_index, NodeId id,
             int depth, std::vector<MarkerLine>& lines) {
  if (id == yaml::kNoNode || depth > 600) return;
  const yaml::Node& n = doc.node(id);
  if (n.type == NodeType::kSequence) {
    for (NodeId c : n.children) {
      Offer(text, doc, doc_index, c, yaml::kNoNode, lines);
      Collect(text, doc, doc_index, c, depth + 1, lines);
    }
  } else if (n.type == NodeType::kMapping) {
    for (std::size_t i = 0; i + 1 < n.children.size(); i += 2) {
      Offer(text, doc, doc_index, n.children[i + 1], id, lines);
      Collect(text, doc, doc_index, n.children[i + 1], depth + 1, lines);
    }
  }
}

const Reference* PolicyImage(const BumpRequest& r, const FluxMarker& m) {
  auto it = r.flux_policies.find(m.ns + ":" + m.policy);
  if (it == r.flux_policies.end()) it = r.flux_policies.find(":" + m.policy);
  return it == r.flux_policies.end() ? nullptr : &it->second;
}

// Whether the mapping holding a tag or digest marker's value names the image.
bool SiblingsName(Planner& p, const std::vector<MarkerLine>& lines, const MarkerLine& at) {
  const yaml::Document& doc = p.doc();
  if (at.parent == yaml::kNoNode) return false;
  std::optional<std::string> helm = HelmImageName(p, at.parent);
  if (helm && p.NamesImage(*helm)) return true;
  for (const char* key : {"name", "newName", "image"})
    if (p.NamesImage(doc.Get(at.parent, key))) return true;
  for (const MarkerLine& other : lines)
    if (other.doc == at.doc && other.parent == at.parent &&
        other.marker.field == MarkerField::kName && p.NamesImage(other.node))
      return true;
  return false;
}

}  // namespace

void PlanFluxMarkers(Planner& p, std::size_t documents) {
  std::string_view text = p.text();
  std::vector<MarkerLine> lines;
  int line_no = 1;
  for (std::size_t start = 0; start < text.size(); ++line_no) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find("$imagepolicy") != std::string_view::npos) {
      auto marker = FindFluxMarker(line);
      if (!marker.ok()) {
        std::size_t hash = line.find('#');
        p.RefuseAt(line_no, hash == std::string_view::npos ? 1 : static_cast<int>(hash) + 1,
                   marker.status().message());
      } else if (marker->has_value()) {
        MarkerLine m;
        m.marker = **marker;
        m.start = start;
        m.hash = start + m.marker.offset;
        m.line = line_no;
        lines.push_back(std::move(m));
      }
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (lines.empty()) return;
  for (std::size_t i = 0; i < documents; ++i) {
    p.Use(i);
    Collect(text, p.doc(), i, p.doc().root(), 0, lines);
  }
  const BumpRequest& r = p.request();
  for (const MarkerLine& m : lines) {
    if (m.node == yaml::kNoNode) continue;
    p.Use(m.doc);
    const Reference* policy = PolicyImage(r, m.marker);
    bool policy_is_image = policy != nullptr && SameImage(*policy, r.image);
    std::optional<std::string> value = p.Scalar(m.node);
    switch (m.marker.field) {
      case MarkerField::kImage:
        if (policy != nullptr ? policy_is_image : (value && p.NamesImage(*value)))
          p.SetReference(TargetKind::kFluxMarker, m.node);
        break;
      case MarkerField::kName:
        if (value && (policy_is_image || p.NamesImage(*value)))
          p.Set(TargetKind::kFluxMarker, m.node, r.new_name.empty() ? *value : r.new_name);
        break;
      case MarkerField::kTag:
        if (policy_is_image || (policy == nullptr && SiblingsName(p, lines, m)))
          p.SetTag(TargetKind::kFluxMarker, m.node);
        break;
      case MarkerField::kDigest:
        if (!r.digest.empty() &&
            (policy_is_image || (policy == nullptr && SiblingsName(p, lines, m))))
          p.Set(TargetKind::kFluxMarker, m.node, r.digest);
        break;
    }
  }
}

}  // namespace internal
}  // namespace capstan::image
