#include "bump/resume.h"

#include <optional>

namespace capstan::tools {
namespace {

// The path of f relative to the working tree, or nullopt when it lies outside it.
std::optional<std::string> InRepository(const git::Repository& repo, const image::PlannedFile& f) {
  std::string root = repo.workdir() + "/";
  if (repo.workdir().empty() || f.path.rfind(root, 0) != 0) return std::nullopt;
  return f.path.substr(root.size());
}

// The file's content at rev, or nullopt when it is not there or cannot be read.
std::optional<std::string> At(git::Repository& repo, const std::string& rev,
                              const std::string& path) {
  Result<std::optional<std::string>> text = repo.ReadFileAt(rev, path);
  if (!text.ok()) return std::nullopt;
  return *text;
}

// The plan of `text` as the content of f, when it is a plan with changes and no stops.
std::optional<image::PlannedFile> ChangesOf(const Replan& replan, const image::PlannedFile& f,
                                            const std::string& text) {
  image::Plan again = replan({f.name, text, f.path});
  if (!again.stops.empty() || again.files.size() != 1 || again.files[0].plan.changes.empty())
    return std::nullopt;
  return std::move(again.files[0]);
}

}  // namespace

std::vector<std::string> AdoptUncommitted(git::Repository& repo, const Replan& replan,
                                          image::Plan& plan) {
  std::vector<std::string> adopted;
  for (image::PlannedFile& f : plan.files) {
    if (!f.plan.changes.empty() || f.plan.up_to_date.empty()) continue;
    std::optional<std::string> path = InRepository(repo, f);
    if (!path) continue;
    std::optional<std::string> head = At(repo, "HEAD", *path);
    if (!head || *head == f.old_text) continue;
    std::optional<image::PlannedFile> from_head = ChangesOf(replan, f, *head);
    if (!from_head || from_head->plan.new_text != f.old_text) continue;
    plan.up_to_date -= f.plan.up_to_date.size();
    plan.up_to_date += from_head->plan.up_to_date.size();
    plan.changes += from_head->plan.changes.size();
    f = std::move(*from_head);
    adopted.push_back(f.name);
  }
  return adopted;
}

bool HeadMadeTheBump(git::Repository& repo, const Replan& replan, const image::Plan& plan) {
  bool made = false;
  for (const image::PlannedFile& f : plan.files) {
    std::optional<std::string> path = InRepository(repo, f);
    if (!path) return false;
    std::optional<std::string> head = At(repo, "HEAD", *path);
    std::optional<std::string> parent = At(repo, "HEAD~1", *path);
    if (!head || !parent) return false;
    if (*parent == *head) {
      if (ChangesOf(replan, f, *head)) return false;  // HEAD lacks the values here
      continue;
    }
    std::optional<image::PlannedFile> bumped = ChangesOf(replan, f, *parent);
    if (!bumped || bumped->plan.new_text != *head) return false;
    made = true;
  }
  return made;
}

}  // namespace capstan::tools
