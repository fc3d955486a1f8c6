// Internal to lib/image: the bookkeeping PlanBump's rules share (claiming each scalar once,
// turning a wanted value into a change, an up-to-date entry or a refusal), and the rules
// themselves, one function per target family. Not for use outside lib/image.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "image/targets.h"
#include "yaml/document.h"

namespace capstan::image::internal {

// A reference split where it is written: name[:tag][@digest], nothing normalised.
struct WrittenReference {
  std::string_view name;
  std::string_view tag;     // "" when absent
  std::string_view digest;  // "" when absent
};
WrittenReference SplitWritten(std::string_view ref);

// Whether text reads as a whole reference with a tag or digest ("api:1.0", "ghcr.io/a/b@sha256:..")
// rather than a bare tag ("1.0", "1.0@sha256:..") or a bare name.
bool LooksLikeReference(std::string_view text);

// "'<value>' pins a digest; bumping only the tag ..."
std::string PinsDigestMessage(std::string_view value);

// `old` rewritten as the request asks: the name as written (or new_name), the requested tag or
// the old one, the requested digest or the old one when the tag stays. Fails with kInvalidArgument
// and PinsDigestMessage when old pins a digest that only a tag change would leave stale.
struct NewReference {
  std::string value;
  std::string old_tag;
  std::string new_tag;
};
Result<NewReference> RewriteReference(std::string_view old, const BumpRequest& request);

class Planner {
 public:
  Planner(std::string_view text, const std::vector<yaml::Document>& documents,
          const BumpRequest& request)
      : text_(text), documents_(documents), request_(request) {}

  // Selects the document the following calls work on.
  void Use(std::size_t index) { doc_index_ = index; }
  const yaml::Document& doc() const { return documents_[doc_index_]; }
  std::size_t doc_index() const { return doc_index_; }
  std::string_view text() const { return text_; }
  const BumpRequest& request() const { return request_; }

  // Whether `ref` parses as a reference to request().image.
  bool NamesImage(std::string_view ref) const;
  // The same for a scalar node (aliases resolved); false for anything else.
  bool NamesImage(yaml::NodeId id) const;
  // Scalar value of id (aliases resolved), or nullopt.
  std::optional<std::string> Scalar(yaml::NodeId id) const;

  bool Claimed(yaml::NodeId id) const;

  // Plans node := value unless another rule already claimed node. old_tag/new_tag as in Change.
  void Set(TargetKind kind, yaml::NodeId node, const std::string& value, std::string old_tag = "",
           std::string new_tag = "");
  // Plans `key: value` added to mapping (once per mapping and key).
  void Insert(TargetKind kind, yaml::NodeId mapping, const std::string& key,
              const std::string& value, std::string new_tag = "");
  // Records that node is a target that cannot be edited, and claims it.
  void Refuse(yaml::NodeId node, const std::string& message);
  void RefuseAt(int line, int column, const std::string& message);
  // Marks node as handled without planning anything for it.
  void Claim(yaml::NodeId id) { claimed_.insert({doc_index_, id, ""}); }

  // node holds a whole reference to the image: sets its tag/digest/name as requested.
  void SetReference(TargetKind kind, yaml::NodeId node);
  // node holds a tag ("1.2", or "1.2@sha256:..." carrying the digest too): sets it.
  void SetTag(TargetKind kind, yaml::NodeId node);

  // Sorts, combines inserts at one offset, applies. Fails only on a bug (overlapping edits).
  Result<FilePlan> Finish();

 private:
  std::string PathOf(yaml::NodeId id) const;

  std::string_view text_;
  const std::vector<yaml::Document>& documents_;
  const BumpRequest& request_;
  std::size_t doc_index_ = 0;
  std::set<std::tuple<std::size_t, yaml::NodeId, std::string>> claimed_;
  FilePlan plan_;
};

// [registry/]repository of a Helm values mapping with a scalar `repository`, or nullopt.
std::optional<std::string> HelmImageName(const Planner& p, yaml::NodeId mapping);

// The rules. Each looks at the selected document of the planner.
void PlanImageValues(Planner& p);                       // `image:` scalars, Helm shapes
void PlanHelmValues(Planner& p, yaml::NodeId mapping);  // one {registry, repository, tag} mapping
void PlanHelmKeys(Planner& p, yaml::NodeId base);       // request.helm_keys below base
void PlanKustomization(Planner& p);                     // root `images:` entries
void PlanArgoApplication(Planner& p);                   // Application / ApplicationSet sources
void PlanArgoSource(Planner& p, yaml::NodeId source);   // one source (or .argocd-source root)
// Flux markers of the whole file; runs over every document itself.
void PlanFluxMarkers(Planner& p, std::size_t documents);

}  // namespace capstan::image::internal
