#include "k8s/validator.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "core/strings.h"
#include "k8s/classify.h"
#include "k8s/kustomize.h"
#include "k8s/kustomize_checks.h"
#include "k8s/schema_check.h"
#include "k8s/substitution.h"
#include "yaml/path.h"
#include "yaml/source.h"
#include "yaml/to_json.h"

namespace capstan::k8s {
namespace {

using report::Finding;
using report::Severity;

class FileRun {
 public:
  FileRun(const std::string& name, FileReport& out) : name_(name), out_(out) {}

  void Add(std::string rule, const yaml::Position& pos, std::string message, std::string path = "",
           const Identity* id = nullptr, Severity severity = Severity::kError) {
    Finding f;
    f.rule = std::move(rule);
    f.severity = severity;
    f.message = std::move(message);
    f.file = name_;
    f.line = pos.line;
    f.column = pos.column;
    f.path = std::move(path);
    if (id != nullptr) f.resource = ToResource(*id);
    out_.findings.push_back(std::move(f));
  }

 private:
  const std::string& name_;
  FileReport& out_;
};

// Where a violation should point: the key for unknown fields and missing required fields (the
// object's own key), the value otherwise; the deepest existing node when the path runs out.
yaml::Position PositionFor(const yaml::Document& doc, const std::vector<std::string>& path,
                           bool at_key) {
  yaml::Located loc = yaml::Locate(doc, path);
  yaml::NodeId id = loc.value;
  if ((at_key || loc.depth < path.size()) && loc.key != yaml::kNoNode) id = loc.key;
  if (id == yaml::kNoNode) return doc.start();
  return doc.node(id).pos;
}

struct Problem {
  yaml::Position pos;
  std::string message;
};

// The YAML parser reads JSON as YAML and so forgives what JSON forbids (trailing commas, comments,
// unquoted keys); a file named .json is held to JSON first.
std::optional<Problem> JsonSyntaxProblem(std::string_view name, std::string_view text) {
  if (name.size() < 5 || name.substr(name.size() - 5) != ".json") return std::nullopt;
  if (nlohmann::json::accept(text)) return std::nullopt;
  try {
    auto parsed = nlohmann::json::parse(text);  // throws the parse_error with its position
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    auto dash = what.find(" - ");
    std::string reason =
        dash == std::string::npos ? what.substr(what.rfind(": ") + 2) : what.substr(dash + 3);
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return Problem{yaml::LineIndex(text).At(offset), "invalid JSON: " + reason};
  } catch (const nlohmann::json::exception&) {
    // A number too large for a double (1e999) is valid JSON syntax: the values are judged as
    // YAML, like everything else.
  }
  return std::nullopt;
}

// A duplicate key names its document's resource and YAML path, and its fingerprint leaves out
// the "(first defined at line N)" part so that moving the resource keeps it.
Finding DuplicateKeyFinding(const std::string& name, const yaml::ParsedFile& parsed,
                            const yaml::Issue& issue, FileRole role) {
  Finding f;
  f.rule = yaml::IssueRule(issue.kind);
  f.file = name;
  f.line = issue.pos.line;
  f.column = issue.pos.column;
  f.message = issue.message.substr(0, issue.message.find(" (first defined"));
  for (const yaml::Document& doc : parsed.documents) {
    if (doc.index() != issue.document) continue;
    if (auto path = yaml::PathToOffset(doc, issue.pos.offset)) f.path = yaml::JsonPointer(*path);
    Classified c = Classify(doc, doc.root(), role);
    if (c.kind == DocKind::kResource || c.kind == DocKind::kKustomization)
      f.resource = ToResource(c.identity);
  }
  f.fingerprint = report::Fingerprint(f);
  f.message = issue.message;
  return f;
}

// A value Flux substitutes before applying (`${VAR}`) cannot be judged by its pattern, enum or
// type here; only a missing or unknown field can.
bool AwaitsSubstitution(const Violation& v, const nlohmann::json& instance) {
  if (v.kind == ViolationKind::kRequired || v.kind == ViolationKind::kUnknownField) return false;
  const nlohmann::json* value = ValueAt(instance, v.path);
  return value != nullptr && value->is_string() &&
         HasSubstitutionVariable(value->get_ref<const std::string&>());
}

}  // namespace

std::vector<report::RuleInfo> ValidateRules() {
  std::vector<report::RuleInfo> rules = {
      {"yaml-syntax",
       "The file is not well-formed YAML or JSON.",
       "The file cannot be parsed: a syntax error such as a tab used for indentation, an "
       "unterminated quote, a bad indentation level, an undefined alias, or (in a file named "
       ".json) anything that is YAML but not JSON, such as a trailing comma. kubectl, Argo CD, "
       "Flux and kustomize refuse the file, so nothing in it is applied.",
       "Fix the syntax at the line and column given; the message says what the parser "
       "expected there. Indent with spaces only, close every quote and bracket, and keep "
       ".json files to strict JSON.",
       "",
       {"kubernetes", "yaml", "correctness"}},
      {"duplicate-key",
       "A mapping names the same key twice; Kubernetes rejects it.",
       "A mapping names the same key twice. YAML forbids it; some parsers silently keep the "
       "last value and others the first, and the Kubernetes API server rejects such a "
       "manifest, so what you reviewed may not be what is applied.",
       "Remove one of the two keys, or merge their values into one. The message names the "
       "line of the first occurrence.",
       "",
       {"kubernetes", "yaml", "correctness"}},
      {"file-encoding",
       "The file is binary, not UTF-8, or UTF-16.",
       "The file holds a NUL byte or bytes that are not UTF-8, or it is saved as UTF-16. "
       "Kubernetes manifests must be UTF-8 text; other encodings are misread or refused by "
       "the tools that apply them.",
       "Save the file as UTF-8 without a byte order mark. If the file is not a manifest, "
       "keep it out of the validated paths (.capstanignore, or name only the manifest "
       "directories).",
       "",
       {"kubernetes", "yaml", "correctness"}},
      {"input-limit",
       "The file exceeds a size, nesting or alias-expansion limit.",
       "The file is larger than --max-file-size (16 MiB by default), nests deeper than 256 "
       "levels, or has aliases that expand past one million nodes (a \"billion laughs\" "
       "document). Such a file is reported instead of being read, so a hostile or broken file "
       "cannot exhaust memory or time.",
       "Split a large file into smaller ones, or flatten deep nesting and alias chains. When "
       "the file is legitimately large, raise --max-file-size.",
       "",
       {"kubernetes", "yaml", "correctness"}},
      {"resource-identity",
       "apiVersion, kind or metadata.name is missing or not a string.",
       "A Kubernetes object needs apiVersion, kind and metadata.name (or generateName) as "
       "strings to be applied, matched to a schema and told apart from its neighbours. This "
       "document lacks one of them or has the wrong type.",
       "Add the missing field, or quote a value that YAML reads as a number or boolean. If "
       "the document is not meant to be a Kubernetes object, move it out of the validated "
       "paths.",
       "",
       {"kubernetes", "correctness"}},
      {"schema",
       "The resource does not conform to the JSON Schema of its kind.",
       "The resource does not match the schema of its apiVersion and kind: a required field "
       "is missing, a value has the wrong type or format, a value is outside its enumeration, "
       "or (with --strict, and always in kustomization files) a field is not declared by the "
       "schema. The API server or the controller would refuse or misread it.",
       "Correct the field at the YAML path given; the message names what the schema expects. "
       "For an unknown field, check its spelling and indentation (a field one level too deep "
       "or too shallow is a common cause).",
       "",
       {"kubernetes", "schema", "correctness"}},
      {"schema-missing",
       "No schema is known for the resource's apiVersion and kind.",
       "No schema is known for the resource's apiVersion and kind: neither the built-in "
       "Kubernetes and CRD schemas, nor --schema-location, --crd, --openapi, nor a "
       "CustomResourceDefinition among the validated files declares it. The resource could "
       "not be checked; a misspelled kind or group also ends here.",
       "Check the apiVersion and kind for typos. For a custom resource, pass its CRD with "
       "--crd or a schema directory with --schema-location; to accept unknown kinds, use "
       "--ignore-missing-schemas or --skip KIND.",
       "",
       {"kubernetes", "schema", "correctness"}},
      {"kustomize-plugin",
       "An `apiVersion: builtin` document names no kustomize builtin plugin.",
       "A document with apiVersion builtin configures a kustomize builtin plugin, chosen by its "
       "kind. This kind names none of them, so kustomize build fails with \"unable to load "
       "builtin\".",
       "Use the kind of an existing builtin plugin (PatchTransformer, LabelTransformer, "
       "HelmChartInflationGenerator...), spelled exactly, or remove the document.",
       "",
       {"kubernetes", "kustomize", "correctness"}},
  };
  for (auto& rule : ApiVersionRules()) rules.push_back(std::move(rule));
  for (report::RuleInfo& r : KustomizeGraphRules()) rules.push_back(std::move(r));
  for (report::RuleInfo& r : ArgoCdRules()) rules.push_back(std::move(r));
  return rules;
}

// Tools' own config files borrow apiVersion/kind without being Kubernetes objects (a kubeconfig,
// `kind: Config` of the flux schema plugin): without metadata and without a known schema, a
// document is not ours to judge.
bool FileValidator::UnknownConfigDocument(const Classified& c) const {
  if (c.problems.size() != 1 || c.problems[0].path != "/metadata") return false;
  if (c.identity.api_version.empty() || c.identity.kind.empty()) return false;
  auto schema = registry_.Find({c.identity.group, c.identity.version, c.identity.kind});
  return schema.ok() && *schema == nullptr;
}

bool FileValidator::Skipped(const Identity& id) const {
  for (const auto& s : options_.skip) {
    if (s == id.kind || s == id.api_version + "/" + id.kind) return true;
  }
  return false;
}

FileReport FileValidator::Validate(const std::string& name, std::string_view text,
                                   const FileContext& context) const {
  FileReport out;
  FileRun run(name, out);
  FileRole role = RoleOf(name, text);
  if (role == FileRole::kHelmTemplate || context.helm_template) return out;

  if (auto problem = JsonSyntaxProblem(name, text)) {
    run.Add("yaml-syntax", problem->pos, problem->message);
    return out;
  }
  yaml::ParsedFile parsed = yaml::Parse(text, options_.limits);
  for (const auto& issue : parsed.issues) {
    if (issue.kind == yaml::IssueKind::kDuplicateKey) {
      out.findings.push_back(DuplicateKeyFinding(name, parsed, issue, role));
    } else {
      run.Add(yaml::IssueRule(issue.kind), issue.pos, issue.message);
    }
  }

  for (const yaml::Document& doc : parsed.documents) {
    ++out.documents;
    struct Target {
      yaml::NodeId node;
      std::vector<std::string> prefix;
    };
    std::vector<Target> targets{{doc.root(), {}}};
    for (std::size_t t = 0; t < targets.size(); ++t) {
      Target target = targets[t];
      Classified c = Classify(doc, target.node, role);
      std::string prefix = yaml::JsonPointer(target.prefix);
      if (c.kind == DocKind::kEmpty || c.kind == DocKind::kNotKubernetes) continue;
      if (c.kind == DocKind::kKustomizePlugin) {
        // kustomize checks a builtin plugin's fields itself when it runs; its kind is all that
        // names the plugin, and a wrong one fails the build ("unable to load builtin").
        if (!IsBuiltinPlugin(c.identity.kind)) {
          yaml::NodeId kind_node = doc.Get(target.node, "kind");
          run.Add("kustomize-plugin", doc.node(kind_node).pos,
                  QuoteForMessage(c.identity.kind) + " is not a kustomize builtin plugin",
                  prefix + "/kind", &c.identity);
        }
        continue;
      }
      if (c.kind == DocKind::kMalformed) {
        if (UnknownConfigDocument(c)) continue;
        for (const auto& p : c.problems) {
          yaml::Position pos = p.node == yaml::kNoNode ? doc.start() : doc.node(p.node).pos;
          run.Add("resource-identity", pos, p.message, prefix + p.path, &c.identity);
        }
        continue;
      }
      if (c.kind == DocKind::kList) {
        yaml::NodeId items = doc.Resolve(doc.Get(target.node, "items"));
        if (items != yaml::kNoNode && doc.node(items).type == yaml::NodeType::kSequence) {
          for (std::size_t i = 0; i < doc.node(items).children.size(); ++i) {
            std::vector<std::string> p = target.prefix;
            p.push_back("items");
            p.push_back(std::to_string(i));
            targets.push_back({doc.node(items).children[i], std::move(p)});
          }
          continue;
        }
      }
      yaml::NodeId kind_node = doc.Get(target.node, "kind");
      yaml::Position kind_pos =
          kind_node == yaml::kNoNode ? doc.node(target.node).pos : doc.node(kind_node).pos;
      if (c.kind == DocKind::kResource) out.resources.push_back({c.identity, kind_pos, prefix});
      if (c.kind == DocKind::kResource && !context.patch)
        CollectApplicationSources(doc, target.node, c.identity, prefix, out.application_sources);
      if (Skipped(c.identity)) continue;
      if (c.kind == DocKind::kResource)
        CheckArgoCd({doc, target.node, c.identity, target.prefix, context.patch}, name,
                    out.findings, out.argocd_projects);
      GroupVersionKind gvk{c.identity.group, c.identity.version, c.identity.kind};
      // Judged before the schema lookup: a removed version is not a missing schema.
      ApiVerdict api = JudgeApiVersion(gvk, options_.kubernetes_version, options_.api_versions);
      std::string served_by = api.status == ApiStatus::kRemoved ? registry_.ServedBy(gvk) : "";
      if (auto finding = ApiVersionFinding(gvk, api, served_by)) {
        yaml::NodeId api_node = doc.Get(target.node, "apiVersion");
        run.Add(finding->rule, api_node == yaml::kNoNode ? kind_pos : doc.node(api_node).pos,
                finding->message, prefix + "/apiVersion", &c.identity, finding->severity);
      }
      if (api.status == ApiStatus::kRemoved && served_by.empty()) {
        out.schema_missing = true;  // a CustomResourceDefinition among the files may serve it
        continue;
      }
      auto schema = registry_.Find(gvk, c.kind == DocKind::kKustomization);
      if (!schema.ok()) {
        out.error = schema.status();
        return out;
      }
      if (*schema == nullptr) {
        out.schema_missing = true;
        // The table vouches for the kind; only its schema (of an older release) is unknown.
        if (api.status != ApiStatus::kUnlisted) continue;
        if (!options_.ignore_missing_schemas && !context.plugin_config) {
          run.Add("schema-missing", kind_pos,
                  "no schema for " + c.identity.api_version + " " + c.identity.kind +
                      " (add --crd, --schema-location or --ignore-missing-schemas)",
                  prefix + "/kind", &c.identity);
        }
        continue;
      }
      const bool crd = c.identity.kind == "CustomResourceDefinition" &&
                       c.identity.group == "apiextensions.k8s.io";
      // Most documents conform: judge those in place, converting only the rest (and CRDs,
      // which are kept as JSON).
      if (!crd && ConformsInPlace(**schema, doc, target.node, /*without_sops=*/true)) continue;
      yaml::ConvertError err;
      auto json = yaml::ToJson(doc, target.node, options_.limits, &err);
      if (!json) {
        run.Add(yaml::IssueRule(err.kind), err.pos, err.message, prefix, &c.identity);
        continue;
      }
      // SOPS keeps its metadata in a top-level `sops` key that decryption removes.
      if (json->is_object() && json->contains("sops") && (*json)["sops"].is_object())
        json->erase("sops");
      if (crd) out.crds.push_back(*json);
      for (const Violation& v : Check(**schema, *json)) {
        if (v.kind == ViolationKind::kRequired &&
            (context.patch || (context.selector_filled && v.field == "selector"))) {
          continue;
        }
        // Strategic-merge directives ($patch: delete, $setElementOrder/..., $retainKeys).
        if (context.patch && v.kind == ViolationKind::kUnknownField && !v.path.empty() &&
            v.path.back().starts_with("$")) {
          continue;
        }
        if (AwaitsSubstitution(v, *json)) continue;
        std::vector<std::string> full = target.prefix;
        full.insert(full.end(), v.path.begin(), v.path.end());
        run.Add("schema", PositionFor(doc, full, v.at_key), v.message, yaml::JsonPointer(full),
                &c.identity);
      }
    }
  }
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return out;
}

}  // namespace capstan::k8s
