#include "policy/apply.h"

#include <algorithm>
#include <set>

#include "core/strings.h"
#include "image/targets.h"

namespace capstan::policy {
namespace {

using State = ImageOutcome::State;

void AddUnique(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end())
    list.push_back(item);
}

// Argo CD Image Updater's override file for an image no file names yet.
std::string OverrideText(const ImagePolicy& policy, const Decision& d) {
  std::string ref = policy.image.Name() + ":" + d.tag + (d.digest.empty() ? "" : "@" + d.digest);
  if (policy.write.override_kind == "helm") {
    std::string tag_key =
        policy.write.helm_keys.empty() ? "image.tag" : policy.write.helm_keys.front();
    std::string name_key =
        policy.write.override_name_key.empty() ? "image.name" : policy.write.override_name_key;
    return "helm:\n  parameters:\n  - name: " + name_key + "\n    value: " + policy.image.Name() +
           "\n    forcestring: true\n  - name: " + tag_key + "\n    value: \"" + d.tag +
           "\"\n    forcestring: true\n";
  }
  std::string entry =
      policy.write.kustomize_name.empty() ? ref : policy.write.kustomize_name + "=" + ref;
  return "kustomize:\n  images:\n  - " + entry + "\n";
}

image::BumpRequest RequestFor(const ImagePolicy& policy, const Decision& d,
                              const std::map<std::string, image::Reference>& flux) {
  image::BumpRequest r;
  r.image = policy.image;
  r.image.tag.clear();
  r.image.digest.clear();
  r.tag = d.tag;
  r.digest = d.digest;
  r.helm_keys = policy.write.helm_keys;
  r.flux_policies = flux;
  if (!policy.write.kustomize_name.empty()) {
    // The kustomization names the image by another name: that entry gets the watched name too.
    Result<image::Reference> other = image::ParseReference(policy.write.kustomize_name);
    if (other.ok()) {
      r.image = *other;
      r.new_name = policy.image.Name();
    }
  }
  return r;
}

// Flux policy "namespace:name" -> image, for every policy that owns markers.
std::map<std::string, image::Reference> FluxMap(const std::vector<ImagePolicy>& policies) {
  std::map<std::string, image::Reference> flux;
  for (const ImagePolicy& p : policies) {
    for (const std::string& name : p.flux_policies) flux.emplace(name, p.image);
  }
  return flux;
}

bool MentionsDigest(const image::FilePlan& plan, const std::string& digest) {
  for (const image::Change& c : plan.changes) {
    if (c.old_value.find(digest) != std::string::npos) return true;
  }
  for (const image::Change& c : plan.up_to_date) {
    if (c.new_value.find(digest) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

const char* StateName(State state) {
  switch (state) {
    case State::kUpdated:
      return "updated";
    case State::kUpToDate:
      return "up-to-date";
    case State::kNoCandidate:
      return "no-candidate";
    case State::kKept:
      return "kept";
    case State::kNoTarget:
      return "no-target";
    case State::kFailed:
      return "failed";
  }
  return "?";
}

Applied ApplyDecisions(const std::vector<image::FileText>& files,
                       const std::vector<ImagePolicy>& policies,
                       const std::vector<Decision>& decisions) {
  Applied out;
  std::map<std::string, std::string> texts;  // the current text of every file, edits included
  for (const image::FileText& f : files) texts[f.name] = f.text;
  const std::map<std::string, image::Reference> flux = FluxMap(policies);

  for (std::size_t i = 0; i < policies.size(); ++i) {
    const ImagePolicy& policy = policies[i];
    const Decision& d = decisions[i];
    ImageOutcome outcome;
    if (!d.status.ok()) {
      outcome.state = State::kFailed;
      outcome.message = d.status.message();
      out.outcomes.push_back(std::move(outcome));
      continue;
    }
    if (d.tag.empty()) {
      outcome.state = State::kNoCandidate;
      outcome.message = d.note;
      out.outcomes.push_back(std::move(outcome));
      continue;
    }
    outcome.to = d.tag + (d.digest.empty() ? "" : "@" + d.digest);

    image::BumpRequest request = RequestFor(policy, d, flux);
    std::vector<image::FileText> candidates;
    if (policy.write.files.empty()) {
      for (const auto& [name, text] : texts) candidates.push_back({name, text, ""});
    } else {
      request.explicit_file = true;
      for (const std::string& name : policy.write.files) {
        auto it = texts.find(name);
        if (it != texts.end()) candidates.push_back({name, it->second, ""});
      }
    }
    image::Plan plan = image::PlanFiles(candidates, request, /*allow_downgrade=*/true);
    if (!plan.stops.empty()) {
      outcome.state = State::kFailed;
      outcome.message = image::FormatStop(plan.stops.front());
      out.outcomes.push_back(std::move(outcome));
      continue;
    }

    std::vector<std::string> from;
    bool behind_or_equal = false;
    bool all_ahead = true;  // every tag in Git is ahead of the chosen one, not the same
    bool same_digest = false;
    for (const image::PlannedFile& f : plan.files) {
      for (const image::Change& c : f.plan.changes) {
        AddUnique(from, c.old_tag.empty() ? c.old_value : c.old_tag);
        if (!c.old_tag.empty() && c.old_tag != d.tag &&
            !image::IsForward(policy.tags, c.old_tag, d.tag, d.created)) {
          behind_or_equal = true;
        }
        if (c.old_tag.empty() || !image::IsForward(policy.tags, d.tag, c.old_tag, d.created))
          all_ahead = false;
      }
      if (!d.digest.empty() && !f.plan.changes.empty() && MentionsDigest(f.plan, d.digest))
        same_digest = true;
    }
    outcome.from = Join(from, ", ");

    if (plan.changes == 0 && plan.up_to_date == 0) {
      const std::string& file = policy.write.override_file;
      if (!file.empty() && texts.count(file) == 0) {
        std::string text = OverrideText(policy, d);
        texts[file] = text;
        out.updates[file] = text;
        outcome.state = State::kUpdated;
        outcome.changes.push_back({file, 1, "argocd-override", "", outcome.to});
      } else {
        outcome.state = State::kNoTarget;
        outcome.message = "nothing in the repository names " + policy.image.Name();
      }
      out.outcomes.push_back(std::move(outcome));
      continue;
    }
    if (plan.changes == 0) {
      outcome.state = State::kUpToDate;
      out.outcomes.push_back(std::move(outcome));
      continue;
    }
    if (behind_or_equal || same_digest) {
      outcome.state = State::kKept;
      outcome.message = same_digest ? "Git already has the image of " + d.tag + " (same digest)"
                        : all_ahead ? "Git has " + outcome.from + ", newer than " + d.tag + ": kept"
                                    : "Git has " + outcome.from + ", not older than " + d.tag;
      out.outcomes.push_back(std::move(outcome));
      continue;
    }
    outcome.state = State::kUpdated;
    for (const image::PlannedFile& f : plan.files) {
      if (f.plan.changes.empty()) continue;
      texts[f.name] = f.plan.new_text;
      out.updates[f.name] = f.plan.new_text;
      for (const image::Change& c : f.plan.changes) {
        outcome.changes.push_back(
            {f.name, c.line, image::TargetKindName(c.kind), c.old_value, c.new_value});
      }
    }
    out.outcomes.push_back(std::move(outcome));
  }
  return out;
}

std::string CommitMessage(const std::vector<ImagePolicy>& policies, const Applied& applied) {
  std::vector<std::size_t> updated;
  for (std::size_t i = 0; i < applied.outcomes.size(); ++i) {
    if (applied.outcomes[i].state == State::kUpdated) updated.push_back(i);
  }
  std::string subject;
  if (updated.size() == 1) {
    const ImageOutcome& o = applied.outcomes[updated[0]];
    subject = "capstan-watch: " + policies[updated[0]].image.Name() + " " +
              (o.from.empty() ? "" : o.from + " -> ") + o.to;
  } else {
    subject = "capstan-watch: update " + std::to_string(updated.size()) + " images";
  }
  std::string body;
  for (std::size_t i : updated) {
    const ImagePolicy& p = policies[i];
    const ImageOutcome& o = applied.outcomes[i];
    body += "\n" + p.image.Name() + ": " + (o.from.empty() ? "(new)" : o.from) + " -> " + o.to +
            " (" + image::StrategyName(p.tags.strategy) +
            (p.tags.constraint.empty() ? "" : " " + p.tags.constraint) + "; " + p.source.label +
            ")\n";
    for (const AppliedChange& c : o.changes) {
      body += "  " + c.file + ":" + std::to_string(c.line) + " " + c.kind + "\n";
    }
  }
  return subject + "\n" + body;
}

}  // namespace capstan::policy
