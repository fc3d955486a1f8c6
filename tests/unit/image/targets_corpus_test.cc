// The edit matrix on real-world files: each bump changes exactly the value's bytes and the file
// still parses to the same structure.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "image/targets.h"
#include "support/shared_data.h"
#include "yaml/parser.h"

namespace capstan::image {
namespace {

std::string ReadCorpus(const std::string& relative) {
  std::string path = std::string(CAPSTAN_SHARED_DIR) + "/corpus/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("corpus file missing: " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Walks two documents side by side: same shape, same scalars except the one that started at
// `changed` in the original, which must now read `new_value`. Counts what differs.
struct Comparison {
  int changed_seen = 0;
  int mismatches = 0;
};
void SameStructure(const yaml::Document& a, yaml::NodeId ia, const yaml::Document& b,
                   yaml::NodeId ib, std::size_t changed, const std::string& new_value,
                   Comparison& out) {
  if ((ia == yaml::kNoNode) != (ib == yaml::kNoNode)) {
    ++out.mismatches;
    return;
  }
  if (ia == yaml::kNoNode) return;
  const yaml::Node& na = a.node(ia);
  const yaml::Node& nb = b.node(ib);
  if (na.type != nb.type || na.children.size() != nb.children.size()) {
    ++out.mismatches;
    return;
  }
  if (na.type == yaml::NodeType::kScalar) {
    if (na.pos.offset == changed) {
      ++out.changed_seen;
      if (nb.value != new_value) ++out.mismatches;
    } else if (na.value != nb.value) {
      ++out.mismatches;
    }
  }
  if (na.type == yaml::NodeType::kAlias) return;
  for (std::size_t i = 0; i < na.children.size(); ++i)
    SameStructure(a, na.children[i], b, nb.children[i], changed, new_value, out);
}

struct Row {
  std::string file;
  std::string image;
  std::string tag;
  std::string digest;
  TargetKind kind;
  std::string old_value;
  std::string new_value;
  std::vector<std::string> helm_keys = {};
};

const std::string kNewDigest = "sha256:" + std::string(64, 'c');

TEST_CASE("edit matrix on real-world files", "[targets]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  const std::string boutique = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/";
  auto row = GENERATE_COPY(values<Row>({
      {"GoogleCloudPlatform__microservices-demo/kustomize/components/container-images-tag/"
       "kustomization.yaml",
       boutique + "frontend", "v0.10.7", "", TargetKind::kKustomizeImage, "CONTAINER_IMAGES_TAG",
       "v0.10.7"},
      {"onedr0p__home-ops__sops-2022-11/cluster/apps/kube-tools/system-upgrade/"
       "system-upgrade-controller/"
       "kustomization.yaml",
       "docker.io/rancher/system-upgrade-controller", "v0.11.0", "", TargetKind::kKustomizeImage,
       "v0.10.0", "v0.11.0"},
      {"stefanprodan__podinfo/deploy/bases/database/statefulset-primary.yaml",
       "ghcr.io/stefanprodan/podinfo", "6.15.0", "", TargetKind::kImageValue,
       "ghcr.io/stefanprodan/podinfo:6.14.1", "ghcr.io/stefanprodan/podinfo:6.15.0"},
      {"stefanprodan__podinfo/deploy/bases/database/cronjob-backup-daily.yaml",
       "ghcr.io/stefanprodan/podinfo", "6.15.0", "", TargetKind::kImageValue,
       "ghcr.io/stefanprodan/podinfo:6.14.1", "ghcr.io/stefanprodan/podinfo:6.15.0"},
      {"stefanprodan__podinfo/deploy/bases/cache/deployment.yaml", "redis", "8.8.1", "",
       TargetKind::kImageValue, "docker.io/redis:8.8.0", "docker.io/redis:8.8.1"},
      {"GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml",
       boutique + "adservice", "v0.10.7", "", TargetKind::kImageValue,
       boutique + "adservice:v0.10.6", boutique + "adservice:v0.10.7"},
      {"GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml",
       "docker.io/library/busybox", "1.38.1", kNewDigest, TargetKind::kImageValue,
       "busybox:1.38.0@sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d",
       "busybox:1.38.1@" + kNewDigest},
      {"onedr0p__home-ops__sops-2022-11/cluster/apps/networking/cloudflare-ddns/cron-job.yaml",
       "ghcr.io/onedr0p/kubernetes-kubectl", "", kNewDigest, TargetKind::kImageValue,
       "ghcr.io/onedr0p/kubernetes-kubectl:1.25.4@sha256:"
       "ba26842ad0ad09b368cf5f747a6052b7d5f99d7638462b4ab08288c529866049",
       "ghcr.io/onedr0p/kubernetes-kubectl:1.25.4@" + kNewDigest},
      {"codefresh-contrib__gitops-certification-examples/helm-apps/simple-chart/values.yaml",
       "kostiscodefresh/gitops-simple-app", "v1.1", "", TargetKind::kHelmValues, "v1.0", "v1.1"},
      {"codefresh-contrib__gitops-certification-examples/helm-apps/many-envs-chart/values.yaml",
       "docker.io/kostiscodefresh/gitops-simple-app", "v2.0", "", TargetKind::kHelmValues, "v1.0",
       "v2.0"},
      {"argoproj__argo-cd/applicationset/examples/git-generator-directory/excludes/cluster-addons/"
       "exclude-helm-guestbook/values.yaml",
       "quay.io/argoprojlabs/argocd-e2e-container", "0.2", "", TargetKind::kHelmValues, "0.1",
       "0.2"},
      {"onedr0p__home-ops__sops-2022-11/cluster/apps/home-automation/zigbee2mqtt/helm-release.yaml",
       "ghcr.io/koenkk/zigbee2mqtt", "1.29.0", "", TargetKind::kHelmValues, "1.28.2", "1.29.0"},
      {"onedr0p__home-ops/kubernetes/apps/network/unifi-dns/app/helmrelease.yaml",
       "ghcr.io/home-operations/external-dns-unifi-webhook", "0.10.12", kNewDigest,
       TargetKind::kHelmValues,
       "0.10.11@sha256:e8c93980f593c5d6a75870e6eb2c288003f2baa227fcbb5e41ec23ecbfd6cbe9",
       "0.10.12@" + kNewDigest},
      {"argoproj__argo-cd/applicationset/examples/pull-request-generator/pull-request-example.yaml",
       "ghcr.io/myorg/guestbook",
       "pull-abc123",
       "",
       TargetKind::kArgoHelmParameter,
       "pull-{{ .head_sha }}",
       "pull-abc123",
       {"image.tag"}},
  }));
  CAPTURE(row.file, row.image);
  std::string original = ReadCorpus(row.file);
  BumpRequest request;
  auto image = ParseReference(row.image);
  REQUIRE(image.ok());
  request.image = *image;
  request.tag = row.tag;
  request.digest = row.digest;
  request.helm_keys = row.helm_keys;
  request.explicit_file = !row.helm_keys.empty();
  auto plan = PlanBump(row.file, original, request);
  REQUIRE(plan.ok());
  CHECK(plan->refused.empty());
  REQUIRE(plan->changes.size() == 1);
  const Change& change = plan->changes[0];
  CHECK(change.kind == row.kind);
  CHECK(change.old_value == row.old_value);
  CHECK(change.new_value == row.new_value);

  // The edit covers the scalar's source bytes; inside any quotes they are exactly the value.
  const yaml::Edit& edit = change.edit;
  REQUIRE(edit.length >= row.old_value.size());
  std::size_t quote = (edit.length - row.old_value.size()) / 2;
  REQUIRE(edit.length == row.old_value.size() + 2 * quote);
  std::size_t at = edit.offset + quote;
  std::string prefix = original.substr(0, at);
  std::string suffix = original.substr(at + row.old_value.size());
  CHECK(original == prefix + row.old_value + suffix);
  CHECK(plan->new_text == prefix + row.new_value + suffix);

  // Nothing outside the value differs: the common prefix and suffix reach the value's bytes.
  const std::string& changed = plan->new_text;
  std::size_t common_prefix = 0;
  while (common_prefix < original.size() && common_prefix < changed.size() &&
         original[common_prefix] == changed[common_prefix])
    ++common_prefix;
  std::size_t common_suffix = 0;
  while (common_suffix < original.size() - common_prefix &&
         common_suffix < changed.size() - common_prefix &&
         original[original.size() - 1 - common_suffix] ==
             changed[changed.size() - 1 - common_suffix])
    ++common_suffix;
  CHECK(common_prefix >= prefix.size());
  CHECK(common_suffix >= suffix.size());

  yaml::ParsedFile before = yaml::Parse(original);
  yaml::ParsedFile after = yaml::Parse(changed);
  REQUIRE(after.issues.size() == before.issues.size());
  REQUIRE(after.documents.size() == before.documents.size());
  Comparison comparison;
  for (std::size_t i = 0; i < before.documents.size(); ++i)
    SameStructure(before.documents[i], before.documents[i].root(), after.documents[i],
                  after.documents[i].root(), edit.offset, row.new_value, comparison);
  CHECK(comparison.changed_seen == 1);
  CHECK(comparison.mismatches == 0);
}

TEST_CASE("a real digest-pinned image is refused when only the tag is bumped", "[targets]") {
  if (!capstan::testing::RequireSharedData("corpus")) return;
  std::string file = "GoogleCloudPlatform__microservices-demo/release/kubernetes-manifests.yaml";
  std::string original = ReadCorpus(file);
  BumpRequest request;
  request.image = *ParseReference("busybox");
  request.tag = "1.39.0";
  auto plan = PlanBump(file, original, request);
  REQUIRE(plan.ok());
  CHECK(plan->changes.empty());
  REQUIRE(plan->refused.size() == 1);
  CHECK(plan->refused[0].line == 494);
  CHECK(plan->refused[0].message.find("pins a digest") != std::string::npos);
  CHECK(plan->new_text == original);
}

}  // namespace
}  // namespace capstan::image
