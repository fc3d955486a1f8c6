// Reports shared by the report writer tests.
#pragma once

#include <sstream>
#include <string>
#include <utility>

#include "report/finding.h"
#include "report/writer.h"

namespace capstan::report::testing {

inline Finding MakeFinding(std::string file, int line, int column, std::string rule,
                           Severity severity, std::string message) {
  Finding f;
  f.file = std::move(file);
  f.line = line;
  f.column = column;
  f.rule = std::move(rule);
  f.severity = severity;
  f.message = std::move(message);
  return f;
}

// Five findings covering the shapes writers must handle: a resource with a namespace and a
// path, a whole-file finding, stdin, a file name with a space, and rules missing from `rules`.
inline Report SampleReport() {
  Report r;
  r.tool = "capstan-validate";
  r.version = "0.1.0";
  r.rules = {{"schema", "Manifests must match the schema of their kind"},
             {"yaml-syntax", "Files must be well-formed YAML"}};
  Finding deploy = MakeFinding("apps/web/deploy.yaml", 12, 7, "schema", Severity::kError,
                               "expected integer, got string");
  deploy.path = "/spec/replicas";
  deploy.resource = {"apps/v1", "Deployment", "prod", "web"};
  r.findings.push_back(deploy);
  r.findings.push_back(MakeFinding("apps/web/kustomization.yaml", 0, 0, "yaml-syntax",
                                   Severity::kError, "file is empty"));
  r.findings.push_back(MakeFinding("<stdin>", 3, 1, "deprecated-api", Severity::kNote,
                                   "extensions/v1beta1 Ingress was removed in 1.22"));
  r.findings.push_back(MakeFinding("apps/my app/values.yaml", 5, 0, "plaintext-secret",
                                   Severity::kWarning, "password looks like a secret"));
  Finding ns = MakeFinding("apps/web/namespace.yaml", 1, 1, "schema", Severity::kWarning,
                           "unknown field \"labelz\"");
  ns.path = "/metadata/labelz";
  ns.resource = {"v1", "Namespace", "", "web"};
  r.findings.push_back(ns);
  r.summary.files = 5;
  r.summary.documents = 7;
  Finalize(r);
  return r;
}

inline Report EmptyReport(int files, int documents) {
  Report r;
  r.tool = "capstan-validate";
  r.version = "0.1.0";
  r.summary.files = files;
  r.summary.documents = documents;
  Finalize(r);
  return r;
}

inline Report ReportOf(Finding f) {
  Report r = EmptyReport(1, 1);
  r.findings.push_back(std::move(f));
  Finalize(r);
  return r;
}

inline std::string Render(Format format, const Report& report) {
  std::ostringstream out;
  Write(format, report, out);
  return out.str();
}

}  // namespace capstan::report::testing
