#include "watch/decide.h"

#include <vector>

namespace capstan::tools::watch {
namespace {

using policy::Decision;
using policy::ImagePolicy;

std::vector<registry::Platform> Platforms(const ImagePolicy& policy, Status& status) {
  std::vector<registry::Platform> out;
  for (const std::string& text : policy.platforms) {
    Result<registry::Platform> p = registry::ParsePlatform(text);
    if (!p.ok()) {
      status = p.status();
      return {};
    }
    out.push_back(*p);
  }
  return out;
}

std::string Describe(const ImagePolicy& policy) {
  std::string s = image::StrategyName(policy.tags.strategy);
  if (!policy.tags.constraint.empty()) s += " " + policy.tags.constraint;
  if (!policy.tags.allow_regex.empty()) s += ", allow-tags " + policy.tags.allow_regex;
  return s;
}

}  // namespace

Decision Decide(const ImagePolicy& policy, registry::Client& client) {
  Decision d;
  std::vector<registry::Platform> want = Platforms(policy, d.status);
  if (!d.status.ok()) return d;

  if (policy.tags.strategy == image::Strategy::kDigest) {
    Result<std::string> digest = client.Digest(policy.image, policy.tags.constraint);
    if (!digest.ok()) {
      d.status = digest.status();
      return d;
    }
    d.tag = policy.tags.constraint;
    d.digest = *digest;
    return d;
  }

  Result<std::vector<std::string>> tags = client.ListTags(policy.image);
  if (!tags.ok()) {
    d.status = tags.status();
    return d;
  }
  d.tags_listed = tags->size();

  std::vector<image::RankedTag> ranked;
  if (policy.tags.strategy == image::Strategy::kNewestBuild) {
    // The filters alone (alphabetical order ranks every admitted tag), then one config each.
    image::TagPolicy filters = policy.tags;
    filters.strategy = image::Strategy::kAlphabetical;
    for (const image::RankedTag& t : image::RankTags(filters, *tags)) {
      Result<registry::ImageInfo> info = client.Inspect(policy.image, t.tag, want);
      if (!info.ok()) {
        if (info.status().code() == StatusCode::kNotFound)
          continue;  // deleted, or not for our platforms
        d.status = info.status();
        return d;
      }
      if (info->created) d.created[t.tag] = *info->created;
    }
    ranked = image::RankTags(policy.tags, *tags, d.created);
    want.clear();  // already filtered by platform above
  } else {
    ranked = image::RankTags(policy.tags, *tags);
  }

  for (const image::RankedTag& candidate : ranked) {
    if (!want.empty()) {
      Result<registry::ImageInfo> info = client.Inspect(policy.image, candidate.tag, want);
      if (!info.ok()) {
        if (info.status().code() == StatusCode::kNotFound) continue;
        d.status = info.status();
        return d;
      }
    }
    d.tag = candidate.tag;
    break;
  }
  if (d.tag.empty()) {
    d.note = "no tag among " + std::to_string(d.tags_listed) + " matches " + Describe(policy) +
             (want.empty() ? "" : " for the wanted platforms");
    return d;
  }
  if (policy.pin_digest) {
    Result<std::string> digest = client.Digest(policy.image, d.tag);
    if (!digest.ok()) {
      d.status = digest.status();
      return d;
    }
    d.digest = *digest;
  }
  return d;
}

}  // namespace capstan::tools::watch
