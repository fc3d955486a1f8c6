#include "secrets/scanner.h"

#include <re2/re2.h>

#include <algorithm>
#include <tuple>
#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/path.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "k8s/classify.h"
#include "k8s/kustomize.h"
#include "secrets/credential_shape.h"
#include "secrets/placeholder.h"
#include "secrets/redact.h"
#include "secrets/secret_names.h"
#include "secrets/sops.h"
#include "secrets/text_fallback.h"
#include "secrets/token_finding.h"
#include "yaml/parser.h"
#include "yaml/path.h"
#include "yaml/source.h"

namespace capstan::secrets {

using yaml::Document;
using yaml::kNoNode;
using yaml::NodeId;
using yaml::NodeType;

namespace {

using internal::HasAllowMarker;

constexpr std::size_t kBinaryProbe = 8192;

// A manifest file is YAML-parsed only when its text could hold something a structural rule
// reports: a Secret-like kind or a kubeconfig, SOPS metadata, a secretGenerator, or an env item
// whose secret-looking name sits next to a literal `value:` (the same or the next line, either
// order: block, flow and JSON style). Workloads that only reference Secrets (secretKeyRef,
// valueFrom, secretName) are not parsed, which is most of a real repository's Deployments.
constexpr char kManifestTrigger[] =
    R"((?i)kind["']?\s*:\s*["']?(?:sealed|external|clusterexternal|cluster)?secret(?:store)?\b|)"
    R"(kind["']?\s*:\s*["']?config\b|["']?\bsops["']?\s*:|secretgenerator|)"
    R"(name["']?\s*:\s*["']?[a-z0-9_.-]*(?:passw|pwd|passphrase|secret|token|credential|auth|key))"
    R"([a-z0-9_.-]*["']?[^\n]*(?:\n[^\n]*)?value["']?\s*:|)"
    R"(value["']?\s*:[^\n]*\n[^\n]*name["']?\s*:\s*["']?[a-z0-9_.-]*)"
    R"((?:passw|pwd|passphrase|secret|token|credential|auth|key))";

// Helm values files are parsed when any key could look secret (LooksSecretName's words).
constexpr char kValuesTrigger[] =
    R"((?i)secret|sops|passw|pwd|passphrase|token|credential|)"
    R"((?:api|private|access|master|encryption|signing|auth)[_.-]?key|(?:^|[^a-z])auth(?:[^a-z]|$))";

const std::vector<report::RuleInfo>& StructuralRuleList() {
  static const std::vector<report::RuleInfo> rules = {
      {"secret-data", "A Secret's data value decodes to plaintext (base64 is not encryption)"},
      {"secret-data-invalid-base64", "A Secret's data value is not valid base64"},
      {"secret-string-data", "A Secret's stringData holds a plaintext value"},
      {"docker-config-auth", "A .dockerconfigjson Secret holds registry credentials"},
      {"sops-unencrypted-value", "A SOPS file holds a value that SOPS would have encrypted in plaintext"},
      {"sops-metadata", "A SOPS file's metadata (version, lastmodified, mac) is missing or malformed"},
      {"sealed-secret-template-data", "A SealedSecret's spec.template.data holds a plaintext value"},
      {"external-secret-template-data", "An ExternalSecret's target template holds a literal value"},
      {"secret-store-fake-provider", "A SecretStore's fake provider holds literal secret values"},
      {"kustomize-secret-literal", "A kustomize secretGenerator literal holds a plaintext value"},
      {"kustomize-secret-file", "A file named by a kustomize secretGenerator holds plaintext"},
      {"env-secret-literal", "A container env var with a secret-looking name has a literal value"},
      {"helm-values-secret", "A Helm values key with a secret-looking name has a literal value"},
      {"kubeconfig-credential", "A kubeconfig user holds a token, password or client key"},
      {"scan-unparsed",
       "A manifest that may hold Secrets could not be parsed, so it was not judged structurally"},
  };
  return rules;
}

// SecretFingerprint without its "sha256:" prefix, as baselines store it.
std::string Digest(std::string_view rule, std::string_view value) { return SecretFingerprint(rule, value).substr(7); }

bool EndsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

bool IsYamlName(std::string_view name) {
  if (name == "<stdin>") return true;  // piped manifests: `kustomize build | capstan-scan -`
  std::string lower;
  for (char c : name.substr(name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1))
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return EndsWith(lower, ".yaml") || EndsWith(lower, ".yml") || EndsWith(lower, ".json") ||
         lower == "kustomization";
}

// Certificates and public keys are published on purpose (tls.crt, ca.crt, ssh known hosts):
// in a Secret they are reported as warnings, not errors.
bool IsPublicMaterial(std::string_view v) {
  v = Trim(v);
  bool pem_public = v.starts_with("-----BEGIN CERTIFICATE-----") || v.starts_with("-----BEGIN PUBLIC KEY-----") ||
                    v.starts_with("-----BEGIN X509 CRL-----");
  if (pem_public) return v.find("PRIVATE KEY") == std::string_view::npos;
  return v.starts_with("ssh-rsa AAAA") || v.starts_with("ssh-ed25519 AAAA") ||
         v.starts_with("ecdsa-sha2-nistp256 AAAA");
}

// Argo CD repository/cluster Secret keys that describe the connection rather than hold a
// credential (argo-cd docs: declarative setup).
bool IsArgoCdDescriptiveKey(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "url", "type", "name", "project", "insecure", "enableLFS", "enableOCI", "proxy", "noProxy",
      "githubAppID", "githubAppInstallationID", "githubAppEnterpriseBaseUrl", "forceHttpBasicAuth",
      "server", "namespaces", "clusterResources", "username", "useAzureWorkloadIdentity"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

// "stringData.password", "data[.dockerconfigjson]", "spec.template.spec.containers[0].env[2]".
std::string DottedPath(const std::vector<std::string>& segments) {
  std::string out;
  for (const std::string& s : segments) {
    bool index = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    bool plain = !s.empty() && s.find_first_of(".[] \"") == std::string::npos;
    if (index) {
      out += "[" + s + "]";
    } else if (plain) {
      out += (out.empty() ? "" : ".") + s;
    } else {
      out += "[" + s + "]";
    }
  }
  return out;
}

// Judges one file. Collects findings and the byte ranges they cover, so that a credential the
// token rules also see inside a reported value is reported once, by the structural rule.
class FileJudge {
 public:
  FileJudge(const TokenScanner& tokens, const FileInput& in) : tokens_(tokens), in_(in) {}

  std::vector<ScanFinding>& findings() { return out_; }

  const yaml::LineIndex& lines() {
    if (!lines_) lines_.emplace(in_.text);
    return *lines_;
  }

  // A finding at a YAML node.
  void AtNode(const Document& doc, NodeId node, std::vector<std::string> path, std::string rule,
              std::string message, std::string_view value,
              report::Severity severity = report::Severity::kError) {
    const yaml::Node& n = doc.node(node);
    report::Finding f;
    f.rule = std::move(rule);
    f.severity = severity;
    f.message = std::move(message);
    f.file = std::string(in_.name);
    f.line = n.pos.line;
    f.column = n.pos.column;
    f.path = yaml::JsonPointer(path);
    f.resource = resource_;
    std::string digest = Digest(f.rule, value.empty() ? std::string_view(f.path) : value);
    covered_.emplace_back(n.pos.offset, std::max(n.end, n.pos.offset + 1));
    out_.push_back(ScanFinding{std::move(f), std::move(digest)});
  }

  // A finding at a byte offset of the text.
  void AtOffset(std::size_t offset, std::size_t length, std::string rule, std::string message,
                std::string_view value, report::Severity severity, std::string path = "") {
    yaml::Position p = lines().At(offset);
    report::Finding f;
    f.rule = std::move(rule);
    f.severity = severity;
    f.message = std::move(message);
    f.file = std::string(in_.name);
    f.line = p.line;
    f.column = p.column;
    f.path = std::move(path);
    f.resource = resource_;
    std::string digest = Digest(f.rule, value);
    covered_.emplace_back(offset, offset + std::max<std::size_t>(length, 1));
    out_.push_back(ScanFinding{std::move(f), std::move(digest)});
  }

  // What the token rules say a value is ("a GitHub token"), or "" when none matches.
  std::string Identify(std::string_view value) const {
    for (const TokenMatch& m : tokens_.Scan(value)) {
      if (m.confidence != Confidence::kHigh) continue;
      for (const Rule& r : tokens_.rules())
        if (r.id == m.rule_id) return r.description;
    }
    return "";
  }

  // "plaintext value (14 chars, starts 'hu')" or "plaintext GitHub token (40 chars, ...)".
  std::string Describe(std::string_view value, std::string_view what = "plaintext value") const {
    std::string kind = Identify(value);
    std::string out = kind.empty() ? std::string(what) : std::string(what) + ", looks like: " + kind;
    return out + " (" + RedactedHint(value) + ")";
  }

  void ClearResource() { resource_ = {}; }

  // --- structural rules -------------------------------------------------------------------

  // A finding at a 1-based line and byte column.
  void AtLine(int line, int byte_column, std::string rule, std::string message, std::string_view value,
              std::size_t length) {
    yaml::Position p = lines().AtLineByte(line, byte_column);
    AtOffset(p.offset, length, std::move(rule), std::move(message), value, report::Severity::kError);
  }

  void JudgeDocument(const Document& doc, k8s::FileRole role) {
    resource_ = {};
    NodeId root = doc.Resolve(doc.root());
    if (root == kNoNode || doc.node(root).type != NodeType::kMapping) return;
    SopsVerdict sops = VerifySops(doc);
    if (sops.state == SopsState::kEncrypted) return;
    if (sops.state == SopsState::kBroken) {
      SetResource(doc, root, role);
      for (const SopsProblem& p : sops.problems) {
        bool metadata = !p.path.empty() && p.path.front() == "sops";
        const std::string* v = doc.ScalarValue(p.node);
        AtNode(doc, p.node, p.path, metadata ? "sops-metadata" : "sops-unencrypted-value",
               DottedPath(p.path) + ": " + p.message +
                   (metadata || v == nullptr ? "" : " (" + RedactedHint(*v) + ")"),
               v != nullptr && !metadata ? std::string_view(*v) : std::string_view());
      }
      return;
    }
    JudgeObject(doc, root, {}, role, 0, static_cast<NodeId>(doc.size()));
  }

  void JudgeValuesFile(const Document& doc) {
    resource_ = {};
    for (NodeId id = 0; id < doc.size(); ++id) {
      const yaml::Node& m = doc.node(id);
      if (m.type != NodeType::kMapping) continue;
      for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
        const std::string* key = doc.ScalarValue(m.children[i]);
        // An alias is judged by the value it names, and reported where it is used.
        const yaml::Node& v = doc.node(doc.Resolve(m.children[i + 1]));
        if (key == nullptr || v.type != NodeType::kScalar || !LooksSecretName(*key)) continue;
        // A recognised credential format is an error like anywhere else; the key-name
        // heuristic alone is a warning, and a value that names a Secret, a key, an env var or
        // a file is a reference, not a finding.
        bool credential = !Identify(v.value).empty();
        if (!credential && !KeyedLiteralLooksSecret(*key, v.value)) continue;
        auto path = yaml::PathToOffset(doc, doc.node(m.children[i + 1]).pos.offset);
        AtNode(doc, m.children[i + 1], path.value_or(std::vector<std::string>{*key}), "helm-values-secret",
               DottedPath(path.value_or(std::vector<std::string>{*key})) + ": " +
                   Describe(v.value, "literal value for a secret-looking key; pass it from a Secret "
                                     "or an encrypted values file"),
               v.value, credential ? report::Severity::kError : report::Severity::kWarning);
      }
    }
  }

 private:
  void SetResource(const Document& doc, NodeId node, k8s::FileRole role) {
    k8s::Classified c = k8s::Classify(doc, node, role);
    resource_ = k8s::ToResource(c.identity);
  }

  static std::vector<std::string> Child(std::vector<std::string> path, std::string seg) {
    path.push_back(std::move(seg));
    return path;
  }

  std::string Str(const Document& doc, NodeId mapping, std::string_view key) const {
    const std::string* s = doc.ScalarValue(doc.Get(mapping, key));
    return s == nullptr ? std::string() : *s;
  }

  NodeId At(const Document& doc, NodeId node, std::initializer_list<std::string_view> keys) const {
    for (std::string_view k : keys) {
      node = doc.Resolve(node);
      if (node == kNoNode || doc.node(node).type != NodeType::kMapping) return kNoNode;
      node = doc.Get(node, k);
    }
    return doc.Resolve(node);
  }

  // Nodes are stored in document order, so the subtree of an object is the id range [lo, hi).
  void JudgeObject(const Document& doc, NodeId node, const std::vector<std::string>& path,
                   k8s::FileRole role, NodeId lo, NodeId hi) {
    std::string kind = Str(doc, node, "kind");
    std::string api = Str(doc, node, "apiVersion");
    NodeId items = At(doc, node, {"items"});
    if (kind.size() >= 4 && EndsWith(kind, "List") && items != kNoNode &&
        doc.node(items).type == NodeType::kSequence) {
      const auto& children = doc.node(items).children;
      for (std::size_t i = 0; i < children.size(); ++i) {
        NodeId item = children[i];
        if (doc.node(item).type != NodeType::kMapping) continue;  // aliased items are not walked
        NodeId end = i + 1 < children.size() ? children[i + 1] : hi;
        JudgeObject(doc, item, Child(Child(path, "items"), std::to_string(i)), role, item, end);
      }
      return;
    }
    if (kind.empty() && role != k8s::FileRole::kKustomization) return;
    SetResource(doc, node, role);
    std::string group = api.substr(0, api.find('/') == std::string::npos ? 0 : api.find('/'));
    PlaceholderContext ctx;
    NodeId annotations = At(doc, node, {"metadata", "annotations"});
    if (annotations != kNoNode && doc.node(annotations).type == NodeType::kMapping) {
      yaml::ForEachEntry(doc, annotations, [&](NodeId k, NodeId) {
        const std::string* s = doc.ScalarValue(k);
        if (s != nullptr && s->starts_with("avp.kubernetes.io/")) ctx.avp_annotated = true;
      });
    }
    if (kind == "Secret" && group.empty()) {
      JudgeSecret(doc, node, path, ctx);
    } else if (kind == "SealedSecret") {
      JudgeLiterals(doc, At(doc, node, {"spec", "template", "data"}),
                    Child(Child(Child(path, "spec"), "template"), "data"), "sealed-secret-template-data",
                    ctx, Literals::kCredentialLooking);
    } else if (kind == "ExternalSecret" || kind == "ClusterExternalSecret") {
      std::vector<std::string> base = Child(path, "spec");
      NodeId spec = At(doc, node, {"spec"});
      if (kind == "ClusterExternalSecret") {
        base = Child(base, "externalSecretSpec");
        spec = At(doc, spec, {"externalSecretSpec"});
      }
      JudgeLiterals(doc, At(doc, spec, {"target", "template", "data"}),
                    Child(Child(Child(base, "target"), "template"), "data"),
                    "external-secret-template-data", ctx, Literals::kCredentialLookingOrTemplate);
    } else if (kind == "SecretStore" || kind == "ClusterSecretStore") {
      JudgeFakeProvider(doc, node, path, ctx);
    } else if (kind == "Kustomization" || kind == "Component" || role == k8s::FileRole::kKustomization) {
      JudgeGenerators(doc, node, path, ctx);
    } else if (kind == "Config" && group.empty()) {
      JudgeKubeconfig(doc, node, path);
    }
    JudgeEnv(doc, lo, hi);
  }

  void JudgeSecret(const Document& doc, NodeId node, const std::vector<std::string>& path,
                   const PlaceholderContext& ctx) {
    bool argocd = false;
    NodeId labels = At(doc, node, {"metadata", "labels"});
    if (labels != kNoNode && doc.Get(labels, "argocd.argoproj.io/secret-type") != kNoNode) argocd = true;
    for (const char* field : {"data", "stringData"}) {
      bool encoded = std::string_view(field) == "data";
      NodeId map = At(doc, node, {field});
      if (map == kNoNode || doc.node(map).type != NodeType::kMapping) continue;
      yaml::ForEachEntry(doc, map, [&](NodeId k, NodeId v) {
        const std::string* key = doc.ScalarValue(k);
        const std::string* raw = doc.ScalarValue(v);
        if (key == nullptr || raw == nullptr || IsPlaceholder(*raw, ctx)) return;
        if (argocd && IsArgoCdDescriptiveKey(*key)) return;
        std::vector<std::string> p = Child(Child(path, field), *key);
        std::string shown = DottedPath({field, *key});
        std::string value = *raw;
        if (encoded) {
          std::optional<std::string> decoded = DecodeBase64(Trim(*raw));
          if (!decoded) {
            AtNode(doc, v, p, "secret-data-invalid-base64",
                   shown + ": value is not valid base64, so Kubernetes would refuse it; if it is "
                           "the secret itself, it is in plaintext (" + RedactedHint(*raw) + ")",
                   *raw);
            return;
          }
          if (IsPlaceholder(*decoded, ctx)) return;
          value = std::move(*decoded);
        }
        if (IsConnectionTemplate(value, ctx)) return;
        if (IsPublicMaterial(value)) {
          AtNode(doc, v, p, encoded ? "secret-data" : "secret-string-data",
                 shown + ": certificate or public key only (" + RedactedHint(value) +
                     "); public material is not a secret, so this is a warning",
                 value, report::Severity::kWarning);
          return;
        }
        if (*key == ".dockerconfigjson" || *key == ".dockercfg") {
          JudgeDockerConfig(doc, v, p, shown, value, encoded);
          return;
        }
        AtNode(doc, v, p, encoded ? "secret-data" : "secret-string-data",
               shown + ": " + Describe(value, encoded ? "plaintext value, only base64-encoded"
                                                     : "plaintext value"),
               value);
      });
    }
  }

  void JudgeDockerConfig(const Document& doc, NodeId v, const std::vector<std::string>& p,
                         const std::string& shown, const std::string& value, bool encoded) {
    nlohmann::json j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      AtNode(doc, v, p, encoded ? "secret-data" : "secret-string-data",
             shown + ": " + Describe(value, "plaintext value that is not a docker config"), value);
      return;
    }
    const nlohmann::json& auths = j.contains("auths") && j["auths"].is_object() ? j["auths"] : j;
    std::vector<std::string> registries;
    std::string material;
    for (auto it = auths.begin(); it != auths.end(); ++it) {
      if (!it.value().is_object()) continue;
      for (const char* cred : {"auth", "password", "identitytoken", "registrytoken"}) {
        auto c = it.value().find(cred);
        if (c == it.value().end() || !c->is_string()) continue;
        std::string s = c->get<std::string>();
        if (IsPlaceholder(s)) continue;
        if (std::string_view(cred) == "auth") {
          std::optional<std::string> d = DecodeBase64(s);
          if (d && IsPlaceholder(d->substr(d->find(':') == std::string::npos ? 0 : d->find(':') + 1)))
            continue;
        }
        registries.push_back(it.key());
        material += s + '\n';
        break;
      }
    }
    if (registries.empty()) return;
    std::string names;
    for (const auto& r : registries) names += (names.empty() ? "" : ", ") + r;
    AtNode(doc, v, p, "docker-config-auth",
           shown + ": registry credentials for " + std::to_string(registries.size()) +
               (registries.size() == 1 ? " registry" : " registries") + " (" + names + ")" +
               (encoded ? ", only base64-encoded" : ""),
           material);
  }

  enum class Literals {
    kEvery,               // every literal is a finding (a fake provider's values)
    kCredentialLooking,   // template data: only literals that look like credentials
    kCredentialLookingOrTemplate,  // and values built from {{ }} expressions are fine
  };

  // The scalar values of a mapping that are findings under `which` (never placeholders).
  void JudgeLiterals(const Document& doc, NodeId map, const std::vector<std::string>& path,
                     const char* rule, const PlaceholderContext& ctx, Literals which) {
    if (map == kNoNode || doc.node(map).type != NodeType::kMapping) return;
    yaml::ForEachEntry(doc, map, [&](NodeId k, NodeId v) {
      const std::string* key = doc.ScalarValue(k);
      const std::string* raw = doc.ScalarValue(v);
      if (key == nullptr || raw == nullptr || IsPlaceholder(*raw, ctx)) return;
      if (which == Literals::kCredentialLookingOrTemplate && raw->find("{{") != std::string::npos) return;
      if (which != Literals::kEvery && Identify(*raw).empty() && !KeyedLiteralLooksSecret(*key, *raw, ctx)) return;
      std::vector<std::string> p = Child(path, *key);
      AtNode(doc, v, p, rule, DottedPath(p) + ": " + Describe(*raw, "literal value"), *raw);
    });
  }

  void JudgeFakeProvider(const Document& doc, NodeId node, const std::vector<std::string>& path,
                         const PlaceholderContext& ctx) {
    NodeId data = At(doc, node, {"spec", "provider", "fake", "data"});
    if (data == kNoNode || doc.node(data).type != NodeType::kSequence) return;
    const auto& items = doc.node(data).children;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::vector<std::string> base = path;
      for (const char* s : {"spec", "provider", "fake", "data"}) base.push_back(s);
      base.push_back(std::to_string(i));
      NodeId value = At(doc, items[i], {"value"});
      const std::string* raw = doc.ScalarValue(value);
      if (raw != nullptr && !IsPlaceholder(*raw, ctx)) {
        std::vector<std::string> p = Child(base, "value");
        AtNode(doc, value, p, "secret-store-fake-provider",
               DottedPath(p) + ": " + Describe(*raw, "literal value in the fake provider"), *raw);
      }
      JudgeLiterals(doc, At(doc, items[i], {"valueMap"}), Child(base, "valueMap"),
                    "secret-store-fake-provider", ctx, Literals::kEvery);
    }
  }

  void JudgeGenerators(const Document& doc, NodeId node, const std::vector<std::string>& path,
                       const PlaceholderContext& ctx) {
    NodeId gens = At(doc, node, {"secretGenerator"});
    if (gens == kNoNode || doc.node(gens).type != NodeType::kSequence) return;
    const auto& items = doc.node(gens).children;
    for (std::size_t i = 0; i < items.size(); ++i) {
      NodeId lits = At(doc, items[i], {"literals"});
      if (lits == kNoNode || doc.node(lits).type != NodeType::kSequence) continue;
      std::string name = Str(doc, doc.Resolve(items[i]), "name");
      const auto& entries = doc.node(lits).children;
      for (std::size_t j = 0; j < entries.size(); ++j) {
        const std::string* lit = doc.ScalarValue(entries[j]);
        if (lit == nullptr) continue;
        std::size_t eq = lit->find('=');
        std::string key = lit->substr(0, eq);
        std::string value = eq == std::string::npos ? "" : lit->substr(eq + 1);
        // kustomize strips one pair of matching quotes around the value.
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
          value = value.substr(1, value.size() - 2);
        if (IsPlaceholder(value, ctx) || IsConnectionTemplate(value, ctx)) continue;
        std::vector<std::string> p =
            Child(Child(Child(Child(path, "secretGenerator"), std::to_string(i)), "literals"), std::to_string(j));
        AtNode(doc, entries[j], p, "kustomize-secret-literal",
               "secretGenerator '" + name + "' literal '" + key + "': " + Describe(value), value);
      }
    }
  }

  void JudgeKubeconfig(const Document& doc, NodeId node, const std::vector<std::string>& path) {
    NodeId users = At(doc, node, {"users"});
    if (users == kNoNode || doc.node(users).type != NodeType::kSequence) return;
    const auto& items = doc.node(users).children;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string name = Str(doc, doc.Resolve(items[i]), "name");
      std::vector<std::string> base = Child(Child(Child(path, "users"), std::to_string(i)), "user");
      NodeId user = At(doc, items[i], {"user"});
      auto check = [&](NodeId map, const std::vector<std::string>& at, std::initializer_list<const char*> keys) {
        for (const char* k : keys) {
          NodeId v = At(doc, map, {k});
          const std::string* raw = doc.ScalarValue(v);
          if (raw == nullptr || IsPlaceholder(*raw)) continue;
          std::vector<std::string> p = Child(at, k);
          AtNode(doc, v, p, "kubeconfig-credential",
                 "user '" + name + "' " + k + ": " + Describe(*raw, "credential in a kubeconfig"), *raw);
        }
      };
      check(user, base, {"token", "password", "client-key-data"});
      std::vector<std::string> provider = Child(Child(base, "auth-provider"), "config");
      check(At(doc, user, {"auth-provider", "config"}), provider,
            {"client-secret", "id-token", "refresh-token", "access-token"});
    }
  }

  // Every `env:` list anywhere in the object (Pods, workload templates, CronJobs, Rollouts,
  // operator CRs), found by a scan of the object's node range, so aliases cost nothing.
  void JudgeEnv(const Document& doc, NodeId lo, NodeId hi) {
    for (NodeId id = lo; id < hi && id < doc.size(); ++id) {
      const yaml::Node& m = doc.node(id);
      if (m.type != NodeType::kMapping) continue;
      NodeId env = kNoNode;
      for (std::size_t i = 0; i + 1 < m.children.size(); i += 2) {
        const std::string* k = doc.ScalarValue(m.children[i]);
        if (k != nullptr && *k == "env") env = doc.Resolve(m.children[i + 1]);
      }
      if (env == kNoNode || doc.node(env).type != NodeType::kSequence) continue;
      for (NodeId item : doc.node(env).children) {
        if (doc.node(doc.Resolve(item)).type != NodeType::kMapping) continue;
        const std::string* name = doc.ScalarValue(doc.Get(item, "name"));
        NodeId vnode = doc.Resolve(doc.Get(item, "value"));
        if (name == nullptr || vnode == kNoNode || doc.node(vnode).type != NodeType::kScalar) continue;
        const std::string& value = doc.node(vnode).value;
        if (!LooksSecretName(*name) || IsPlaceholder(value) || IsInertValue(value) || IsConnectionTemplate(value))
          continue;
        auto path = yaml::PathToOffset(doc, doc.node(vnode).pos.offset);
        AtNode(doc, vnode, path.value_or(std::vector<std::string>{}), "env-secret-literal",
               "env " + *name + ": " +
                   Describe(value, "literal value for a secret-looking variable; use valueFrom.secretKeyRef"),
               value);
      }
    }
  }

  const TokenScanner& tokens_;
  const FileInput& in_;
  std::optional<yaml::LineIndex> lines_;
  report::Resource resource_;

 public:
  // Byte ranges of the values structural findings were reported at.
  std::vector<std::pair<std::size_t, std::size_t>> covered_;
  std::vector<ScanFinding> out_;
};


bool Covered(const std::vector<std::pair<std::size_t, std::size_t>>& ranges, std::size_t offset) {
  for (const auto& [lo, hi] : ranges)
    if (offset >= lo && offset < hi) return true;
  return false;
}

// The innermost scalar of the parsed file whose source holds offset, as (document, node).
std::pair<const Document*, NodeId> ScalarAt(const yaml::ParsedFile& parsed, std::size_t offset) {
  const Document* best_doc = nullptr;
  NodeId best = kNoNode;
  for (const Document& doc : parsed.documents) {
    for (NodeId id = 0; id < doc.size(); ++id) {
      const yaml::Node& n = doc.node(id);
      if (n.type != NodeType::kScalar || n.pos.offset > offset || offset >= n.end) continue;
      if (best == kNoNode || n.pos.offset >= best_doc->node(best).pos.offset) {
        best_doc = &doc;
        best = id;
      }
    }
  }
  return {best_doc, best};
}

// Credentials found by the token rules anywhere in the text, except inside values a structural
// rule already reported.
void TokenFindings(FileJudge& judge, const TokenScanner& tokens, const std::vector<TokenMatch>& matches,
                   const yaml::ParsedFile* parsed, k8s::FileRole role, std::string_view text) {
  for (const TokenMatch& m : matches) {
    if (Covered(judge.covered_, m.offset)) continue;
    std::string_view secret = text.substr(m.offset, m.length);
    internal::TokenVerdict verdict = internal::DescribeTokenMatch(tokens, m, secret);
    std::string path;
    report::Resource resource;
    if (parsed != nullptr) {
      auto [doc, node] = ScalarAt(*parsed, m.offset);
      if (doc != nullptr) {
        if (auto p = yaml::PathToOffset(*doc, doc->node(node).pos.offset)) path = yaml::JsonPointer(*p);
        NodeId root = doc->Resolve(doc->root());
        if (root != kNoNode && doc->node(root).type == NodeType::kMapping)
          resource = k8s::ToResource(k8s::Classify(*doc, root, role).identity);
      }
    }
    judge.AtOffset(m.offset, m.length, m.rule_id, std::move(verdict.message), secret, verdict.severity, path);
    judge.out_.back().finding.resource = resource;
  }
}

// secretGenerator payloads: every value of an env file, the whole of any other file, unless
// the file is SOPS-encrypted (YAML, JSON or dotenv).
void JudgePayload(FileJudge& judge, const FileInput& in, FileScan& result) {
  std::string_view text = in.text;
  SopsDotenvVerdict dotenv = VerifySopsDotenv(text);
  if (dotenv.state == SopsState::kEncrypted) return;
  if (dotenv.state == SopsState::kBroken) {
    for (const SopsLineProblem& p : dotenv.problems) {
      bool metadata = p.key.starts_with("sops_");
      judge.AtLine(p.line, p.column, metadata ? "sops-metadata" : "sops-unencrypted-value",
                   p.key + ": " + p.message, p.key, 1);
    }
    return;
  }
  if (in.payload == Payload::kEnvFile) {
    std::size_t line_start = 0;
    for (int line = 1; line_start < text.size(); ++line) {
      std::size_t nl = text.find('\n', line_start);
      std::string_view raw = text.substr(line_start, nl == std::string_view::npos ? std::string_view::npos : nl - line_start);
      std::size_t here = line_start;
      line_start = nl == std::string_view::npos ? text.size() : nl + 1;
      std::string_view t = Trim(raw);
      if (t.empty() || t.front() == '#') continue;
      std::size_t eq = raw.find('=');
      if (eq == std::string_view::npos) continue;  // KEY alone: taken from the environment
      std::string_view key = Trim(raw.substr(0, eq));
      if (key.starts_with("export ")) key = Trim(key.substr(7));
      std::string_view value = Trim(raw.substr(eq + 1));
      std::size_t value_at = here + eq + 1;
      while (value_at < text.size() && (text[value_at] == ' ' || text[value_at] == '\t')) ++value_at;
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
        value = value.substr(1, value.size() - 2);
      if (IsPlaceholder(value)) continue;
      judge.AtOffset(value_at, value.size(), "kustomize-secret-file",
                     std::string(key) + ": " + judge.Describe(value, "plaintext value in a secretGenerator env file"),
                     value, report::Severity::kError);
    }
    return;
  }
  if (Trim(text).empty()) return;
  if (text.find('\0') == std::string_view::npos) {
    yaml::ParsedFile parsed = yaml::Parse(text);
    bool all_sops = !parsed.documents.empty() && parsed.complete;
    for (const Document& doc : parsed.documents)
      all_sops = all_sops && VerifySops(doc).state != SopsState::kNotSops;
    if (all_sops) {
      for (const Document& doc : parsed.documents) {
        ++result.documents;
        judge.JudgeDocument(doc, k8s::FileRole::kManifests);
      }
      return;
    }
  }
  std::size_t first = text.find_first_not_of(" \t\r\n");
  judge.AtOffset(first, text.size() - first, "kustomize-secret-file",
                 "file is a secretGenerator payload and holds plaintext (" + std::to_string(text.size()) +
                     " bytes); encrypt it with SOPS or use a SealedSecret/ExternalSecret",
                 text, report::Severity::kError);
}

// A manifest that stopped parsing (syntax, encoding, a limit): the first such problem is a
// `scan-unparsed` error at the parser's position, so the file is never waved through, and the
// Secret values its text plainly holds are judged as far as text allows.
void JudgeUnparsed(FileJudge& judge, const yaml::ParsedFile& parsed, std::string_view text) {
  judge.ClearResource();
  for (const yaml::Issue& issue : parsed.issues) {
    if (issue.kind == yaml::IssueKind::kDuplicateKey) continue;
    judge.AtOffset(std::min(issue.pos.offset, text.size()), 1, "scan-unparsed",
                   "could not be parsed, so its Secrets were not judged structurally: " + issue.message +
                       "; fix the file or list it in .capstanignore",
                   "", report::Severity::kError);
    break;
  }
  // The documents before the broken one were judged structurally (and what they hold that is
  // not a finding, such as a placeholder, must stay so): the text is read from where they end.
  std::size_t from = 0;
  if (!parsed.documents.empty()) {
    const Document& last = parsed.documents.back();
    for (NodeId id = 0; id < last.size(); ++id) from = std::max(from, last.node(id).end);
  }
  PlaceholderContext ctx;
  ctx.avp_annotated = text.find("avp.kubernetes.io/") != std::string_view::npos;
  bool argocd = text.find("argocd.argoproj.io/secret-type") != std::string_view::npos;
  for (const TextSecretValue& v : FindSecretValuesByText(text)) {
    if (v.offset < from || Covered(judge.covered_, v.offset)) continue;
    if (argocd && IsArgoCdDescriptiveKey(v.key)) continue;
    bool encoded = v.field == "data";
    std::string shown = DottedPath({v.field, v.key});
    const char* rule = encoded ? "secret-data" : "secret-string-data";
    const char* how = " (found by text: the file does not parse)";
    std::string value = v.value;
    if (IsPlaceholder(value, ctx)) continue;
    if (encoded) {
      std::string compact;
      for (char c : value)
        if (c != '\n' && c != ' ') compact += c;
      std::optional<std::string> decoded = DecodeBase64(compact);
      if (!decoded) {
        judge.AtOffset(v.offset, v.length, "secret-data-invalid-base64",
                       shown + ": value is not valid base64 (" + RedactedHint(value) + ")" + how, value,
                       report::Severity::kError);
        continue;
      }
      if (IsPlaceholder(*decoded, ctx)) continue;
      value = std::move(*decoded);
    }
    if (IsConnectionTemplate(value, ctx) || IsPublicMaterial(value)) continue;
    judge.AtOffset(v.offset, v.length, rule,
                   shown + ": " + judge.Describe(value, encoded ? "plaintext value, only base64-encoded" : "plaintext value") + how,
                   value, report::Severity::kError);
  }
}

// Drops findings an inline `capstan:allow` comment suppresses and orders the rest.
void Finish(FileJudge& judge, FileScan& result) {
  for (ScanFinding& f : judge.out_) {
    int line = f.finding.line;
    if (line > 0 && (HasAllowMarker(judge.lines().Line(line)) ||
                     (line > 1 && HasAllowMarker(judge.lines().Line(line - 1)))))
      continue;
    result.findings.push_back(std::move(f));
  }
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const ScanFinding& a, const ScanFinding& b) {
    return std::tie(a.finding.line, a.finding.column) < std::tie(b.finding.line, b.finding.column);
  });
}

}  // namespace

struct Scanner::Impl {
  TokenScanner tokens;
  std::unique_ptr<RE2> manifest_trigger;
  std::unique_ptr<RE2> values_trigger;
};

Scanner::Scanner(Scanner&&) noexcept = default;
Scanner& Scanner::operator=(Scanner&&) noexcept = default;
Scanner::~Scanner() = default;

Result<Scanner> Scanner::Create(std::vector<Rule> token_rules) {
  auto tokens = TokenScanner::Create(std::move(token_rules));
  if (!tokens.ok()) return tokens.status();
  Scanner s;
  s.impl_ = std::make_unique<Impl>(Impl{std::move(*tokens), nullptr, nullptr});
  s.impl_->manifest_trigger = std::make_unique<RE2>(kManifestTrigger);
  s.impl_->values_trigger = std::make_unique<RE2>(kValuesTrigger);
  if (!s.impl_->manifest_trigger->ok() || !s.impl_->values_trigger->ok())
    return Status(StatusCode::kInternal, "structural triggers do not compile");
  return s;
}

std::vector<report::RuleInfo> StructuralRules() { return StructuralRuleList(); }

std::vector<report::RuleInfo> Scanner::Rules() const {
  std::vector<report::RuleInfo> rules = StructuralRuleList();
  for (const Rule& r : impl_->tokens.rules()) rules.push_back({r.id, r.description});
  return rules;
}

FileScan Scanner::Scan(const FileInput& in) const {
  std::string_view text = in.text;
  std::size_t nul = text.substr(0, kBinaryProbe).find('\0');
  if (in.payload == Payload::kNone && nul != std::string_view::npos) {
    if (!IsYamlName(in.name)) {
      FileScan result;
      result.binary = true;
      return result;
    }
    // A manifest saved as UTF-16 is judged as the same text in UTF-8 (same lines).
    if (std::optional<std::string> utf8 = Utf16ToUtf8(text)) {
      FileInput converted = in;
      converted.text = *utf8;
      return Scan(converted);
    }
  }

  FileScan result;
  FileJudge judge(impl_->tokens, in);
  const std::vector<TokenMatch> matches = impl_->tokens.Scan(text);
  k8s::FileRole role = k8s::FileRole::kManifests;
  std::optional<yaml::ParsedFile> parsed;
  if (in.payload != Payload::kNone) {
    JudgePayload(judge, in, result);
  } else if (IsYamlName(in.name)) {
    role = k8s::RoleOf(in.name, text);
    const RE2& trigger = role == k8s::FileRole::kHelmValues ? *impl_->values_trigger : *impl_->manifest_trigger;
    // A NUL byte in a file named as YAML or JSON is reported, never skipped as binary.
    bool structural = nul != std::string_view::npos ||
                      (role != k8s::FileRole::kHelmTemplate && RE2::PartialMatch(text, trigger));
    // A credential in a manifest no structural rule applies to (rare) still gets the file
    // parsed, so its finding names the YAML path and resource.
    if (structural || (role != k8s::FileRole::kHelmTemplate && !matches.empty())) parsed = yaml::Parse(text);
    if (structural && role == k8s::FileRole::kHelmTemplate) role = k8s::FileRole::kManifests;
    if (structural) {
      result.parsed = true;
      for (const Document& doc : parsed->documents) {
        ++result.documents;
        if (role == k8s::FileRole::kHelmValues) {
          judge.JudgeValuesFile(doc);
        } else {
          judge.JudgeDocument(doc, role);
        }
      }
      if (!parsed->complete) JudgeUnparsed(judge, *parsed, text);
    }
  }
  TokenFindings(judge, impl_->tokens, matches, parsed ? &*parsed : nullptr, role, text);
  Finish(judge, result);
  return result;
}

StreamScan Scanner::StartStream(std::string_view name) const { return StreamScan(impl_->tokens, name); }

}  // namespace capstan::secrets

namespace capstan::secrets {

std::vector<std::pair<std::string, Payload>> GeneratorPayloads(const yaml::Document& doc,
                                                               std::string_view dir) {
  std::vector<std::pair<std::string, Payload>> out;
  NodeId root = doc.Resolve(doc.root());
  if (root == kNoNode || doc.node(root).type != NodeType::kMapping) return out;
  NodeId gens = doc.Resolve(doc.Get(root, "secretGenerator"));
  if (gens == kNoNode || doc.node(gens).type != NodeType::kSequence) return out;
  for (NodeId gen : doc.node(gens).children) {
    gen = doc.Resolve(gen);
    if (gen == kNoNode || doc.node(gen).type != NodeType::kMapping) continue;
    auto add = [&](const char* field, Payload kind) {
      NodeId list = doc.Resolve(doc.Get(gen, field));
      if (list == kNoNode) return;
      std::vector<NodeId> entries;
      if (doc.node(list).type == NodeType::kSequence) {
        entries = doc.node(list).children;
      } else {
        entries.push_back(list);  // legacy `env: file.env`
      }
      for (NodeId e : entries) {
        const std::string* s = doc.ScalarValue(e);
        if (s == nullptr || s->empty()) continue;
        std::string_view path = *s;
        if (kind == Payload::kFile && path.find('=') != std::string_view::npos)
          path = path.substr(path.find('=') + 1);  // "key=path"
        out.emplace_back(JoinPath(dir, path), kind);
      }
    };
    add("envs", Payload::kEnvFile);
    add("env", Payload::kEnvFile);
    add("files", Payload::kFile);
  }
  return out;
}

}  // namespace capstan::secrets
