#include "k8s/removed_apis.h"

namespace capstan::k8s {
namespace {

// Kubernetes rows: the deprecation guide, kubernetes.io/docs/reference/using-api/deprecation-guide
// (one section per release: v1.16, v1.22, v1.25, v1.26, v1.27, v1.29, v1.32).
constexpr RemovedApi kRemoved[] = {
    // v1.16: extensions/v1beta1 and apps/v1beta1, apps/v1beta2 workloads.
    {"extensions", "v1beta1", "Deployment", "Kubernetes 1.16", "apps/v1"},
    {"extensions", "v1beta1", "DaemonSet", "Kubernetes 1.16", "apps/v1"},
    {"extensions", "v1beta1", "ReplicaSet", "Kubernetes 1.16", "apps/v1"},
    {"extensions", "v1beta1", "NetworkPolicy", "Kubernetes 1.16", "networking.k8s.io/v1"},
    {"extensions", "v1beta1", "PodSecurityPolicy", "Kubernetes 1.16",
     "Pod Security Admission (PodSecurityPolicy itself was removed in Kubernetes 1.25)"},
    // v1.22: Ingress left extensions/v1beta1 last.
    {"extensions", "v1beta1", "Ingress", "Kubernetes 1.22", "networking.k8s.io/v1"},
    {"extensions", "v1beta1", "", "Kubernetes 1.22",
     "the kind's apps/v1 or networking.k8s.io/v1 API"},
    {"apps", "v1beta1", "", "Kubernetes 1.16", "apps/v1"},  // v1.16
    {"apps", "v1beta2", "", "Kubernetes 1.16", "apps/v1"},  // v1.16
    // v1.22.
    {"admissionregistration.k8s.io", "v1beta1", "", "Kubernetes 1.22",
     "admissionregistration.k8s.io/v1"},
    {"apiextensions.k8s.io", "v1beta1", "", "Kubernetes 1.22", "apiextensions.k8s.io/v1"},
    {"apiregistration.k8s.io", "v1beta1", "", "Kubernetes 1.22", "apiregistration.k8s.io/v1"},
    {"authentication.k8s.io", "v1beta1", "TokenReview", "Kubernetes 1.22",
     "authentication.k8s.io/v1"},
    {"authorization.k8s.io", "v1beta1", "", "Kubernetes 1.22", "authorization.k8s.io/v1"},
    {"certificates.k8s.io", "v1beta1", "CertificateSigningRequest", "Kubernetes 1.22",
     "certificates.k8s.io/v1"},
    {"coordination.k8s.io", "v1beta1", "Lease", "Kubernetes 1.22", "coordination.k8s.io/v1"},
    {"networking.k8s.io", "v1beta1", "Ingress", "Kubernetes 1.22", "networking.k8s.io/v1"},
    {"networking.k8s.io", "v1beta1", "IngressClass", "Kubernetes 1.22", "networking.k8s.io/v1"},
    {"rbac.authorization.k8s.io", "v1beta1", "", "Kubernetes 1.22", "rbac.authorization.k8s.io/v1"},
    {"rbac.authorization.k8s.io", "v1alpha1", "", "Kubernetes 1.22",
     "rbac.authorization.k8s.io/v1"},
    {"scheduling.k8s.io", "v1beta1", "PriorityClass", "Kubernetes 1.22", "scheduling.k8s.io/v1"},
    {"storage.k8s.io", "v1beta1", "CSIDriver", "Kubernetes 1.22", "storage.k8s.io/v1"},
    {"storage.k8s.io", "v1beta1", "CSINode", "Kubernetes 1.22", "storage.k8s.io/v1"},
    {"storage.k8s.io", "v1beta1", "StorageClass", "Kubernetes 1.22", "storage.k8s.io/v1"},
    {"storage.k8s.io", "v1beta1", "VolumeAttachment", "Kubernetes 1.22", "storage.k8s.io/v1"},
    // v1.25.
    {"batch", "v1beta1", "CronJob", "Kubernetes 1.25", "batch/v1"},
    {"discovery.k8s.io", "v1beta1", "EndpointSlice", "Kubernetes 1.25", "discovery.k8s.io/v1"},
    {"events.k8s.io", "v1beta1", "Event", "Kubernetes 1.25", "events.k8s.io/v1"},
    {"autoscaling", "v2beta1", "HorizontalPodAutoscaler", "Kubernetes 1.25", "autoscaling/v2"},
    {"policy", "v1beta1", "PodDisruptionBudget", "Kubernetes 1.25", "policy/v1"},
    {"policy", "v1beta1", "PodSecurityPolicy", "Kubernetes 1.25",
     "Pod Security Admission (namespace labels pod-security.kubernetes.io/*)"},
    {"node.k8s.io", "v1beta1", "RuntimeClass", "Kubernetes 1.25", "node.k8s.io/v1"},
    // v1.26.
    {"autoscaling", "v2beta2", "HorizontalPodAutoscaler", "Kubernetes 1.26", "autoscaling/v2"},
    {"flowcontrol.apiserver.k8s.io", "v1beta1", "", "Kubernetes 1.26",
     "flowcontrol.apiserver.k8s.io/v1"},
    // v1.27.
    {"storage.k8s.io", "v1beta1", "CSIStorageCapacity", "Kubernetes 1.27", "storage.k8s.io/v1"},
    // v1.29, v1.32.
    {"flowcontrol.apiserver.k8s.io", "v1beta2", "", "Kubernetes 1.29",
     "flowcontrol.apiserver.k8s.io/v1"},
    {"flowcontrol.apiserver.k8s.io", "v1beta3", "", "Kubernetes 1.32",
     "flowcontrol.apiserver.k8s.io/v1"},

    // Flux: v1beta1/v2beta1 left the CRDs in Flux 2.7 (fluxcd/flux2#5474), v1beta2/v2beta2 in
    // Flux 2.8 (fluxcd/flux2#5711); the embedded CRDs serve only the GA versions.
    {"helm.toolkit.fluxcd.io", "v2beta1", "", "Flux 2.7", "helm.toolkit.fluxcd.io/v2"},
    {"helm.toolkit.fluxcd.io", "v2beta2", "", "Flux 2.8", "helm.toolkit.fluxcd.io/v2"},
    {"kustomize.toolkit.fluxcd.io", "v1beta1", "", "Flux 2.7", "kustomize.toolkit.fluxcd.io/v1"},
    {"kustomize.toolkit.fluxcd.io", "v1beta2", "", "Flux 2.8", "kustomize.toolkit.fluxcd.io/v1"},
    {"source.toolkit.fluxcd.io", "v1beta1", "", "Flux 2.7", "source.toolkit.fluxcd.io/v1"},
    {"source.toolkit.fluxcd.io", "v1beta2", "", "Flux 2.8", "source.toolkit.fluxcd.io/v1"},
    {"image.toolkit.fluxcd.io", "v1beta1", "", "Flux 2.7", "image.toolkit.fluxcd.io/v1"},
    {"image.toolkit.fluxcd.io", "v1beta2", "", "Flux 2.8", "image.toolkit.fluxcd.io/v1"},
    // notification v1beta1: fluxcd/notification-controller#1157 (Flux 2.7); v1beta2:
    // fluxcd/notification-controller#1327 (fluxcd/flux2#5942, after Flux 2.8). Receiver is GA
    // at v1, Alert and Provider at v1beta3.
    {"notification.toolkit.fluxcd.io", "v1beta1", "Receiver", "Flux 2.7",
     "notification.toolkit.fluxcd.io/v1"},
    {"notification.toolkit.fluxcd.io", "v1beta1", "", "Flux 2.7",
     "notification.toolkit.fluxcd.io/v1beta3"},
    {"notification.toolkit.fluxcd.io", "v1beta2", "Receiver", "Flux releases after 2.8",
     "notification.toolkit.fluxcd.io/v1"},
    {"notification.toolkit.fluxcd.io", "v1beta2", "", "Flux releases after 2.8",
     "notification.toolkit.fluxcd.io/v1beta3"},

    // External Secrets Operator: v1alpha1 removed when v1 arrived in 0.16
    // (external-secrets/external-secrets#4633); 0.17 stopped serving v1beta1 (its release notes).
    // PushSecret is still v1alpha1.
    {"external-secrets.io", "v1alpha1", "ExternalSecret", "External Secrets Operator 0.16",
     "external-secrets.io/v1"},
    {"external-secrets.io", "v1alpha1", "SecretStore", "External Secrets Operator 0.16",
     "external-secrets.io/v1"},
    {"external-secrets.io", "v1alpha1", "ClusterSecretStore", "External Secrets Operator 0.16",
     "external-secrets.io/v1"},
    {"external-secrets.io", "v1beta1", "", "External Secrets Operator 0.17",
     "external-secrets.io/v1"},
};

}  // namespace

const RemovedApi* FindRemovedApi(const GroupVersionKind& gvk) {
  for (const RemovedApi& row : kRemoved) {
    if (row.group == gvk.group && row.version == gvk.version &&
        (row.kind.empty() || row.kind == gvk.kind)) {
      return &row;
    }
  }
  return nullptr;
}

std::string RemovedApiMessage(const GroupVersionKind& gvk, const RemovedApi& removed) {
  return ApiVersion(gvk) + " " + gvk.kind + " was removed in " + std::string(removed.removed) +
         "; use " + std::string(removed.use);
}

}  // namespace capstan::k8s
