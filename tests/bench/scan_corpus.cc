#include "scan_corpus.h"

#include <string_view>

#include "scan_secrets.h"

namespace capstan::bench {
namespace {

using std::to_string;

constexpr std::array<std::string_view, 4> kRegions = {"eu-west-1", "eu-central-1", "us-east-1",
                                                      "us-west-2"};

CorpusFile Doc(const std::string& path, DocKind kind, const AppRef& ref, const std::string& name,
               Rng& rng) {
  CorpusFile f{path, ""};
  AppendDocument(kind, ref, name, rng, f.content);
  return f;
}

std::string Autoscaler(const AppRef& ref, Rng& rng) {
  std::string out = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n";
  AppendMetadata(ref, ref.app, out);
  int min = rng.Uniform(1, 3);
  int max = rng.Uniform(4, 20);
  int cpu = rng.Uniform(50, 85);
  out += "spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: " +
         ref.app + "\n  minReplicas: " + to_string(min) + "\n  maxReplicas: " + to_string(max) +
         "\n  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n"
         "        target:\n          type: Utilization\n          averageUtilization: " +
         to_string(cpu) + "\n";
  return out;
}

std::string DisruptionBudget(const AppRef& ref) {
  std::string out = "apiVersion: policy/v1\nkind: PodDisruptionBudget\n";
  AppendMetadata(ref, ref.app, out);
  out +=
      "spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n"
      "      app.kubernetes.io/name: " +
      ref.app + "\n";
  return out;
}

std::string EnvFile(const AppRef& ref, Rng& rng) {
  int ttl = rng.Uniform(30, 3600);
  int pool = rng.Uniform(5, 50);
  std::string out =
      "# Loaded by the configMapGenerator in kustomization.yaml: no secrets here,\n"
      "# credentials come from the " +
      ref.app +
      "-db Secret.\nLOG_LEVEL=info\nLOG_FORMAT=json\nCACHE_TTL_SECONDS=" + to_string(ttl) +
      "\nDB_POOL_SIZE=" + to_string(pool) + "\nDB_HOST=" + ref.app + "-db." + ref.team +
      ".svc.cluster.local\nDB_PASSWORD_FILE=/var/run/" +
      "secrets/db/password\nUPSTREAM_URL=http://" + ref.app + "-upstream:8080\n";
  for (int i = rng.Uniform(1, 5); i > 0; --i) out += "FEATURE_" + RandomToken(rng, 6) + "=true\n";
  return out;
}

std::string ExternalSecret(const AppRef& ref) {
  std::string out = "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n";
  AppendMetadata(ref, ref.app + "-db", out);
  out +=
      "spec:\n  refreshInterval: 1h\n  secretStoreRef:\n    name: vault-backend\n"
      "    kind: ClusterSecretStore\n  target:\n    name: " +
      ref.app +
      "-db\n    creationPolicy: Owner\n  data:\n    - secretKey: username\n      remoteRef:\n"
      "        key: kv/" +
      ref.team + "/" + ref.app +
      "/db\n        property: username\n    - secretKey: password\n      remoteRef:\n"
      "        key: kv/" +
      ref.team + "/" + ref.app + "/db\n        property: password\n";
  return out;
}

std::string VaultPluginSecret(const AppRef& ref) {
  std::string out = "apiVersion: v1\nkind: Secret\n";
  AppendMetadata(ref, ref.app + "-api", out);
  out += "  annotations:\n    avp.kubernetes.io/path: \"kv/data/" + ref.team + "/" + ref.app +
         "\"\ntype: Opaque\nstringData:\n  api-key: <api-key>\n  db-password: <path:kv/data/" +
         ref.team + "/" + ref.app + "/db#password>\n";
  return out;
}

std::string BaseKustomization(const AppRef& ref, const std::vector<std::string>& resources,
                              bool env_file) {
  std::string out =
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nlabels:\n"
      "  - includeSelectors: false\n    pairs:\n      app.kubernetes.io/part-of: " +
      ref.team + "\nresources:\n";
  for (const auto& r : resources) out += "  - " + r + "\n";
  if (env_file) {
    out += "configMapGenerator:\n  - name: " + ref.app + "-env\n    envs:\n      - app.env\n";
  }
  return out;
}

std::string OverlayKustomization(const AppRef& ref, Rng& rng) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: " +
         ref.team + "-" + ref.env +
         "\nresources:\n  - ../../base\npatches:\n  - path: patch-deployment.yaml\nimages:\n"
         "  - name: ghcr.io/acme/" +
         ref.app + "\n    newTag: " + Version(rng) + "\n";
}

std::string OverlayPatch(const AppRef& ref, Rng& rng) {
  int replicas = ref.env == "prod" ? rng.Uniform(3, 12) : rng.Uniform(1, 2);
  int memory = 128 << rng.Uniform(0, 4);
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + ref.app +
         "\nspec:\n  replicas: " + to_string(replicas) +
         "\n  template:\n    spec:\n      containers:\n        - name: " + ref.app +
         "\n          resources:\n            limits:\n              memory: " + to_string(memory) +
         "Mi\n";
}

std::string HelmValues(const AppRef& ref, Rng& rng) {
  int replicas = rng.Uniform(1, 3);
  int port = 8000 + rng.Uniform(0, 99);
  std::string out = "# Default values for " + ref.app + ".\nreplicaCount: " + to_string(replicas) +
                    "\n\nimage:\n  repository: ghcr.io/acme/" + ref.app +
                    "\n  pullPolicy: IfNotPresent\n  tag: \"\"\n\nimagePullSecrets:\n"
                    "  - name: ghcr-pull\n\nserviceAccount:\n  create: true\n  annotations: {}\n"
                    "\npodAnnotations:\n  prometheus.io/scrape: \"true\"\n\nservice:\n"
                    "  type: ClusterIP\n  port: " +
                    to_string(port) +
                    "\n\ningress:\n  enabled: true\n  className: nginx\n  annotations:\n"
                    "    cert-manager.io/cluster-issuer: letsencrypt\n  hosts:\n    - host: " +
                    ref.app +
                    ".acme.example\n      paths:\n        - path: /\n"
                    "          pathType: Prefix\n  tls:\n    - secretName: " +
                    ref.app + "-tls\n      hosts:\n        - " + ref.app +
                    ".acme.example\n\nresources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n"
                    "  limits:\n    memory: 512Mi\n\nautoscaling:\n  enabled: false\n"
                    "  minReplicas: 1\n  maxReplicas: 10\n  targetCPUUtilizationPercentage: 80\n\n"
                    "# The chart reads credentials from existing Secrets only.\ndatabase:\n"
                    "  host: " +
                    ref.app + "-db." + ref.team +
                    ".svc.cluster.local\n  port: 5432\n  name: " + ref.app +
                    "\n  existingSecret: " + ref.app +
                    "-db\n  secretKeys:\n    usernameKey: username\n    passwordKey: password\n\n"
                    "redis:\n  enabled: " +
                    (rng.Chance(50) ? "true" : "false") +
                    "\n  auth:\n    enabled: true\n    existingSecret: " + ref.app +
                    "-redis\n    existingSecretPasswordKey: redis-password\n\nenv:\n";
  for (int i = rng.Uniform(2, 6); i > 0; --i) {
    int value = rng.Uniform(1, 5000);
    out += "  - name: SETTING_" + to_string(i) + "\n    value: \"" + to_string(value) + "\"\n";
  }
  out += "\nnodeSelector: {}\ntolerations: []\naffinity: {}\n";
  return out;
}

std::string HelmEnvValues(const AppRef& ref, Rng& rng) {
  int replicas = ref.env == "prod" ? rng.Uniform(3, 12) : 1;
  return "image:\n  tag: \"" + Version(rng) + "\"\nreplicaCount: " + to_string(replicas) +
         "\ningress:\n  hosts:\n    - host: " + ref.app + "." + ref.env +
         ".acme.example\n      paths:\n        - path: /\n          pathType: Prefix\n";
}

std::string HelmApplication(const AppRef& ref) {
  std::string path = "apps/" + ref.team + "/" + ref.app;
  return "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: " + ref.team +
         "-" + ref.app + "-" + ref.env + "\n  namespace: argocd\nspec:\n  project: " + ref.team +
         "\n  sources:\n    - repoURL: ghcr.io/acme/charts\n      chart: service\n"
         "      targetRevision: 4.2.0\n      helm:\n        valueFiles:\n"
         "          - $values/" +
         path + "/values.yaml\n          - $values/" + path + "/values-" + ref.env +
         ".yaml\n    - repoURL: https://github.com/acme/gitops.git\n      targetRevision: main\n"
         "      ref: values\n  destination:\n    server: https://kubernetes.default.svc\n"
         "    namespace: " +
         ref.team + "-" + ref.env +
         "\n  syncPolicy:\n    automated:\n      prune: true\n    syncOptions:\n"
         "      - CreateNamespace=true\n";
}

std::string Readme(const AppRef& ref, bool helm) {
  std::string out = "# " + ref.app + " (" + ref.team +
                    ")\n\nDeployed by Argo CD from this directory to dev, staging and prod.\n\n"
                    "## Layout\n\n";
  if (helm) {
    out +=
        "- `values.yaml`: defaults for the shared `service` chart\n"
        "- `values-<env>.yaml`: the image tag and replica count per environment\n";
  } else {
    out +=
        "- `base/`: the Deployment, Service and ConfigMap\n"
        "- `overlays/<env>/`: the image tag (`images:`) and per-environment patches\n";
  }
  out +=
      "\n## Secrets\n\nNever commit a plaintext `kind: Secret`. The database password and API "
      "token\nlive in Vault under `kv/" +
      ref.team + "/" + ref.app +
      "` and reach the cluster through a SealedSecret or\nan ExternalSecret; the pre-commit "
      "hook runs `capstan scan --staged`.\n\n## Releasing\n\nCI bumps the tag with `capstan "
      "bump`; promote by copying the tag from staging to prod.\n";
  return out;
}

std::string Dashboard(const AppRef& ref, Rng& rng) {
  std::string out = "{\n  \"title\": \"" + ref.team + " / " + ref.app + "\",\n  \"uid\": \"" +
                    RandomToken(rng, 9) +
                    "\",\n  \"schemaVersion\": 39,\n  \"refresh\": \"30s\",\n"
                    "  \"time\": {\"from\": \"now-6h\", \"to\": \"now\"},\n  \"panels\": [\n";
  const char* metrics[] = {"http_requests_total", "http_request_duration_seconds_bucket",
                           "process_resident_memory_bytes", "db_pool_connections_in_use"};
  int panels = rng.Uniform(3, 8);
  for (int i = 0; i < panels; ++i) {
    std::string metric = metrics[i % 4];
    out += "    {\n      \"id\": " + to_string(i + 1) +
           ",\n      \"type\": \"timeseries\",\n      \"title\": \"" + metric +
           "\",\n      \"gridPos\": {\"h\": 8, \"w\": 12, \"x\": " + to_string(i % 2 * 12) +
           ", \"y\": " + to_string(i / 2 * 8) +
           "},\n      \"targets\": [\n        {\n          \"expr\": \"sum(rate(" + metric +
           "{namespace=~\\\"" + ref.team + "-.*\\\", app=\\\"" + ref.app +
           "\\\"}[5m])) by (pod)\",\n          \"legendFormat\": \"{{pod}}\"\n        }\n"
           "      ]\n    }" +
           (i + 1 < panels ? ",\n" : "\n");
  }
  out += "  ]\n}\n";
  return out;
}

void KustomizeApp(const AppRef& app, Rng& rng, std::vector<CorpusFile>& out) {
  std::string dir = "apps/" + app.team + "/" + app.app;
  AppRef base = app;
  base.env = "base";
  std::vector<std::string> resources = {"deployment.yaml", "service.yaml", "configmap.yaml"};
  out.push_back(Doc(dir + "/base/deployment.yaml", DocKind::kDeployment, base, app.app, rng));
  out.push_back(Doc(dir + "/base/service.yaml", DocKind::kService, base, app.app, rng));
  out.push_back(
      Doc(dir + "/base/configmap.yaml", DocKind::kConfigMap, base, app.app + "-config", rng));
  if (rng.Chance(30)) {
    resources.push_back("hpa.yaml");
    out.push_back({dir + "/base/hpa.yaml", Autoscaler(base, rng)});
  }
  if (rng.Chance(30)) {
    resources.push_back("pdb.yaml");
    out.push_back({dir + "/base/pdb.yaml", DisruptionBudget(base)});
  }
  int secrets = rng.Uniform(1, 100);
  if (secrets <= 20) {
    resources.push_back("sealed-secret.yaml");
    out.push_back({dir + "/base/sealed-secret.yaml", SealedSecret(base, rng)});
  } else if (secrets <= 40) {
    resources.push_back("external-secret.yaml");
    out.push_back({dir + "/base/external-secret.yaml", ExternalSecret(base)});
  } else if (secrets <= 45) {
    resources.push_back("secret.enc.yaml");
    out.push_back({dir + "/base/secret.enc.yaml", SopsSecret(base, rng)});
  } else if (secrets <= 50) {
    resources.push_back("secret-avp.yaml");
    out.push_back({dir + "/base/secret-avp.yaml", VaultPluginSecret(base)});
  }
  bool env_file = rng.Chance(50);
  if (env_file) out.push_back({dir + "/base/app.env", EnvFile(app, rng)});
  out.push_back({dir + "/base/kustomization.yaml", BaseKustomization(app, resources, env_file)});
  for (std::string_view env : kEnvs) {
    AppRef at = app;
    at.env = env;
    std::string overlay = dir + "/overlays/" + at.env;
    out.push_back({overlay + "/kustomization.yaml", OverlayKustomization(at, rng)});
    out.push_back({overlay + "/patch-deployment.yaml", OverlayPatch(at, rng)});
    out.push_back(Doc("argocd/" + app.team + "/" + app.app + "-" + at.env + ".yaml",
                      DocKind::kApplication, at, app.team + "-" + app.app + "-" + at.env, rng));
  }
}

void HelmApp(const AppRef& app, Rng& rng, std::vector<CorpusFile>& out) {
  std::string dir = "apps/" + app.team + "/" + app.app;
  out.push_back({dir + "/values.yaml", HelmValues(app, rng)});
  for (std::string_view env : kEnvs) {
    AppRef at = app;
    at.env = env;
    out.push_back({dir + "/values-" + at.env + ".yaml", HelmEnvValues(at, rng)});
    out.push_back(
        {"argocd/" + app.team + "/" + app.app + "-" + at.env + ".yaml", HelmApplication(at)});
  }
}

}  // namespace

AppRef AppAt(long index) {
  long pairs = static_cast<long>(kTeams.size() * kApps.size());
  AppRef ref;
  ref.team = kTeams[static_cast<std::size_t>(index) % kTeams.size()];
  ref.app =
      kApps[static_cast<std::size_t>(index / static_cast<long>(kTeams.size())) % kApps.size()];
  if (index >= pairs) ref.app += "-" + to_string(index / pairs + 1);
  return ref;
}

void AppendRootFiles(Rng& rng, std::vector<CorpusFile>& out) {
  out.push_back({".gitignore",
                 "# local tooling\n.terraform/\n*.tfstate\n*.tfstate.backup\n.env.local\n"
                 "# rendered or decrypted manifests must never be committed\n*.decrypted.yaml\n"
                 "rendered/\ncharts/*/charts/\n*.tgz\n"});
  out.push_back({"README.md",
                 "# acme GitOps\n\nEvery application lives in `apps/<team>/<app>/` and is "
                 "deployed by the Argo CD\nApplications in `argocd/<team>/`. Cloud resources "
                 "are in `infra/<team>/`.\n\nSecrets are sealed (kubeseal), encrypted (SOPS with "
                 "age, see `.sops.yaml`) or\nfetched by External Secrets; a plaintext Secret, "
                 "token or password fails CI.\n"});
  std::string recipients;
  for (int i = 0; i < 3; ++i)
    recipients += (i ? "," : "") + std::string("age1") + AgeChars(rng, 58);
  out.push_back({".sops.yaml",
                 "creation_rules:\n  - path_regex: apps/.*\\.enc\\.yaml$\n"
                 "    encrypted_regex: ^(data|stringData)$\n    age: >-\n      " +
                     recipients + "\n"});
  out.push_back({".github/workflows/validate.yaml",
                 "name: validate\non:\n  pull_request:\njobs:\n  validate:\n    runs-on: "
                 "ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: "
                 "acme/capstan/actions/validate@v1\n      - uses: acme/capstan/actions/scan@v1\n"
                 "        with:\n          token: ${{ secrets.GITHUB_TOKEN }}\n"});
  const char* runbooks[] = {"rotate-database-password", "restore-from-backup", "promote-release",
                            "rollback", "rotate-tls-certificates"};
  for (const char* name : runbooks) {
    out.push_back({std::string("docs/runbooks/") + name + ".md",
                   std::string("# ") + name +
                       "\n\n1. Open a pull request against `main`.\n2. Wait for the `validate` "
                       "check and an approval.\n3. Merge; Argo CD syncs within three minutes.\n"
                       "4. Watch the dashboard and the alert channel for fifteen minutes.\n"});
  }
}

void AppendTeamFiles(std::string_view team, Rng& rng, std::vector<CorpusFile>& out) {
  std::string t(team);
  std::string region(kRegions[static_cast<std::size_t>(rng.Uniform(0, 3))]);
  int storage = rng.Uniform(20, 500);
  out.push_back({"infra/" + t + "/main.tf",
                 "terraform {\n  backend \"s3\" {\n    bucket = \"acme-terraform-state\"\n"
                 "    key    = \"" +
                     t + "/terraform.tfstate\"\n    region = \"" + region +
                     "\"\n  }\n}\n\nprovider \"aws\" {\n  region = \"" + region +
                     "\"\n}\n\nmodule \"db\" {\n  source            = \"terraform-aws-modules/rds/"
                     "aws\"\n  version           = \"6.5.0\"\n  identifier        = \"" +
                     t + "\"\n  engine            = \"postgres\"\n  allocated_storage = " +
                     to_string(storage) + "\n  username          = \"" + t +
                     "\"\n  password          = var.db_password\n}\n\nresource "
                     "\"aws_secretsmanager_secret\" \"db\" {\n  name = \"" +
                     t + "/db\"\n}\n"});
  out.push_back({"infra/" + t + "/variables.tf",
                 "variable \"db_password\" {\n  description = \"Master password, from the CI "
                 "secret store\"\n  type        = string\n  sensitive   = true\n}\n\n"
                 "variable \"environment\" {\n  type    = string\n  default = \"prod\"\n}\n"});
  out.push_back({"infra/" + t + "/outputs.tf",
                 "output \"db_endpoint\" {\n  value = module.db.db_instance_endpoint\n}\n\n"
                 "output \"db_secret_arn\" {\n  value = aws_secretsmanager_secret.db.arn\n}\n"});
}

void AppendAppFiles(const AppRef& ref, Rng& rng, std::vector<CorpusFile>& out) {
  bool helm = rng.Chance(30);
  if (helm) {
    HelmApp(ref, rng, out);
  } else {
    KustomizeApp(ref, rng, out);
  }
  std::string dir = "apps/" + ref.team + "/" + ref.app;
  out.push_back({dir + "/README.md", Readme(ref, helm)});
  if (rng.Chance(40)) out.push_back({dir + "/dashboard.json", Dashboard(ref, rng)});
}

std::vector<CorpusFile> CleanTree(long files, Rng& rng) {
  std::vector<CorpusFile> out;
  AppendRootFiles(rng, out);
  for (std::string_view team : kTeams) AppendTeamFiles(team, rng, out);
  for (long app = 0; static_cast<long>(out.size()) < files; ++app)
    AppendAppFiles(AppAt(app), rng, out);
  out.resize(static_cast<std::size_t>(files));
  return out;
}

AppRef AppOfPath(std::string_view path) {
  AppRef ref{"platform", "shared", "base"};
  if (!path.starts_with("apps/")) return ref;
  std::size_t team_end = path.find('/', 5);
  if (team_end == std::string_view::npos) return ref;
  std::size_t app_end = path.find('/', team_end + 1);
  if (app_end == std::string_view::npos) return ref;
  ref.team = path.substr(5, team_end - 5);
  ref.app = path.substr(team_end + 1, app_end - team_end - 1);
  return ref;
}

bool CanHoldSecret(const CorpusFile& file) {
  const std::string& p = file.path;
  std::size_t base = p.find("/base/");
  if (!p.starts_with("apps/") || base == std::string::npos) return false;
  std::string_view name = std::string_view(p).substr(base + 6);
  return name == "deployment.yaml" || name == "service.yaml" || name == "configmap.yaml" ||
         name == "hpa.yaml" || name == "pdb.yaml";
}

}  // namespace capstan::bench
