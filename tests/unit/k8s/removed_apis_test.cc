#include "k8s/removed_apis.h"

#include <catch2/catch.hpp>

namespace capstan::k8s {
namespace {

std::string MessageFor(const GroupVersionKind& gvk) {
  const RemovedApi* removed = FindRemovedApi(gvk);
  return removed == nullptr ? "" : RemovedApiMessage(gvk, *removed);
}

TEST_CASE("a removed Kubernetes API names the release that removed it and its replacement") {
  struct Case {
    GroupVersionKind gvk;
    std::string message;
  };
  const Case cases[] = {
      {{"extensions", "v1beta1", "Deployment"},
       "extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1"},
      {{"extensions", "v1beta1", "Ingress"},
       "extensions/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1"},
      {{"apps", "v1beta2", "StatefulSet"},
       "apps/v1beta2 StatefulSet was removed in Kubernetes 1.16; use apps/v1"},
      {{"apiextensions.k8s.io", "v1beta1", "CustomResourceDefinition"},
       "apiextensions.k8s.io/v1beta1 CustomResourceDefinition was removed in Kubernetes 1.22; use "
       "apiextensions.k8s.io/v1"},
      {{"policy", "v1beta1", "PodDisruptionBudget"},
       "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1"},
      {{"batch", "v1beta1", "CronJob"},
       "batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1"},
      {{"autoscaling", "v2beta2", "HorizontalPodAutoscaler"},
       "autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26; use "
       "autoscaling/v2"},
      {{"storage.k8s.io", "v1beta1", "CSIStorageCapacity"},
       "storage.k8s.io/v1beta1 CSIStorageCapacity was removed in Kubernetes 1.27; use "
       "storage.k8s.io/v1"},
      {{"flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema"},
       "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32; use "
       "flowcontrol.apiserver.k8s.io/v1"},
      {{"helm.toolkit.fluxcd.io", "v2beta1", "HelmRelease"},
       "helm.toolkit.fluxcd.io/v2beta1 HelmRelease was removed in Flux 2.7; use "
       "helm.toolkit.fluxcd.io/v2"},
      {{"source.toolkit.fluxcd.io", "v1beta2", "HelmRepository"},
       "source.toolkit.fluxcd.io/v1beta2 HelmRepository was removed in Flux 2.8; use "
       "source.toolkit.fluxcd.io/v1"},
      {{"notification.toolkit.fluxcd.io", "v1beta1", "Receiver"},
       "notification.toolkit.fluxcd.io/v1beta1 Receiver was removed in Flux 2.7; use "
       "notification.toolkit.fluxcd.io/v1"},
      {{"notification.toolkit.fluxcd.io", "v1beta1", "Alert"},
       "notification.toolkit.fluxcd.io/v1beta1 Alert was removed in Flux 2.7; use "
       "notification.toolkit.fluxcd.io/v1beta3"},
      {{"external-secrets.io", "v1beta1", "ExternalSecret"},
       "external-secrets.io/v1beta1 ExternalSecret was removed in External Secrets Operator 0.17; "
       "use external-secrets.io/v1"},
  };
  for (const auto& c : cases) {
    INFO(ApiVersion(c.gvk) << " " << c.gvk.kind);
    CHECK(MessageFor(c.gvk) == c.message);
  }
}

TEST_CASE(
    "versions that are still served, or beta kinds that were never removed, are not in the table") {
  CHECK(FindRemovedApi({"apps", "v1", "Deployment"}) == nullptr);
  CHECK(FindRemovedApi({"helm.toolkit.fluxcd.io", "v2", "HelmRelease"}) == nullptr);
  CHECK(FindRemovedApi({"storage.k8s.io", "v1beta1", "VolumeAttributesClass"}) == nullptr);
  CHECK(FindRemovedApi({"external-secrets.io", "v1alpha1", "PushSecret"}) == nullptr);
  CHECK(FindRemovedApi({"example.com", "v1beta1", "Widget"}) == nullptr);
}

}  // namespace
}  // namespace capstan::k8s
