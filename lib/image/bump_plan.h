// capstan-bump's plan over a set of files: which files to read, the edits PlanBump finds in
// each, and the checks every edit must pass before anything is written (no downgrade, no file
// with uncommitted changes). Used once on the working tree and again, from scratch, on the
// remote tip whenever a push is rejected because the remote moved.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/targets.h"

namespace capstan::image {

struct FileText {
  std::string name;  // as shown to the user
  std::string text;
  std::string path;  // where to write it: real, symlink-free ("" when not a working-tree file)
};

struct PlannedFile {
  std::string name;
  std::string path;  // FileText::path
  std::string old_text;
  image::FilePlan plan;
};

// A problem that stops the bump: "<file>:<line>:<col>: <message>" when it has a position.
struct Stop {
  std::string name;
  int line = 0;
  int column = 0;
  std::string message;
};

struct Plan {
  std::vector<PlannedFile> files;  // files with changes or up-to-date targets, in input order
  std::vector<Stop> stops;         // refusals and checks that failed
  std::vector<Stop> notes;         // files skipped because they are not valid YAML
  std::size_t changes = 0;
  std::size_t up_to_date = 0;
};

// Whether `text` could hold a target of `request`: a cheap prefilter before parsing, true when
// it mentions the image's repository path ("acme/api"; "nginx" for Docker Hub's official
// images), a Flux setter marker or a requested Helm key's
// last segment, or when `name` is an `.argocd-source-*` file.
bool MayHoldTarget(const std::string& name, const std::string& text,
                   const image::BumpRequest& request);

// Plans every file. A file that is not valid YAML is skipped with a note when it mentions the
// image (a Helm template, typically) and silently otherwise. Unless allow_downgrade, a change
// from a semver tag to a lower one is a stop; tags that are not versions ("latest", a commit
// hash) are never compared.
Plan PlanFiles(const std::vector<FileText>& files, const image::BumpRequest& request,
               bool allow_downgrade);

// "<name>:<line>:<col>: <message>", or "<name>: <message>" without a line.
std::string FormatStop(const Stop& stop);

}  // namespace capstan::image
