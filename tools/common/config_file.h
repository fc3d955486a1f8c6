// .capstan.yaml: the optional project config at the repository root. Each tool has a section
// named after it whose keys are the tool's own long flags, so
//   bump:
//     author: CI <ci@acme.dev>
//     helm-key: [image.tag]
//     require-match: true
// means `--author 'CI <ci@acme.dev>' --helm-key image.tag --require-match`. Flags given on the
// command line win over the file; repeatable flags add up. `images` and `registries` hold
// capstan-watch's policies and registry settings (lib/policy/sources.h reads them).
//
// schemas/capstan-config.schema.json describes the whole file, for editors and for capstan: it
// is embedded at build time and every reading checks the file against it first, so it alone
// decides which keys exist and what shape their values have.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli.h"
#include "core/env.h"
#include "core/flags.h"
#include "core/result.h"

namespace capstan::tools {

// The file's name, at the repository root.
inline constexpr std::string_view kConfigFileName = ".capstan.yaml";

// The schema's name among the embedded files (core/embedded.h).
inline constexpr std::string_view kConfigSchemaName = "capstan-config.schema.json";

// A tool's section of the file. Its keys are the long flags of `flags` except --help,
// --version and those named in `per_run`: flags that say what one run does (--tag, --dry-run),
// or that must not be committed (a token), are command-line only.
struct ConfigSection {
  std::string_view name;  // "bump": the section's key, the tool's name without "capstan-"
  std::span<const flags::Flag> flags;
  std::span<const std::string_view> per_run;
};

// Whether `flag` (a long name) may be a key of `section`.
bool IsConfigKey(const ConfigSection& section, std::string_view flag);

// Checks a .capstan.yaml text against the embedded schema. `file` names it in the message.
// Fails with kInvalidArgument "<file>:<line>:<col>: <why>" for the first problem in the file
// (the earliest position): a YAML error, or a schema violation pointing at the offending key
// ("unknown key 'bump.autor'", "missing key 'images[1].image'") or value ("'bump.require-match'
// must be true or false", "'images' items must be mappings", "'validate.fail-on' must be
// error, warning or note, not 'x'"). Only the first YAML document is read.
Status CheckConfigText(std::string_view file, std::string_view text);

// Reads `<root>/.capstan.yaml` (root "" is env's working directory), checks it whole
// (CheckConfigText) and turns `section` into command-line arguments ("--author", "CI
// <ci@acme.dev>", ...): a scalar value for a flag taking a value (as written: `1.10` stays "1.10"),
// each item of a list for a repeatable one, true/false for a switch (false leaves it out). Keys
// whose flag is in `command_line` are left out unless the flag is repeatable. A missing file or
// section gives no arguments. Fails with CheckConfigText's kInvalidArgument (the file named
// "<root>/.capstan.yaml"); kIoError when the file exists but cannot be read; kInternal when the
// schema admits a key the section's table does not have (a test keeps the two equal).
Result<std::vector<std::string>> ConfigArgs(Env& env, const std::string& root,
                                            const ConfigSection& section,
                                            const flags::Parsed& command_line);

// A tool's command line with its section of `<root>/.capstan.yaml` under it: `args` (what
// command_line was parsed from) parsed again after ConfigArgs's arguments, so the command line
// wins. When the file is bad, prints "<tool>: error: <root>/.capstan.yaml:<line>:<col>: <why>"
// and sets exit_code (2; 3 when the file cannot be read).
CommandLine WithConfig(Env& env, std::string_view tool, const std::string& root,
                       const ConfigSection& section, const CommandLine& command_line,
                       std::span<const std::string> args);

}  // namespace capstan::tools
