#include "watch/registry_auth.h"

#include "core/strings.h"
#include "core/subprocess.h"
#include "registry/docker_config.h"

namespace capstan::tools::watch {
namespace {

// "user:password" into a credential; the text itself never reaches a message.
Result<registry::RegistryCredential> UserPassword(const std::string& text, const std::string& host,
                                                  const std::string& source) {
  std::string t(Trim(text));
  std::size_t colon = t.find(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("cannot read registry credentials for " + host + " from " +
                                   source + ": expected user:password");
  }
  registry::RegistryCredential c;
  c.username = t.substr(0, colon);
  c.password = t.substr(colon + 1);
  return c;
}

Result<std::optional<registry::RegistryCredential>> FromSetting(Env& env, const std::string& host,
                                                                const std::string& spec) {
  using Found = std::optional<registry::RegistryCredential>;
  if (spec.rfind("env:", 0) == 0) {
    std::string name = spec.substr(4);
    std::optional<std::string> value = env.getenv ? env.getenv(name) : std::nullopt;
    if (!value || value->empty()) {
      return Status::NotFound("cannot read registry credentials for " + host + ": $" + name +
                              " is not set");
    }
    Result<registry::RegistryCredential> c = UserPassword(*value, host, "$" + name);
    if (!c.ok()) return c.status();
    return Found(*c);
  }
  if (spec.rfind("file:", 0) == 0) {
    std::string path = spec.substr(5);
    Result<std::string> text = env.fs->ReadFile(path, 64 * 1024);
    if (!text.ok()) {
      return Status(text.status().code(), "cannot read registry credentials for " + host +
                                              " from " + path + ": " + text.status().message());
    }
    Result<registry::RegistryCredential> c = UserPassword(*text, host, path);
    if (!c.ok()) return c.status();
    return Found(*c);
  }
  if (spec.rfind("ext:", 0) == 0) {
    SubprocessOptions options;
    options.argv = {spec.substr(4)};
    options.search_path = options.argv[0].find('/') == std::string::npos;
    options.timeout = std::chrono::seconds(30);
    options.max_output = 64 * 1024;
    if (!env.run_subprocess) return Status::Internal("no subprocess runner in the environment");
    Result<SubprocessResult> run = env.run_subprocess(options);
    if (!run.ok()) return run.status();
    if (run->exit_code != 0) {
      return Status::IoError("cannot read registry credentials for " + host + ": " +
                             options.argv[0] +
                             (run->signal != 0 ? " died of signal " + std::to_string(run->signal)
                                               : " exited with " + std::to_string(run->exit_code)));
    }
    Result<registry::RegistryCredential> c = UserPassword(run->output, host, options.argv[0]);
    if (!c.ok()) return c.status();
    return Found(*c);
  }
  return Status::InvalidArgument("cannot read registry credentials for " + host +
                                 ": credentials must be env:NAME, file:PATH or ext:PATH");
}

}  // namespace

std::string DefaultDockerConfig(Env& env) {
  if (!env.getenv) return "";
  if (auto dir = env.getenv("DOCKER_CONFIG"); dir && !dir->empty()) return *dir + "/config.json";
  if (auto home = env.getenv("HOME"); home && !home->empty()) return *home + "/.docker/config.json";
  return "";
}

registry::CredentialLookup MakeCredentialLookup(Env& env, AuthSettings settings) {
  return [&env, settings = std::move(settings)](
             const std::string& host) -> Result<std::optional<registry::RegistryCredential>> {
    for (const policy::RegistrySettings& r : settings.registries) {
      if (r.host == host && !r.credentials.empty()) return FromSetting(env, host, r.credentials);
    }
    if (settings.docker_config.empty()) return std::optional<registry::RegistryCredential>();
    Result<std::string> text = env.fs->ReadFile(settings.docker_config, 4 << 20);
    if (!text.ok()) {
      if (text.status().code() == StatusCode::kNotFound)
        return std::optional<registry::RegistryCredential>();
      return text.status();
    }
    Result<registry::DockerConfig> config = registry::ParseDockerConfig(*text);
    if (!config.ok()) {
      return Status(config.status().code(),
                    settings.docker_config + ": " + config.status().message());
    }
    std::vector<std::string> search;
    if (env.getenv) {
      if (auto path = env.getenv("PATH")) search = SplitSearchPath(*path);
    }
    return registry::LookUp(*config, host,
                            registry::ProcessHelperRunner(env.run_subprocess, search));
  };
}

}  // namespace capstan::tools::watch
