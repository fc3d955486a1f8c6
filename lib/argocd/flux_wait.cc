#include "argocd/flux_wait.h"

#include <cctype>

#include "core/strings.h"

namespace capstan::argocd {
namespace {

using nlohmann::json;

bool IsHex(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "sha1:<hex>" / "sha256:<hex>" -> the hex; nullopt for anything else.
std::optional<std::string> Digest(std::string_view text) {
  for (std::string_view alg : {"sha1:", "sha256:"}) {
    if (text.rfind(alg, 0) == 0 && IsHex(text.substr(alg.size()))) {
      return AsciiLower(text.substr(alg.size()));
    }
  }
  return std::nullopt;
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return std::string(Trim(text));
}

// "main@5d6e7f8", "5d6e7f8", or the text itself when it holds no commit; "nothing" when empty.
std::string Shown(std::string_view revision) {
  if (revision.empty()) return "nothing";
  FluxRevision r = ParseFluxRevision(revision);
  if (r.sha.empty()) return std::string(revision);
  return r.ref.empty() ? ShortSha(r.sha) : r.ref + "@" + ShortSha(r.sha);
}

Status WrongType(const std::string& field, const char* want) {
  return Status::ParseError("kustomization " + field + " is not " + want);
}

// obj[key] when present and not null; nullptr otherwise.
const json* Field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Status ReadString(const json& obj, const char* key, const std::string& where, std::string* out) {
  const json* v = Field(obj, key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_string()) return WrongType(where + key, "a string");
  *out = v->get<std::string>();
  return Status::Ok();
}

Status ReadInt(const json& obj, const char* key, const std::string& where, std::int64_t* out) {
  const json* v = Field(obj, key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_number_integer()) return WrongType(where + key, "an integer");
  *out = v->get<std::int64_t>();
  return Status::Ok();
}

// The object at obj[key] (an empty one when absent).
Result<const json*> Object(const json& obj, const char* key, const std::string& where) {
  static const json kEmpty = json::object();
  const json* v = Field(obj, key);
  if (v == nullptr) return &kEmpty;
  if (!v->is_object()) return WrongType(where + key, "an object");
  return v;
}

}  // namespace

FluxRevision ParseFluxRevision(std::string_view revision) {
  FluxRevision r;
  if (size_t at = revision.rfind('@'); at != std::string_view::npos) {
    r.ref = std::string(revision.substr(0, at));
    std::string_view rest = revision.substr(at + 1);
    if (std::optional<std::string> d = Digest(rest)) {
      r.sha = *d;
    } else if (IsHex(rest)) {
      r.sha = AsciiLower(rest);
    }
    return r;
  }
  if (std::optional<std::string> d = Digest(revision)) {
    r.sha = *d;
    return r;
  }
  size_t slash = revision.rfind('/');
  std::string_view last = slash == std::string_view::npos ? revision : revision.substr(slash + 1);
  if ((last.size() == 40 || last.size() == 64) && IsHex(last)) {
    r.sha = AsciiLower(last);
    if (slash != std::string_view::npos) r.ref = std::string(revision.substr(0, slash));
    return r;
  }
  r.ref = std::string(revision);
  return r;
}

const FluxCondition* Kustomization::Condition(std::string_view type) const {
  for (const FluxCondition& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

Result<Kustomization> ReadKustomization(const json& object) {
  if (!object.is_object()) return Status::ParseError("kustomization is not a JSON object");
  Kustomization k;
  Result<const json*> metadata = Object(object, "metadata", "");
  if (!metadata.ok()) return metadata.status();
  CAPSTAN_RETURN_IF_ERROR(ReadString(**metadata, "name", "metadata.", &k.name));
  CAPSTAN_RETURN_IF_ERROR(
      ReadString(**metadata, "namespace", "metadata.", &k.kustomization_namespace));
  CAPSTAN_RETURN_IF_ERROR(ReadInt(**metadata, "generation", "metadata.", &k.generation));

  Result<const json*> spec = Object(object, "spec", "");
  if (!spec.ok()) return spec.status();
  if (const json* suspend = Field(**spec, "suspend")) {
    if (!suspend->is_boolean()) return WrongType("spec.suspend", "a boolean");
    k.suspended = suspend->get<bool>();
  }

  Result<const json*> status = Object(object, "status", "");
  if (!status.ok()) return status.status();
  const json& s = **status;
  CAPSTAN_RETURN_IF_ERROR(ReadInt(s, "observedGeneration", "status.", &k.observed_generation));
  CAPSTAN_RETURN_IF_ERROR(
      ReadString(s, "lastAppliedRevision", "status.", &k.last_applied_revision));
  CAPSTAN_RETURN_IF_ERROR(
      ReadString(s, "lastAttemptedRevision", "status.", &k.last_attempted_revision));
  if (const json* conditions = Field(s, "conditions")) {
    if (!conditions->is_array()) return WrongType("status.conditions", "a list");
    for (const json& c : *conditions) {
      if (!c.is_object()) return WrongType("status.conditions[]", "an object");
      FluxCondition condition;
      const std::string where = "status.conditions[].";
      CAPSTAN_RETURN_IF_ERROR(ReadString(c, "type", where, &condition.type));
      CAPSTAN_RETURN_IF_ERROR(ReadString(c, "status", where, &condition.status));
      CAPSTAN_RETURN_IF_ERROR(ReadString(c, "reason", where, &condition.reason));
      CAPSTAN_RETURN_IF_ERROR(ReadString(c, "message", where, &condition.message));
      k.conditions.push_back(std::move(condition));
    }
  }
  return k;
}

WaitVerdict JudgeKustomization(const Kustomization& k, const FluxTarget& target,
                               const ReachesTarget& reaches) {
  auto at_target = [&](const std::string& revision) {
    if (target.revision.empty()) return !revision.empty();
    const std::string sha = ParseFluxRevision(revision).sha;
    if (sha.empty()) return false;
    if (sha == AsciiLower(target.revision)) return true;
    return reaches && reaches(sha);
  };
  const FluxCondition* ready = k.Condition("Ready");
  const std::string applied = Shown(k.last_applied_revision);
  auto ready_text = [&] {
    if (ready == nullptr) return std::string("no Ready condition yet");
    std::string text = "Ready " + ready->status;
    if (!ready->reason.empty()) text += ": " + ready->reason;
    if (!ready->message.empty()) text += ": " + OneLine(ready->message);
    return text;
  };

  const bool current = k.observed_generation == k.generation;
  if (current && ready != nullptr && ready->status == "True" &&
      at_target(k.last_applied_revision)) {
    std::string summary = "Ready at " + applied;
    if (!ready->message.empty()) summary += ": " + OneLine(ready->message);
    return {WaitOutcome::kSucceeded, summary};
  }
  if (k.suspended) return {WaitOutcome::kSuspended, "suspended at " + applied};
  if (!current) {
    return {WaitOutcome::kWaiting,
            "the controller has not observed generation " + std::to_string(k.generation) + " yet" +
                (k.observed_generation < 0
                     ? std::string()
                     : " (observed " + std::to_string(k.observed_generation) + ")")};
  }
  if (const FluxCondition* stalled = k.Condition("Stalled");
      stalled != nullptr && stalled->status == "True") {
    return {WaitOutcome::kFailed, "stalled at " + Shown(k.last_attempted_revision) + ": " +
                                      stalled->reason + ": " + OneLine(stalled->message)};
  }
  if (ready != nullptr && ready->status == "False" && ready->reason != "DependencyNotReady" &&
      at_target(k.last_attempted_revision)) {
    return {WaitOutcome::kFailed, (ready->reason.empty() ? "not ready" : ready->reason) + " at " +
                                      Shown(k.last_attempted_revision) + ": " +
                                      OneLine(ready->message)};
  }
  std::string summary = "applied " + applied;
  if (!target.revision.empty() && !at_target(k.last_applied_revision)) {
    summary += ", want " + ShortSha(target.revision);
  }
  if (k.last_attempted_revision != k.last_applied_revision && !k.last_attempted_revision.empty()) {
    summary += ", attempted " + Shown(k.last_attempted_revision);
  }
  return {WaitOutcome::kWaiting, summary + "; " + ready_text()};
}

}  // namespace capstan::argocd
