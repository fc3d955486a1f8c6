// Resolves a scalar node to the type Kubernetes tooling sees. Plain scalars follow go-yaml v2 (what
// kubectl, kubeconform and Argo CD use through sigs.k8s.io/yaml): yes/no/on/off are booleans,
// 0x/0o/0b and leading-zero octal are integers, underscores are ignored in numbers. Quoted and
// block scalars are strings; explicit tags (!!str, !!int ...) are honoured.
#pragma once

#include <cstdint>
#include <string>

#include "yaml/document.h"

namespace capstan::yaml {

enum class ScalarKind { kNull, kBool, kInt, kUint, kFloat, kString };

struct ScalarValue {
  ScalarKind kind = ScalarKind::kString;
  bool b = false;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double f = 0;
};

// REQUIRES: node.type is kScalar or kNull.
ScalarValue ResolveScalar(const Node& node);

}  // namespace capstan::yaml
