#include "common/config_file.h"

#include <algorithm>

#include "core/strings.h"
#include "yaml/parser.h"

namespace capstan::tools {
namespace {

Status At(const std::string& file, const yaml::Node& node, const std::string& why) {
  return Status::InvalidArgument(file + ":" + std::to_string(node.pos.line) + ":" +
                                 std::to_string(node.pos.column) + ": " + why);
}

}  // namespace

Result<std::vector<std::string>> ConfigArgs(Env& env, const std::string& root,
                                            std::string_view section,
                                            std::span<const flags::Flag> table,
                                            std::span<const std::string_view> per_run,
                                            const flags::Parsed& command_line) {
  std::string file = (root.empty() ? std::string(".") : root) + "/.capstan.yaml";
  auto info = env.fs->Stat(file, true);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) return std::vector<std::string>{};
    return info.status();
  }
  Result<std::string> text = env.fs->ReadFile(file, 1u << 20);
  if (!text.ok()) return text.status();
  yaml::ParsedFile parsed = yaml::Parse(*text);
  if (!parsed.issues.empty()) {
    const yaml::Issue& issue = parsed.issues.front();
    return Status::InvalidArgument(file + ":" + std::to_string(issue.pos.line) + ":" +
                                   std::to_string(issue.pos.column) + ": " + issue.message);
  }
  std::vector<std::string> args;
  if (parsed.documents.empty() || parsed.documents[0].root() == yaml::kNoNode) return args;
  const yaml::Document& doc = parsed.documents[0];
  const yaml::Node& top = doc.node(doc.Resolve(doc.root()));
  if (top.type != yaml::NodeType::kMapping)
    return At(file, top, "expected a mapping of tool sections");

  yaml::NodeId body = yaml::kNoNode;
  for (std::size_t i = 0; i + 1 < top.children.size(); i += 2) {
    const yaml::Node& key = doc.node(top.children[i]);
    if (std::find(std::begin(kConfigSections), std::end(kConfigSections), key.value) ==
        std::end(kConfigSections)) {
      return At(file, key, "unknown key " + QuoteForMessage(key.value));
    }
    if (key.value == section) body = doc.Resolve(top.children[i + 1]);
  }
  if (body == yaml::kNoNode || doc.node(body).type == yaml::NodeType::kNull) return args;
  const yaml::Node& map = doc.node(body);
  if (map.type != yaml::NodeType::kMapping)
    return At(file, map, QuoteForMessage(section) + " must be a mapping");

  for (std::size_t i = 0; i + 1 < map.children.size(); i += 2) {
    const yaml::Node& key = doc.node(map.children[i]);
    const yaml::Node& value = doc.node(doc.Resolve(map.children[i + 1]));
    std::string name = std::string(section) + "." + key.value;
    auto flag = std::find_if(table.begin(), table.end(),
                             [&](const flags::Flag& f) { return f.name == key.value; });
    bool excluded = std::find(per_run.begin(), per_run.end(), key.value) != per_run.end();
    if (flag == table.end() || excluded || key.value == "help" || key.value == "version") {
      return At(file, key, "unknown key " + QuoteForMessage(name));
    }
    std::string option = "--" + key.value;
    if (command_line.Has(key.value) && !flag->repeatable) continue;
    if (flag->value_name.empty()) {
      if (value.type != yaml::NodeType::kScalar ||
          (value.value != "true" && value.value != "false")) {
        return At(file, value, QuoteForMessage(name) + " must be true or false");
      }
      if (value.value == "true") args.push_back(option);
    } else if (value.type == yaml::NodeType::kScalar) {
      args.push_back(option);
      args.push_back(value.value);
    } else if (value.type == yaml::NodeType::kSequence && flag->repeatable) {
      for (yaml::NodeId item : value.children) {
        const yaml::Node& v = doc.node(doc.Resolve(item));
        if (v.type != yaml::NodeType::kScalar)
          return At(file, v, QuoteForMessage(name) + " items must be strings");
        args.push_back(option);
        args.push_back(v.value);
      }
    } else {
      return At(file, value,
                QuoteForMessage(name) + " must be " +
                    (flag->repeatable ? "a string or a list of strings" : "a string"));
    }
  }
  return args;
}

}  // namespace capstan::tools
