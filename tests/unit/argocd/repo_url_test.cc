#include "argocd/repo_url.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

TEST_CASE("repository URLs normalise to host and path", "[argocd]") {
  struct Case {
    std::string_view url, key;
  };
  auto c = GENERATE(values<Case>({
      {"https://github.com/acme/config.git", "github.com/acme/config"},
      {"  https://GitHub.com/Acme/Config/ ", "github.com/acme/config"},
      {"git@github.com:acme/config.git", "github.com/acme/config"},
      {"ssh://git@ssh.github.com:443/acme/config.git", "github.com/acme/config"},
      {"https://x-access-token:ghs_secret@github.com/acme/config", "github.com/acme/config"},
      {"github.com/acme/config", "github.com/acme/config"},
      {"https://gitlab.com/group/sub/deeper/app.git", "gitlab.com/group/sub/deeper/app"},
      {"ssh://git@altssh.gitlab.com:443/group/sub/app.git", "gitlab.com/group/sub/app"},
      {"https://dev.azure.com/org/proj/_git/repo", "dev.azure.com/org/proj/repo"},
      {"https://org@dev.azure.com/org/My%20Project/_git/repo", "dev.azure.com/org/my project/repo"},
      {"git@ssh.dev.azure.com:v3/org/proj/repo", "dev.azure.com/org/proj/repo"},
      {"org@vs-ssh.visualstudio.com:v3/org/proj/repo", "dev.azure.com/org/proj/repo"},
      {"https://org.visualstudio.com/DefaultCollection/proj/_git/repo",
       "dev.azure.com/org/proj/repo"},
      {"https://org.visualstudio.com/proj/_git/repo", "dev.azure.com/org/proj/repo"},
      {"https://dev.azure.com/org/_git/repo", "dev.azure.com/org/repo/repo"},
      {"https://bitbucket.org/team/app.git", "bitbucket.org/team/app"},
      {"git@bitbucket.org:team/app.git", "bitbucket.org/team/app"},
      {"https://git.example.com:8443/team/app.git?foo=bar#frag", "git.example.com/team/app"},
      {"ssh://git@git.example.com:2222/team/app", "git.example.com/team/app"},
      {"http://10.0.0.5/team/app.git", "10.0.0.5/team/app"},
      {"ssh://git@[::1]:22/team/app", "[::1]/team/app"},
      {"/srv/git/App.git", "file:/srv/git/App.git"},
      {"file:///srv/git/App", "file:/srv/git/App"},
      {"", ""},
      {"   ", ""},
  }));
  CAPTURE(c.url);
  CHECK(NormalizeRepoUrl(c.url) == c.key);
}

TEST_CASE("the same repository is recognised in every form Argo CD accepts", "[argocd]") {
  struct Case {
    std::string_view a, b;
    bool same;
  };
  auto c = GENERATE(values<Case>({
      // GitHub: https, scp, ssh over 443, case, .git, trailing slash, credentials
      {"https://github.com/acme/config", "git@github.com:acme/config.git", true},
      {"https://github.com/acme/config", "ssh://git@ssh.github.com:443/acme/config", true},
      {"https://github.com/Acme/Config.git/", "http://github.com/acme/config", true},
      {"https://github.com/acme/config", "https://github.com/acme/config-prod", false},
      {"https://github.com/acme/config", "https://github.com/other/config", false},
      {"https://github.com/acme/config", "https://gitlab.com/acme/config", false},
      // GitLab subgroups
      {"https://gitlab.com/group/sub/app.git", "git@gitlab.com:group/sub/app.git", true},
      {"https://gitlab.com/group/sub/app", "https://gitlab.com/group/app", false},
      // Azure DevOps, all four forms
      {"https://dev.azure.com/org/proj/_git/repo", "git@ssh.dev.azure.com:v3/org/proj/repo", true},
      {"https://dev.azure.com/org/proj/_git/repo", "org@vs-ssh.visualstudio.com:v3/org/proj/repo",
       true},
      {"https://org.visualstudio.com/DefaultCollection/proj/_git/repo",
       "https://user@dev.azure.com/org/proj/_git/repo", true},
      {"https://dev.azure.com/org/proj/_git/repo", "https://dev.azure.com/org/proj/_git/other",
       false},
      // Bitbucket
      {"https://user@bitbucket.org/team/app.git", "git@bitbucket.org:team/app.git", true},
      // self-hosted, ports differ by protocol
      {"https://git.example.com:8443/team/app.git", "ssh://git@git.example.com:2222/team/app",
       true},
      {"https://git.example.com/team/app", "https://git.example.org/team/app", false},
      // blank never matches, not even itself
      {"", "", false},
      {"https://github.com/acme/config", "", false},
  }));
  CAPTURE(c.a, c.b);
  CHECK(SameRepository(c.a, c.b) == c.same);
  CHECK(SameRepository(c.b, c.a) == c.same);
}

}  // namespace
}  // namespace capstan::argocd
