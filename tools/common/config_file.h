// .capstan.yaml: the optional project config at the repository root. Each tool has a section
// named after it whose keys are the tool's own long flags, so
//   bump:
//     author: CI <ci@acme.dev>
//     helm-key: [image.tag]
//     require-match: true
// means `--author 'CI <ci@acme.dev>' --helm-key image.tag --require-match`. Flags given on the
// command line win over the file; repeatable flags add up.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/flags.h"
#include "core/result.h"

namespace capstan::tools {

// The top-level keys .capstan.yaml may have: one section per tool, and `images` (capstan-watch's
// policies) and `registries` (its registry settings).
inline constexpr std::string_view kConfigSections[] = {"validate", "scan",   "bump",      "watch",
                                                       "sync",     "images", "registries"};

// Reads `<root>/.capstan.yaml` and turns `section` into command-line arguments ("--author",
// "CI <ci@acme.dev>", ...). Only flags of `table` whose name is not in `per_run` may appear: a
// scalar value for a flag taking a value, a list of scalars for a repeatable one, true/false for
// a switch (false leaves it out). Keys whose flag is in `command_line` are left out unless the
// flag is repeatable. A missing file or section gives no arguments.
// Fails with kInvalidArgument "<root>/.capstan.yaml:<line>:<col>: <why>" for YAML errors,
// unknown top-level keys or section keys ("unknown key 'bump.autor'"), and values of the wrong
// shape; kIoError when the file exists but cannot be read.
Result<std::vector<std::string>> ConfigArgs(Env& env, const std::string& root,
                                            std::string_view section,
                                            std::span<const flags::Flag> table,
                                            std::span<const std::string_view> per_run,
                                            const flags::Parsed& command_line);

}  // namespace capstan::tools
