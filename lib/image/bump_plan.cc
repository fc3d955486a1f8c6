#include "image/bump_plan.h"

#include "core/utf8.h"
#include "semver/version.h"

namespace capstan::image {
namespace {

// Text every reference to the image contains, however it is written: the repository path
// ("acme/api"), or for Docker Hub's official images the bare name ("nginx").
std::string Needle(const image::Reference& image) {
  const std::string& repo = image.repository;
  if (image.registry == "docker.io" && repo.rfind("library/", 0) == 0) return repo.substr(8);
  return repo;
}

std::string BaseName(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The last segment of a Helm key path, without an index: "images[0].tag" -> "tag".
std::string LastKeySegment(const std::string& key) {
  std::size_t dot = key.rfind('.');
  std::string last = dot == std::string::npos ? key : key.substr(dot + 1);
  return last.substr(0, last.find('['));
}

// A semver downgrade from old_tag to new_tag; both must read as versions (coercing, as Argo CD
// Image Updater does) to be compared at all.
std::optional<std::string> Downgrade(const image::Change& change) {
  if (change.old_tag.empty() || change.new_tag.empty()) return std::nullopt;
  auto from = semver::ParseCoerce(change.old_tag);
  auto to = semver::ParseCoerce(change.new_tag);
  if (!from.ok() || !to.ok() || !(*to < *from)) return std::nullopt;
  return "would downgrade " + change.old_tag + " to " + change.new_tag +
         " (pass --allow-downgrade to allow it)";
}

}  // namespace

bool MayHoldTarget(const std::string& name, const std::string& text,
                   const image::BumpRequest& request) {
  std::string base = BaseName(name);
  if (base.rfind(".argocd-source", 0) == 0) return true;
  if (text.find(Needle(request.image)) != std::string::npos) return true;
  if (text.find("$imagepolicy") != std::string::npos) return true;
  for (const std::string& key : request.helm_keys) {
    if (text.find(LastKeySegment(key)) != std::string::npos) return true;
  }
  return false;
}

Plan PlanFiles(const std::vector<FileText>& files, const image::BumpRequest& request,
               bool allow_downgrade) {
  Plan out;
  for (const FileText& file : files) {
    // A file saved as UTF-16 is looked into as UTF-8, so one that names the image gets a note
    // (it cannot be edited in place) rather than passing unseen.
    const std::optional<std::string> decoded = Utf16ToUtf8(file.text);
    const std::string& probe = decoded ? *decoded : file.text;
    if (!MayHoldTarget(file.name, probe, request)) continue;
    Result<image::FilePlan> planned = image::PlanBump(file.name, file.text, request);
    if (!planned.ok()) {
      if (probe.find(Needle(request.image)) != std::string::npos) {
        out.notes.push_back(
            {file.name, 0, 0, "skipped, not valid YAML: " + planned.status().message()});
      }
      continue;
    }
    image::FilePlan& plan = *planned;
    for (const image::Refusal& r : plan.refused)
      out.stops.push_back({file.name, r.line, r.column, r.message});
    if (!allow_downgrade) {
      for (const image::Change& c : plan.changes) {
        if (auto why = Downgrade(c)) out.stops.push_back({file.name, c.line, c.column, *why});
      }
    }
    if (plan.changes.empty() && plan.up_to_date.empty()) continue;
    out.changes += plan.changes.size();
    out.up_to_date += plan.up_to_date.size();
    out.files.push_back({file.name, file.path, file.text, std::move(plan)});
  }
  return out;
}

std::string FormatStop(const Stop& stop) {
  if (stop.line <= 0) return stop.name + ": " + stop.message;
  return stop.name + ":" + std::to_string(stop.line) + ":" + std::to_string(stop.column) + ": " +
         stop.message;
}

}  // namespace capstan::image
