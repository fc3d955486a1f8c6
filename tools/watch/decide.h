// The registry half of a capstan-watch cycle: for one policy, ask the registry and choose the
// tag (and digest) to write. Nothing here reads or writes the repository.
#pragma once

#include "policy/decision.h"
#include "policy/image_policy.h"
#include "registry/client.h"

namespace capstan::tools::watch {

// Asks `client` what `policy` needs, with as few requests as the strategy allows:
//   semver, alphabetical, numerical: the tag list only (plus a manifest per candidate, best
//     first, until one offers the policy's platforms, when platforms are set; plus one HEAD for
//     the chosen tag with pin_digest);
//   newest-build: the tag list, then manifest and config of every admitted tag;
//   digest: one HEAD of the followed tag, no tag list.
policy::Decision Decide(const policy::ImagePolicy& policy, registry::Client& client);

}  // namespace capstan::tools::watch
