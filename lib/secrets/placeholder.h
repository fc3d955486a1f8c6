// Values that stand in for a secret rather than being one. GitOps repositories keep these in
// Secret manifests on purpose; they are never findings.
#pragma once

#include <cstddef>
#include <string_view>

namespace capstan::secrets {

struct PlaceholderContext {
  // The document carries the Argo CD Vault Plugin annotation (avp.kubernetes.io/path), which
  // makes bare `<key>` values placeholders too.
  bool avp_annotated = false;
};

// True when the whole value (after trimming surrounding whitespace) is one of:
//   - empty;
//   - Argo CD Vault Plugin `<path:some/path#key>` (optionally `#version`), anywhere in the value
//     as long as nothing else in it is literal text;
//   - `<key>` when context.avp_annotated;
//   - a Helm template `{{ ... }}`;
//   - Flux post-build substitution `${VAR}` / `${VAR:=default}` where the default is itself a
//     placeholder or empty;
//   - a 1Password reference `op://vault/item[/section]/field` (names may hold spaces);
//   - Grafana provisioning expansions `$__env{VAR}`, `$__file{path}`, `$__vault{path}`.
// Punctuation between placeholders is allowed ("{{ .user }}:{{ .pass }}"); a value that mixes
// letters or digits with a placeholder ("pass-${SUFFIX}") is not a placeholder: its literal part
// may be the secret, and so is punctuation alone (":::" is a value someone chose).
bool IsPlaceholder(std::string_view value, const PlaceholderContext& context = {});

// Length in bytes of the placeholder (AVP `<path:…#key>`, `{{ … }}`, `${VAR}`, Grafana `$__env{…}`,
// `<key>` under the AVP annotation) that starts text, or 0 when text does not start with one.
std::size_t PlaceholderLength(std::string_view text, const PlaceholderContext& context = {});

}  // namespace capstan::secrets
