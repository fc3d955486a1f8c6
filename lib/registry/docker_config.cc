#include "registry/docker_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/base64.h"
#include "core/strings.h"
#include "core/subprocess.h"

namespace capstan::registry {
namespace {

constexpr std::string_view kDockerHub = "docker.io";
constexpr std::string_view kDockerHubServerUrl = "https://index.docker.io/v1/";
constexpr std::size_t kMaxHelperOutput = 1 << 20;

Status ConfigError(std::string why) {
  return Status::InvalidArgument("invalid docker config: " + why);
}

// Reads an optional string member; a present non-string is an error naming the field only.
Result<std::string> StringField(const nlohmann::json& obj, const char* name,
                                const std::string& where) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string())
    return ConfigError(QuoteForMessage(name) + " of " + where + " is not a string");
  return it->get<std::string>();
}

Result<RegistryCredential> ParseAuthEntry(const nlohmann::json& entry, const std::string& host) {
  const std::string where = "registry " + QuoteForMessage(host);
  if (!entry.is_object()) return ConfigError("auths entry for " + where + " is not an object");
  Result<std::string> auth = StringField(entry, "auth", where);
  Result<std::string> username = StringField(entry, "username", where);
  Result<std::string> password = StringField(entry, "password", where);
  Result<std::string> token = StringField(entry, "identitytoken", where);
  for (const auto* r : {&auth, &username, &password, &token}) CAPSTAN_RETURN_IF_ERROR(r->status());

  RegistryCredential cred{*username, *password, *token};
  if (!auth->empty()) {
    std::optional<std::string> decoded = DecodeBase64(*auth);
    std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      return ConfigError("'auth' of " + where + " is not base64 of \"user:password\"");
    }
    cred.username = decoded->substr(0, colon);
    cred.password = decoded->substr(colon + 1);
  }
  return cred;
}

Result<std::optional<RegistryCredential>> AskHelper(const HelperRunner& run,
                                                    const std::string& helper,
                                                    const std::string& host) {
  std::string server_url = host == kDockerHub ? std::string(kDockerHubServerUrl) : host;
  Result<std::string> out = run(helper, server_url);
  if (!out.ok()) return out.status();
  if (out->find_first_not_of(" \t\r\n") == std::string::npos)
    return std::optional<RegistryCredential>();

  const std::string bad =
      "credential helper docker-credential-" + helper + " returned invalid output";
  nlohmann::json reply = nlohmann::json::parse(*out, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object()) return Status::IoError(bad);
  Result<std::string> username = StringField(reply, "Username", "the reply");
  Result<std::string> secret = StringField(reply, "Secret", "the reply");
  if (!username.ok() || !secret.ok()) return Status::IoError(bad);
  if (username->empty() && secret->empty()) return std::optional<RegistryCredential>();

  RegistryCredential cred;
  if (*username == "<token>") {
    cred.identity_token = std::move(*secret);
  } else {
    cred.username = std::move(*username);
    cred.password = std::move(*secret);
  }
  return std::optional<RegistryCredential>(std::move(cred));
}

}  // namespace

Result<DockerConfig> ParseDockerConfig(std::string_view json) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the bytes around the error, which may be part of a secret.
    return ConfigError("not JSON (syntax error at byte " + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::exception&) {
    return ConfigError("not JSON the Docker CLI reads (a number out of range)");
  }
  if (!doc.is_object()) return ConfigError("top level is not an object");

  DockerConfig config;
  if (auto auths = doc.find("auths"); auths != doc.end() && !auths->is_null()) {
    if (!auths->is_object()) return ConfigError("'auths' is not an object");
    for (auto it = auths->begin(); it != auths->end(); ++it) {
      std::string host = NormalizeRegistryHost(it.key());
      Result<RegistryCredential> cred = ParseAuthEntry(it.value(), host);
      if (!cred.ok()) return cred.status();
      if (cred->username.empty() && cred->password.empty() && cred->identity_token.empty())
        continue;
      config.auths.emplace(std::move(host), std::move(*cred));
    }
  }
  if (auto helpers = doc.find("credHelpers"); helpers != doc.end() && !helpers->is_null()) {
    if (!helpers->is_object()) return ConfigError("'credHelpers' is not an object");
    for (auto it = helpers->begin(); it != helpers->end(); ++it) {
      std::string host = NormalizeRegistryHost(it.key());
      if (!it->is_string())
        return ConfigError("credHelpers entry for registry " + QuoteForMessage(host) +
                           " is not a string");
      config.cred_helpers.emplace(std::move(host), it->get<std::string>());
    }
  }
  Result<std::string> store = StringField(doc, "credsStore", "the config");
  if (!store.ok()) return store.status();
  config.creds_store = std::move(*store);
  return config;
}

Result<std::optional<RegistryCredential>> LookUp(const DockerConfig& config,
                                                 std::string_view registry_host,
                                                 const HelperRunner& run) {
  const std::string host = NormalizeRegistryHost(registry_host);
  if (auto helper = config.cred_helpers.find(host); helper != config.cred_helpers.end()) {
    return AskHelper(run, helper->second, host);
  }
  if (!config.creds_store.empty()) {
    Result<std::optional<RegistryCredential>> stored = AskHelper(run, config.creds_store, host);
    if (!stored.ok() || stored->has_value()) return stored;
  }
  if (auto auth = config.auths.find(host); auth != config.auths.end()) {
    return std::optional<RegistryCredential>(auth->second);
  }
  return std::optional<RegistryCredential>();
}

namespace {

bool ValidHelperName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> FindHelper(const std::vector<std::string>& search_path,
                                      const std::string& program) {
  for (const std::string& dir : search_path) {
    if (dir.empty()) continue;
    std::string path = dir + "/" + program;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0)
      return path;
  }
  return std::nullopt;
}

Result<std::string> RunHelper(const SubprocessRunner& runner, const std::string& path,
                              const std::string& program, const std::string& input,
                              std::chrono::milliseconds timeout) {
  SubprocessOptions options;
  options.argv = {path, "get"};
  options.input = input;
  options.timeout = timeout;
  options.max_output = kMaxHelperOutput;
  Result<SubprocessResult> run = runner(options);
  if (!run.ok()) {
    std::string why = run.status().message();
    if (why.rfind(path, 0) == 0) why.replace(0, path.size(), "credential helper " + program);
    return Status(run.status().code(), why);
  }
  if (run->exit_code == 0) return std::move(run->output);
  // docker-credential-helpers report a missing entry on stdout with exit status 1.
  if (run->exit_code == 1 && run->output.find("credentials not found") != std::string::npos) {
    return std::string();
  }
  std::string how = run->exit_code >= 0 ? "exit " + std::to_string(run->exit_code)
                                        : "signal " + std::to_string(run->signal);
  return Status::IoError("credential helper " + program + " failed (" + how + ")");
}

}  // namespace

HelperRunner ProcessHelperRunner(SubprocessRunner runner, std::vector<std::string> search_path,
                                 std::chrono::milliseconds timeout) {
  return [runner = std::move(runner), search_path = std::move(search_path), timeout](
             const std::string& helper_name, const std::string& server_url) -> Result<std::string> {
    if (!ValidHelperName(helper_name)) {
      return Status::InvalidArgument("invalid credential helper name " +
                                     QuoteForMessage(helper_name));
    }
    const std::string program = "docker-credential-" + helper_name;
    std::optional<std::string> path = FindHelper(search_path, program);
    if (!path) return Status::NotFound("credential helper " + program + " not found in PATH");
    if (!runner) return Status::Internal("no subprocess runner for credential helper " + program);
    return RunHelper(runner, *path, program, server_url, timeout);
  };
}

}  // namespace capstan::registry
