// Flux post-build substitution (Kustomization spec.postBuild.substitute / substituteFrom): the
// kustomize-controller replaces `${VAR}`, `${VAR:=default}` and `${VAR:-default}` in the
// rendered manifests before it applies them. A string holding such a variable is a value that
// is not known yet, so its pattern, enum and type cannot be judged from the repository:
// `replicas: ${REPLICAS}` is a string here and an integer in the cluster.
#pragma once

#include <string_view>

namespace capstan::k8s {

// Whether s holds a substitution variable: "${" then a variable name (a letter or '_' first,
// then letters, digits or '_'), then '}' or one of the operators ":=", ":-", "=", "-" and
// eventually '}'. "$${VAR}" (Flux's escape for a literal "${VAR}") does not count.
bool HasSubstitutionVariable(std::string_view s);

}  // namespace capstan::k8s
