#include "support/action_runner.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/strings.h"
#include "core/subprocess.h"
#include "support/temp_repo.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

json LoadYaml(const std::string& path) {
  std::string text = ReadFile(path);
  yaml::ParsedFile parsed = yaml::Parse(text);
  if (parsed.documents.size() != 1 || !parsed.issues.empty()) {
    FAIL_CHECK(path << ": not one YAML document without issues");
    return json::object();
  }
  yaml::ConvertError error;
  std::optional<json> j = yaml::ToJson(parsed.documents[0], yaml::kNoNode, {}, &error);
  if (!j || !j->is_object()) {
    FAIL_CHECK(path << ": not a mapping");
    return json::object();
  }
  return *j;
}

std::string Trim(const std::string& s) { return std::string(::capstan::Trim(s)); }

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// obj[key] when it is there, else an empty object (a copy the caller holds, so that iterating
// over it is safe).
json Member(const json& obj, const char* key, json fallback = json::object()) {
  return obj.is_object() && obj.contains(key) ? obj[key] : fallback;
}

// A scalar as the runner sees it: strings as they are, booleans and numbers as text.
std::string Text(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

struct Context {
  const ActionRun* run = nullptr;
  std::map<std::string, std::string> inputs;
  std::map<std::string, std::map<std::string, std::string>> step_outputs;
  std::map<std::string, std::string> step_outcomes;
  std::string runner_temp;
  bool failed = false;
};

// The value of a context reference such as inputs.paths or github.event.before.
std::string Lookup(const Context& c, const std::string& ref) {
  auto starts = [&](const char* p) { return ref.starts_with(p); };
  if (starts("inputs.")) {
    auto it = c.inputs.find(ref.substr(7));
    if (it == c.inputs.end()) FAIL_CHECK("expression names an undeclared input: " << ref);
    return it == c.inputs.end() ? "" : it->second;
  }
  if (starts("steps.")) {
    std::string rest = ref.substr(6);
    std::size_t dot = rest.find('.');
    std::string id = rest.substr(0, dot);
    std::string field = dot == std::string::npos ? "" : rest.substr(dot + 1);
    if (field == "outcome") {
      auto it = c.step_outcomes.find(id);
      return it == c.step_outcomes.end() ? "" : it->second;
    }
    if (field.starts_with("outputs.")) {
      auto it = c.step_outputs.find(id);
      if (it == c.step_outputs.end()) return "";
      auto out = it->second.find(field.substr(8));
      return out == it->second.end() ? "" : out->second;
    }
  }
  const ActionRun& r = *c.run;
  if (ref == "github.action_path") return r.action_dir;
  if (ref == "github.workspace") return r.workspace;
  if (ref == "github.event_name") return r.event_name;
  if (ref == "github.sha") return r.sha;
  if (ref == "github.token") return "test-github-token";
  if (ref == "runner.temp") return c.runner_temp;
  if (ref == "runner.os") return "Linux";
  if (ref == "runner.arch") return "X64";
  if (starts("github.event.")) {
    const json* at = &r.event;
    for (const std::string& part : Split(ref.substr(13), '.')) {
      if (!at->is_object() || !at->contains(part)) return "";
      at = &(*at)[part];
    }
    return Text(*at);
  }
  FAIL_CHECK("expression the test runner does not know: " << ref);
  return "";
}

bool Condition(const Context& c, std::string expr) {
  expr = Trim(expr);
  if (expr.starts_with("${{") && expr.ends_with("}}")) expr = Trim(expr.substr(3, expr.size() - 5));
  bool status_function = false;
  bool result = true;
  std::size_t start = 0;
  for (;;) {
    std::size_t amp = expr.find("&&", start);
    std::string term =
        Trim(expr.substr(start, amp == std::string::npos ? std::string::npos : amp - start));
    static const std::regex compare(R"(^([\w.-]+)\s*(==|!=)\s*'([^']*)'$)");
    std::smatch m;
    if (term == "always()") {
      status_function = true;
    } else if (term == "success()") {
      status_function = true;
      result = result && !c.failed;
    } else if (term == "failure()") {
      status_function = true;
      result = result && c.failed;
    } else if (std::regex_match(term, m, compare)) {
      bool equal = Lookup(c, m[1]) == m[3].str();
      result = result && (m[2] == "==" ? equal : !equal);
    } else {
      result = result && !Lookup(c, term).empty();
    }
    if (amp == std::string::npos) break;
    start = amp + 2;
  }
  // Without a status function, if: implies success().
  return status_function ? result : result && !c.failed;
}

// Replaces each ${{ reference }} in s.
std::string Expand(const Context& c, const std::string& s) {
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t open = s.find("${{", pos);
    if (open == std::string::npos) break;
    std::size_t close = s.find("}}", open);
    REQUIRE(close != std::string::npos);
    out += s.substr(pos, open - pos);
    out += Lookup(c, Trim(s.substr(open + 3, close - open - 3)));
    pos = close + 2;
  }
  return out + s.substr(pos);
}

// name=value lines and name<<DELIMITER blocks, as the runner reads $GITHUB_OUTPUT.
std::map<std::string, std::string> ParseOutputFile(const std::string& text) {
  std::map<std::string, std::string> out;
  std::vector<std::string> lines = Split(text, '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.empty()) continue;
    std::size_t heredoc = line.find("<<");
    std::size_t eq = line.find('=');
    if (heredoc != std::string::npos && (eq == std::string::npos || heredoc < eq)) {
      std::string name = line.substr(0, heredoc);
      std::string delimiter = line.substr(heredoc + 2);
      std::string value;
      bool closed = false;
      bool first = true;
      for (++i; i < lines.size(); ++i) {
        if (lines[i] == delimiter) {
          closed = true;
          break;
        }
        value += (first ? "" : "\n") + lines[i];
        first = false;
      }
      if (!closed) FAIL_CHECK("$GITHUB_OUTPUT: " << name << "<<" << delimiter << " not closed");
      out[name] = value;
    } else if (eq != std::string::npos) {
      out[line.substr(0, eq)] = line.substr(eq + 1);
    } else {
      FAIL_CHECK("$GITHUB_OUTPUT: a line that is neither name=value nor name<<DELIMITER: " << line);
    }
  }
  return out;
}

}  // namespace

ActionResult RunAction(const ActionRun& run) {
  ActionResult result;
  json action = LoadYaml(run.action_dir + "/action.yml");
  REQUIRE(action["runs"]["using"] == "composite");

  result.runner = std::make_shared<TempDir>();
  const TempDir& runner = *result.runner;
  Context c;
  c.run = &run;
  c.runner_temp = runner / "temp";
  std::filesystem::create_directories(c.runner_temp);
  json declared_inputs = Member(action, "inputs");
  for (auto& [name, spec] : declared_inputs.items()) {
    auto given = run.inputs.find(name);
    if (given != run.inputs.end()) {
      c.inputs[name] = given->second;
    } else if (spec.value("required", false) && !spec.contains("default")) {
      FAIL_CHECK("required input missing: " << name);
    } else {
      c.inputs[name] = spec.contains("default") ? Text(spec["default"]) : "";
    }
  }
  for (const auto& [name, value] : run.inputs) {
    if (!c.inputs.count(name)) FAIL_CHECK("input not declared by the action: " << name);
  }

  const std::string summary = runner / "step_summary.md";
  const std::string env_file = runner / "env";
  const std::string path_file = runner / "path";
  WriteFile(summary, run.summary_before);
  WriteFile(env_file, "");
  WriteFile(path_file, "");

  int index = 0;
  for (const json& step : action["runs"]["steps"]) {
    const std::string id = step.contains("id") ? Text(step["id"]) : "#" + std::to_string(index);
    ++index;
    if (step.contains("if") && !Condition(c, Text(step["if"]))) {
      result.skipped.push_back(id);
      c.step_outcomes[id] = "skipped";
      continue;
    }
    if (step.contains("uses")) {
      UsesStep u{id, Text(step["uses"]), {}};
      json with = Member(step, "with");
      for (auto& [k, v] : with.items()) u.with[k] = Expand(c, Text(v));
      result.uses.push_back(std::move(u));
      c.step_outcomes[id] = "success";
      continue;
    }
    REQUIRE(step.contains("run"));
    REQUIRE(step.value("shell", "") == "bash");

    std::vector<std::string> environment = {
        "PATH=" + run.path,
        "HOME=" + (runner / "home"),
        "LANG=C.UTF-8",
        "CI=true",
        "GITHUB_ACTIONS=true",
        "RUNNER_OS=Linux",
        "RUNNER_TEMP=" + c.runner_temp,
        "GITHUB_WORKSPACE=" + run.workspace,
        "GITHUB_ACTION_PATH=" + run.action_dir,
        "GITHUB_EVENT_NAME=" + run.event_name,
        "GITHUB_SHA=" + run.sha,
        "GITHUB_STEP_SUMMARY=" + summary,
        "GITHUB_ENV=" + env_file,
        "GITHUB_PATH=" + path_file,
    };
    std::filesystem::create_directories(runner / "home");
    for (const auto& [k, v] : run.env) environment.push_back(k + "=" + v);
    for (const auto& [k, v] : ParseOutputFile(ReadFile(env_file)))
      environment.push_back(k + "=" + v);
    json step_env = Member(step, "env");
    for (auto& [k, v] : step_env.items()) environment.push_back(k + "=" + Expand(c, Text(v)));
    const std::string output_file = runner / ("output-" + std::to_string(index));
    WriteFile(output_file, "");
    environment.push_back("GITHUB_OUTPUT=" + output_file);

    std::string dir = run.workspace;
    if (step.contains("working-directory")) {
      std::string wd = Expand(c, Text(step["working-directory"]));
      dir = wd.starts_with("/") ? wd : run.workspace + "/" + wd;
    }
    const std::string script = runner / ("step-" + std::to_string(index) + ".sh");
    WriteFile(script, Text(step["run"]));
    const std::string err_file = runner / ("stderr-" + std::to_string(index));
    SubprocessOptions options;
    options.argv = {
        "/bin/sh", "-c", "cd \"$1\" && exec bash --noprofile --norc -eo pipefail \"$2\" 2>\"$3\"",
        "sh",      dir,  script,
        err_file};
    options.timeout = std::chrono::minutes(5);
    options.max_output = 64u << 20;
    Result<SubprocessResult> ran = RunSubprocess(options, environment);
    REQUIRE(ran.ok());
    result.stdout_text += ran->output;
    result.stderr_text += ReadFile(err_file);
    c.step_outputs[id] = ParseOutputFile(ReadFile(output_file));
    if (ran->exit_code != 0) {
      c.step_outcomes[id] = "failure";
      if (!c.failed) result.exit_code = ran->exit_code;
      c.failed = true;
    } else {
      c.step_outcomes[id] = "success";
    }
  }
  json declared_outputs = Member(action, "outputs");
  for (auto& [name, spec] : declared_outputs.items())
    result.outputs[name] = Expand(c, Text(spec["value"]));
  result.summary = ReadFile(summary);
  return result;
}

std::vector<std::string> LintAction(const std::string& action_yml_path) {
  std::vector<std::string> problems;
  json action = LoadYaml(action_yml_path);
  if (!action.contains("name") || !action.contains("description"))
    problems.push_back("no name or description");
  json inputs = action.value("inputs", json::object());
  for (auto& [name, spec] : inputs.items())
    if (!spec.contains("description")) problems.push_back("input " + name + ": no description");
  static const std::regex input_ref(R"(inputs\.([\w-]+))");
  auto check_refs = [&](const std::string& where, const std::string& text) {
    for (std::sregex_iterator it(text.begin(), text.end(), input_ref), end; it != end; ++it) {
      if (!inputs.contains((*it)[1].str()))
        problems.push_back(where + ": names undeclared input " + (*it)[1].str());
    }
  };
  json outputs = Member(action, "outputs");
  for (auto& [name, spec] : outputs.items()) {
    if (!spec.contains("description")) problems.push_back("output " + name + ": no description");
    std::string value = Text(spec.value("value", json()));
    if (!value.starts_with("${{"))
      problems.push_back("output " + name + ": value not an expression");
  }
  int index = 0;
  json steps = Member(Member(action, "runs"), "steps", json::array());
  for (const json& step : steps) {
    std::string where = "step " + (step.contains("id") ? Text(step["id"]) : std::to_string(index));
    ++index;
    if (step.contains("run")) {
      if (!step.contains("shell")) problems.push_back(where + ": run step without shell");
      if (Text(step["run"]).find("${{") != std::string::npos)
        problems.push_back(where + ": ${{ }} inside run: (pass it through env:)");
    }
    check_refs(where, step.dump());
  }
  for (auto& [name, spec] : outputs.items()) check_refs("output " + name, spec.dump());
  return problems;
}

std::vector<std::string> WorkflowCommands(const std::string& text, const std::string& command) {
  std::vector<std::string> out;
  for (const std::string& line : Split(text, '\n')) {
    if (line.starts_with("::" + command + " ") || line.starts_with("::" + command + "::"))
      out.push_back(line);
  }
  return out;
}

}  // namespace capstan::testing
