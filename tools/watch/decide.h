// The registry half of a capstan-watch cycle: for one policy, ask the registry and choose the
// tag (and digest) to write. Nothing here reads or writes the repository.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "core/status.h"
#include "registry/client.h"
#include "watch/policy.h"

namespace capstan::tools::watch {

struct Decision {
  Status status;       // not ok: the registry could not answer; nothing is written for this image
  std::string tag;     // the chosen tag; "" when no tag is admitted (see note)
  std::string digest;  // set for the digest strategy and with pin_digest
  std::size_t tags_listed = 0;
  // Creation times fetched for newest-build, so the "never older" check can compare with the
  // tag in Git.
  std::map<std::string, std::chrono::system_clock::time_point> created;
  std::string note;  // why no tag was chosen ("no tag among 14 matches ~1.4")
};

// Asks `client` what `policy` needs, with as few requests as the strategy allows:
//   semver, alphabetical, numerical: the tag list only (plus a manifest per candidate, best
//     first, until one offers the policy's platforms, when platforms are set; plus one HEAD for
//     the chosen tag with pin_digest);
//   newest-build: the tag list, then manifest and config of every admitted tag;
//   digest: one HEAD of the followed tag, no tag list.
Decision Decide(const ImagePolicy& policy, registry::Client& client);

}  // namespace capstan::tools::watch
