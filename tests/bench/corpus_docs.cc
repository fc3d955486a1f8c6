#include "corpus_docs.h"

#include <array>
#include <string_view>

namespace capstan::bench {
namespace {

using std::to_string;

constexpr std::array<std::string_view, 8> kLogLevels = {"debug", "info", "info",  "info",
                                                        "warn",  "info", "error", "info"};
constexpr std::array<std::string_view, 6> kCpu = {"50m", "100m", "200m", "250m", "500m", "1"};
constexpr std::array<std::string_view, 6> kMemory = {"64Mi",  "128Mi", "256Mi",
                                                     "512Mi", "1Gi",   "2Gi"};
constexpr std::array<std::string_view, 10> kEnvNames = {
    "FEATURE_FLAGS", "CACHE_TTL_SECONDS", "UPSTREAM_URL",   "MAX_CONNECTIONS", "REGION",
    "TRACING_RATE",  "QUEUE_NAME",        "RETRY_ATTEMPTS", "HTTP_TIMEOUT",    "BATCH_SIZE"};
constexpr std::array<std::string_view, 4> kSidecars = {"envoy", "fluent-bit", "oauth2-proxy",
                                                       "cloud-sql-proxy"};

template <std::size_t N>
std::string_view Pick(const std::array<std::string_view, N>& items, Rng& rng) {
  return items[static_cast<std::size_t>(rng.Uniform(0, static_cast<int>(N) - 1))];
}

void Probe(std::string_view key, std::string_view path, Rng& rng, std::string& out) {
  out += "          " + std::string(key) + ":\n";
  if (rng.Chance(80)) {
    out += "            httpGet:\n              path: " + std::string(path) +
           "\n              port: http\n";
  } else {
    out += "            tcpSocket:\n              port: 8080\n";
  }
  int delay = rng.Uniform(0, 30);
  int period = rng.Uniform(5, 20);
  out += "            initialDelaySeconds: " + to_string(delay) +
         "\n            periodSeconds: " + to_string(period) +
         "\n            timeoutSeconds: 2\n            failureThreshold: 3\n";
}

void Resources(Rng& rng, std::string& out) {
  int cpu = rng.Uniform(0, 3);
  int mem = rng.Uniform(0, 3);
  out +=
      "          resources:\n            requests:\n              cpu: " + std::string(kCpu[cpu]) +
      "\n              memory: " + std::string(kMemory[mem]) +
      "\n            limits:\n              cpu: \"" + std::string(kCpu[cpu + 2]) +
      "\"\n              memory: " + std::string(kMemory[mem + 2]) + "\n";
}

void MainContainer(const AppRef& ref, Rng& rng, std::string& out) {
  std::string version = Version(rng);
  std::string log_level(Pick(kLogLevels, rng));
  out += "        - name: " + ref.app + "\n          image: ghcr.io/acme/" + ref.app + ":" +
         version +
         "\n          imagePullPolicy: IfNotPresent\n          args:\n            - --port=8080\n"
         "            - --log-level=" +
         log_level +
         "\n          ports:\n            - name: http\n              containerPort: 8080\n"
         "              protocol: TCP\n            - name: metrics\n"
         "              containerPort: 9090\n              protocol: TCP\n          env:\n"
         "            - name: POD_NAME\n              valueFrom:\n                fieldRef:\n"
         "                  fieldPath: metadata.name\n            - name: DATABASE_PASSWORD\n"
         "              valueFrom:\n                secretKeyRef:\n                  name: " +
         ref.app + "-db\n                  key: password\n";
  for (int i = rng.Uniform(2, 6); i > 0; --i) {
    std::string var(Pick(kEnvNames, rng));
    int value = rng.Uniform(1, 5000);
    out += "            - name: " + var + "_" + to_string(i) + "\n              value: \"" +
           to_string(value) + "\"\n";
  }
  out += "          envFrom:\n            - configMapRef:\n                name: " + ref.app +
         "-config\n";
  Resources(rng, out);
  Probe("livenessProbe", "/healthz", rng, out);
  Probe("readinessProbe", "/ready", rng, out);
  out += "          volumeMounts:\n            - name: config\n              mountPath: /etc/" +
         ref.app +
         "\n              readOnly: true\n            - name: tls\n"
         "              mountPath: /var/run/tls\n              readOnly: true\n"
         "            - name: tmp\n              mountPath: /tmp\n"
         "          securityContext:\n            allowPrivilegeEscalation: false\n"
         "            readOnlyRootFilesystem: true\n            capabilities:\n"
         "              drop:\n                - ALL\n";
}

void Sidecar(Rng& rng, std::string& out) {
  std::string name(Pick(kSidecars, rng));
  out += "        - name: " + name + "\n          image: docker.io/library/" + name + ":" +
         Version(rng) +
         "\n          ports:\n            - name: sidecar\n              containerPort: 15000\n"
         "          resources:\n            requests:\n              cpu: 10m\n"
         "              memory: 32Mi\n            limits:\n              cpu: 100m\n"
         "              memory: 64Mi\n";
}

void Deployment(const AppRef& ref, const std::string& name, Rng& rng, std::string& out) {
  out += "apiVersion: apps/v1\nkind: Deployment\n";
  AppendMetadata(ref, name, out);
  out += "  annotations:\n    reloader.stakater.com/auto: \"true\"\nspec:\n  replicas: " +
         to_string(ref.env == "prod" ? rng.Uniform(3, 12) : rng.Uniform(1, 2)) +
         "\n  revisionHistoryLimit: 5\n  selector:\n    matchLabels:\n"
         "      app.kubernetes.io/name: " +
         ref.app +
         "\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%\n"
         "      maxUnavailable: 0\n  template:\n    metadata:\n      labels:\n"
         "        app.kubernetes.io/name: " +
         ref.app + "\n        environment: " + ref.env +
         "\n      annotations:\n        prometheus.io/scrape: \"true\"\n"
         "        prometheus.io/port: \"9090\"\n    spec:\n      serviceAccountName: " +
         ref.app +
         "\n      terminationGracePeriodSeconds: 30\n      securityContext:\n"
         "        runAsNonRoot: true\n        runAsUser: 10001\n        fsGroup: 10001\n"
         "      containers:\n";
  MainContainer(ref, rng, out);
  if (rng.Chance(30)) Sidecar(rng, out);
  out +=
      "      volumes:\n        - name: config\n          configMap:\n            name: " + ref.app +
      "-config\n        - name: tls\n          secret:\n            secretName: " + ref.app +
      "-tls\n        - name: tmp\n          emptyDir: {}\n";
}

void Service(const AppRef& ref, const std::string& name, Rng& rng, std::string& out) {
  out += "apiVersion: v1\nkind: Service\n";
  AppendMetadata(ref, name, out);
  out += "spec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: " + ref.app +
         "\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n"
         "      protocol: TCP\n";
  if (rng.Chance(50)) {
    out += "    - name: metrics\n      port: 9090\n      targetPort: 9090\n      protocol: TCP\n";
  }
}

void ConfigMap(const AppRef& ref, const std::string& name, Rng& rng, std::string& out) {
  out += "apiVersion: v1\nkind: ConfigMap\n";
  AppendMetadata(ref, name, out);
  std::string log_level(Pick(kLogLevels, rng));
  int ttl = rng.Uniform(30, 3600);
  out += "data:\n  LOG_LEVEL: " + log_level + "\n  CACHE_TTL_SECONDS: \"" + to_string(ttl) + "\"\n";
  for (int i = rng.Uniform(1, 4); i > 0; --i) {
    std::string key(Pick(kEnvNames, rng));
    int length = rng.Uniform(4, 24);
    out += "  " + key + "_" + to_string(i) + ": \"" + RandomToken(rng, length) + "\"\n";
  }
  out +=
      "  application.yaml: |\n    server:\n      port: 8080\n      shutdown: graceful\n"
      "    upstream:\n      url: http://" +
      ref.app + "-upstream." + ref.team + "-" + ref.env +
      ".svc.cluster.local\n      timeout: " + to_string(rng.Uniform(1, 30)) + "s\n    features:\n";
  for (int i = rng.Uniform(1, 6); i > 0; --i) {
    out += "      - " + RandomToken(rng, 10) + "\n";
  }
}

void Secret(const AppRef& ref, const std::string& name, Rng& rng, std::string& out) {
  out += "apiVersion: v1\nkind: Secret\n";
  AppendMetadata(ref, name, out);
  if (rng.Chance(20)) {
    std::string crt = Base64(RandomToken(rng, 600));
    std::string key = Base64(RandomToken(rng, 300));
    out += "type: kubernetes.io/tls\ndata:\n  tls.crt: " + crt + "\n  tls.key: " + key + "\n";
    return;
  }
  out += "type: Opaque\ndata:\n  username: " + Base64(ref.app) +
         "\n  password: " + Base64(RandomToken(rng, 32)) + "\n";
  if (rng.Chance(50)) out += "  api-key: " + Base64(RandomToken(rng, 40)) + "\n";
}

void Application(const AppRef& ref, const std::string& name, Rng& rng, std::string& out) {
  std::string revision = "main";
  if (ref.env == "prod") {
    revision = "v";
    revision += Version(rng);
  }
  int retries = rng.Uniform(2, 5);
  out +=
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + name +
      "\n  namespace: argocd\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io\n"
      "  labels:\n    team: " +
      ref.team + "\n    environment: " + ref.env + "\nspec:\n  project: " + ref.team +
      "\n  source:\n    repoURL: https://github.com/acme/gitops.git\n    targetRevision: " +
      revision + "\n    path: apps/" + ref.team + "/" + ref.app + "/" + ref.env +
      "\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: " + ref.team +
      "-" + ref.env + "\n  syncPolicy:\n    automated:\n      prune: true\n      selfHeal: " +
      (ref.env == "prod" ? "false" : "true") +
      "\n    syncOptions:\n      - CreateNamespace=true\n      - ServerSideApply=true\n"
      "    retry:\n      limit: " +
      to_string(retries) +
      "\n      backoff:\n        duration: 5s\n        factor: 2\n        maxDuration: 3m\n";
}

}  // namespace

// Every draw from the Rng is a statement of its own: the operands of one `a + b` expression are
// evaluated in an unspecified order, and the corpus must be the same bytes with any compiler.
std::string Version(Rng& rng) {
  std::string v = to_string(rng.Uniform(0, 3));
  v += '.';
  v += to_string(rng.Uniform(0, 30));
  v += '.';
  v += to_string(rng.Uniform(0, 12));
  return v;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string RandomToken(Rng& rng, int length) {
  static constexpr char kChars[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < length; ++i)
    out += kChars[rng.Uniform(0, static_cast<int>(sizeof(kChars)) - 2)];
  return out;
}

void AppendMetadata(const AppRef& ref, const std::string& name, std::string& out) {
  out += "metadata:\n  name: " + name + "\n  namespace: " + ref.team + "-" + ref.env +
         "\n  labels:\n    app.kubernetes.io/name: " + ref.app +
         "\n    app.kubernetes.io/part-of: " + ref.team +
         "\n    app.kubernetes.io/managed-by: argocd\n    environment: " + ref.env + "\n";
}

std::uint64_t Rng::Next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

int Rng::Uniform(int lo, int hi) {
  return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
}

void AppendDocument(DocKind kind, const AppRef& ref, const std::string& name, Rng& rng,
                    std::string& out) {
  switch (kind) {
    case DocKind::kDeployment:
      return Deployment(ref, name, rng, out);
    case DocKind::kService:
      return Service(ref, name, rng, out);
    case DocKind::kConfigMap:
      return ConfigMap(ref, name, rng, out);
    case DocKind::kSecret:
      return Secret(ref, name, rng, out);
    case DocKind::kApplication:
      return Application(ref, name, rng, out);
  }
}

const char* KindLabel(DocKind kind) {
  switch (kind) {
    case DocKind::kDeployment:
      return "deployment";
    case DocKind::kService:
      return "service";
    case DocKind::kConfigMap:
      return "configmap";
    case DocKind::kSecret:
      return "secret";
    case DocKind::kApplication:
      return "application";
  }
  return "document";
}

}  // namespace capstan::bench
