// What the registry answered for one policy in a capstan-watch cycle: the tag (and digest) to
// write, or why there is none. Produced by the tool (which asks the registry) and consumed by
// ApplyDecisions (policy/apply.h), which writes it into the repository.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

#include "core/status.h"

namespace capstan::policy {

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

}  // namespace capstan::policy
