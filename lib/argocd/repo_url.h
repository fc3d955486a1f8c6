// Whether two repository URLs name the same git repository, as Argo CD decides which
// Applications a push to a repository reaches (util/webhook GetWebURLRegex: scheme http, https
// or ssh optional, user optional, an `ssh.`/`altssh.` host prefix optional, port optional, `:` or
// `/` after the host, `.git` optional, all case-insensitive), plus the Azure DevOps forms, which
// Argo CD only matches one way.
//
// Equivalent, for example (one repository per group):
//   https://github.com/Acme/Config.git, git@github.com:acme/config,
//     ssh://git@ssh.github.com:443/acme/config/
//   https://gitlab.com/g/sub/app, git@gitlab.com:g/sub/app.git,
//     ssh://git@altssh.gitlab.com:443/g/sub/app
//   https://dev.azure.com/org/proj/_git/repo, https://org@dev.azure.com/org/proj/_git/repo,
//     git@ssh.dev.azure.com:v3/org/proj/repo, org@vs-ssh.visualstudio.com:v3/org/proj/repo,
//     https://org.visualstudio.com/[DefaultCollection/]proj/_git/repo
//   https://git.example.com:8443/team/app.git, ssh://git@git.example.com:2222/team/app
#pragma once

#include <string>
#include <string_view>

namespace capstan::argocd {

// The comparison key of a repository URL: "<host>/<path>", lowercased, without scheme, user
// info, port, query, fragment, an `ssh.`/`altssh.` host prefix, a trailing `.git` or slashes,
// percent-escapes decoded; Azure DevOps URLs as "dev.azure.com/<org>/<project>/<repo>".
// Accepts `scheme://[user@]host[:port]/path`, the scp form `[user@]host:path`, and
// `host/path` without a scheme. A local path ("/srv/git/app.git", "file:///srv/git/app") keeps
// its case: "file:/srv/git/app". "" for blank input. Never fails; the key is for comparing,
// not for connecting or showing (show RedactUrl of the URL itself).
std::string NormalizeRepoUrl(std::string_view url);

// Whether a and b name the same repository: their keys are equal and not "".
bool SameRepository(std::string_view a, std::string_view b);

}  // namespace capstan::argocd
