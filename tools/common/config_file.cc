#include "common/config_file.h"

#include <algorithm>

#include "core/exit_code.h"
#include "core/strings.h"
#include "yaml/parser.h"
#include "yaml/scalar.h"

namespace capstan::tools {

bool IsConfigKey(const ConfigSection& section, std::string_view flag) {
  if (flag == "help" || flag == "version") return false;
  if (std::find(section.per_run.begin(), section.per_run.end(), flag) != section.per_run.end())
    return false;
  return std::any_of(section.flags.begin(), section.flags.end(),
                     [&](const flags::Flag& f) { return f.name == flag; });
}

Result<std::vector<std::string>> ConfigArgs(Env& env, const std::string& root,
                                            const ConfigSection& section,
                                            const flags::Parsed& command_line) {
  std::string file =
      (root.empty() ? env.WorkingDirectory() : root) + "/" + std::string(kConfigFileName);
  auto info = env.fs->Stat(file, true);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) return std::vector<std::string>{};
    return info.status();
  }
  Result<std::string> text = env.fs->ReadFile(file, 1u << 20);
  if (!text.ok()) return text.status();
  CAPSTAN_RETURN_IF_ERROR(CheckConfigText(file, *text));

  // The schema has vouched for every key and the shape of every value from here on.
  std::vector<std::string> args;
  yaml::ParsedFile parsed = yaml::Parse(*text);
  if (parsed.documents.empty() || parsed.documents[0].root() == yaml::kNoNode) return args;
  const yaml::Document& doc = parsed.documents[0];
  yaml::NodeId top = doc.Resolve(doc.root());
  if (doc.node(top).type != yaml::NodeType::kMapping) return args;
  yaml::NodeId body = doc.Get(top, section.name);
  if (body == yaml::kNoNode) return args;
  body = doc.Resolve(body);
  if (doc.node(body).type != yaml::NodeType::kMapping) return args;

  const yaml::Node& map = doc.node(body);
  for (std::size_t i = 0; i + 1 < map.children.size(); i += 2) {
    const std::string& name = doc.node(map.children[i]).value;
    const yaml::Node& value = doc.node(doc.Resolve(map.children[i + 1]));
    auto flag = std::find_if(section.flags.begin(), section.flags.end(),
                             [&](const flags::Flag& f) { return f.name == name; });
    if (flag == section.flags.end() || !IsConfigKey(section, name)) {
      return Status::Internal(file + ": the schema admits " +
                              QuoteForMessage(std::string(section.name) + "." + name) +
                              " but capstan-" + std::string(section.name) + " has no such flag");
    }
    if (command_line.Has(name) && !flag->repeatable) continue;
    // --name=value, so a value that starts with '-' is never read as an option.
    std::string option = "--" + name;
    if (flag->value_name.empty()) {
      if (yaml::ResolveScalar(value).b) args.push_back(option);
    } else if (value.type == yaml::NodeType::kSequence) {
      for (yaml::NodeId item : value.children)
        args.push_back(option + "=" + doc.node(doc.Resolve(item)).value);
    } else {
      args.push_back(option + "=" + value.value);
    }
  }
  return args;
}

CommandLine WithConfig(Env& env, std::string_view tool, const std::string& root,
                       const ConfigSection& section, const CommandLine& command_line,
                       std::span<const std::string> args) {
  CommandLine merged;
  Result<std::vector<std::string>> config = ConfigArgs(env, root, section, command_line.flags);
  if (!config.ok()) {
    PrintError(env, tool, config.status().message());
    merged.exit_code = ExitCodeFor(config.status());
    return merged;
  }
  config->insert(config->end(), args.begin(), args.end());
  Result<flags::Parsed> parsed = flags::Parse(section.flags, *config);
  if (!parsed.ok()) {
    merged.exit_code = UsageError(env, tool, parsed.status().message());
    return merged;
  }
  merged.flags = std::move(*parsed);
  return merged;
}

}  // namespace capstan::tools
