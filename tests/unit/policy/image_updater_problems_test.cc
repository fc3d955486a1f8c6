// ImageUpdaterProblems: the Image Updater annotations as Argo CD Image Updater itself reads
// them (capstan-validate's rule image-updater-annotation), and the split of the parser's
// problems into invalid and unsupported.
#include <catch2/catch.hpp>

#include "policy/image_updater_values.h"
#include "policy/sources.h"

namespace capstan::policy {
namespace {

// An Application named guestbook with the given annotation lines (without the prefix).
std::string App(std::string_view annotations) {
  std::string text =
      "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: guestbook\n"
      "  namespace: argocd\n  annotations:\n";
  std::size_t start = 0;
  while (start < annotations.size()) {
    std::size_t end = annotations.find('\n', start);
    if (end == std::string_view::npos) end = annotations.size();
    text += "    argocd-image-updater.argoproj.io/" +
            std::string(annotations.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  return text +
         "spec:\n  source:\n    repoURL: https://github.com/acme/gitops\n    path: apps/web\n";
}

std::vector<std::string> Messages(std::string_view annotations) {
  std::vector<std::string> out;
  for (const SourceProblem& p : ImageUpdaterProblems("apps/web.yaml", App(annotations)))
    out.push_back(p.message);
  return out;
}

TEST_CASE("settings Image Updater accepts but capstan-watch does not follow are no problem") {
  CHECK(Messages("image-list: api=ghcr.io/acme/api:~1.4, web=nginx\n"
                 "api.update-strategy: SemVer\napi.allow-tags: Regexp:^v[0-9.]+$\n"
                 "api.pull-secret: pullsecret:argocd/regcred\napi.force-update: \"true\"\n"
                 "api.helm.image-spec: image.full\nweb.update-strategy: latest\n"
                 "web.allow-tags: ANY\nwrite-back-method: argocd\ngit-branch: main:updates\n"
                 "git-repository: git@github.com:acme/gitops.git\n"
                 "write-back-target: apps/web/.overrides.yaml\nupdate-strategy: name\n"
                 "ignore-tags: latest, dev-*")
            .empty());
  CHECK(Messages("image-list: =nginx, x=nginx:\nwrite-back-method: git:secret:argocd/git-creds")
            .empty());
}

TEST_CASE("problems the parser shares with capstan-watch are reported at the annotation") {
  std::vector<SourceProblem> p = ImageUpdaterProblems(
      "apps/web.yaml", App("image-list: api=ghcr.io/acme/api, api=ghcr.io/acme/other, "
                           "bad=Bad/Name\nweb.update-strategy: semver"));
  REQUIRE(p.size() == 3);
  CHECK(p[0].message == "alias 'api' is listed twice in image-list");
  CHECK(p[0].where.line == 7);
  CHECK(p[0].where.column == 50);
  CHECK(p[0].annotation == "argocd-image-updater.argoproj.io/image-list");
  CHECK(p[0].kind == ProblemKind::kInvalid);
  CHECK(p[0].object.kind == "Application");
  CHECK(p[0].object.namespace_ == "argocd");
  CHECK(p[0].object.name == "guestbook");
  CHECK(p[1].message ==
        "annotation 'argocd-image-updater.argoproj.io/web.update-strategy' names alias 'web', "
        "which image-list does not list");
  CHECK(p[1].where.line == 8);
  CHECK(p[1].where.column == 5);
  CHECK(p[1].annotation == "argocd-image-updater.argoproj.io/web.update-strategy");
  CHECK(p[2].message.starts_with("invalid image reference 'Bad/Name'"));
}

TEST_CASE("unknown keys get the Image Updater key they most likely meant") {
  CHECK(Messages("image-list: api=ghcr.io/acme/api\napi.update-stratgy: semver\n"
                 "write-back-methd: git\nwhatever: x") ==
        std::vector<std::string>{
            "unknown Image Updater annotation "
            "'argocd-image-updater.argoproj.io/api.update-stratgy' (did you mean "
            "'argocd-image-updater.argoproj.io/api.update-strategy'?)",
            "unknown Image Updater annotation 'argocd-image-updater.argoproj.io/write-back-methd' "
            "(did you mean 'argocd-image-updater.argoproj.io/write-back-method'?)",
            "unknown Image Updater annotation 'argocd-image-updater.argoproj.io/whatever'"});
}

TEST_CASE("values are read as Image Updater reads them") {
  CHECK(Messages("image-list: a=ghcr.io/acme/a, b=ghcr.io/acme/b, c=ghcr.io/acme/c:~>>1, "
                 "d=ghcr.io/acme/d\na.update-strategy: numerical\nb.allow-tags: ^v\n"
                 "c.ignore-tags: \"[abc\"\nd.update-strategy: digest\nd.platforms: linux\n"
                 "b.force-update: yes\nwrite-back-method: git:token") ==
        std::vector<std::string>{
            "write-back-method 'git:token' names unknown credentials 'token': expected "
            "git:repocreds or git:secret:<namespace>/<secret>",
            "unknown update-strategy 'numerical': expected semver, newest-build, digest or "
            "alphabetical (Image Updater would use semver)",
            "allow-tags '^v' must be 'any' or regexp:<expression>: Image Updater would allow no "
            "tag",
            "force-update 'yes' is not a boolean: expected true or false",
            "invalid glob '[abc': unterminated character class",
            "invalid platform 'linux': expected os/arch[/variant]",
        });
}

TEST_CASE("a version constraint is judged under the strategy that reads it") {
  std::vector<std::string> m = Messages(
      "image-list: a=ghcr.io/acme/a:~>>1, b=ghcr.io/acme/b:~>>1, c=ghcr.io/acme/c\n"
      "b.update-strategy: newest-build\nc.update-strategy: digest");
  REQUIRE(m.size() == 2);
  CHECK(m[0].starts_with("invalid semver constraint '~>>1'"));
  CHECK(m[1] == "digest strategy needs the tag to follow");
  CHECK(Messages("image-list: web=nginx:latest") ==
        std::vector<std::string>{"invalid semver constraint 'latest': expected an operator and a "
                                 "version at 'latest' (to follow the tag 'latest', set "
                                 "update-strategy: digest)"});
  // The Application-wide strategy applies to every image without its own.
  CHECK(Messages("image-list: a=ghcr.io/acme/a:main\nupdate-strategy: digest").empty());
}

TEST_CASE("an entry with '=' but no alias is split where Image Updater splits it") {
  CHECK(Messages("image-list: nginx:>=1.2") ==
        std::vector<std::string>{
            "image-list entry 'nginx:>=1.2' holds '=' but no alias: Image Updater reads the text "
            "before the first '=' as the alias; write <alias>=nginx:>=1.2"});
  CHECK(Messages("image-list: web=nginx:>=1.2").empty());
}

TEST_CASE("annotations without an image-list, or an empty one, are problems") {
  CHECK(Messages("api.update-strategy: semver") ==
        std::vector<std::string>{"Image Updater annotations without an image-list"});
  CHECK(Messages("image-list: \" , \"") == std::vector<std::string>{"image-list names no image"});
}

TEST_CASE("values a template or substitution fills in are not judged") {
  CHECK(Messages("image-list: app=harbor.${domain}/vote/app:{{ .Values.range }}\n"
                 "app.update-strategy: '{{ .Values.strategy }}'")
            .empty());
}

TEST_CASE("capstan-watch's problems say whether Image Updater would accept the setting") {
  std::vector<ImagePolicy> policies;
  std::vector<SourceProblem> problems;
  CollectArgoCdPolicies("apps/web.yaml",
                        App("image-list: api=ghcr.io/acme/api, web=nginx\n"
                            "api.pull-secret: pullsecret:argocd/regcred\n"
                            "web.update-strategy: Semver\nweb.allow-tags: bogus"),
                        policies, problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].kind == ProblemKind::kUnsupported);  // pull-secret
  CHECK(problems[1].message.starts_with("unknown update strategy 'Semver'"));
  CHECK(problems[1].kind == ProblemKind::kUnsupported);  // Image Updater ignores case
  problems.clear();
  CollectArgoCdPolicies("apps/web.yaml", App("image-list: web=nginx\nweb.update-strategy: newest"),
                        policies, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].kind == ProblemKind::kInvalid);
}

TEST_CASE("pull-secret and write-back-method take Image Updater's forms") {
  using internal::PullSecretProblem;
  using internal::WriteBackMethodProblem;
  for (std::string_view ok :
       {"pullsecret:argocd/regcred", "secret:argocd/creds#token", "env:REGISTRY_CREDS",
        "ext:/scripts/creds.sh", "ghcr.io=pullsecret:ns/name", "PullSecret:ns/name"})
    CHECK_FALSE(PullSecretProblem(ok));
  CHECK(PullSecretProblem("pullsecret:regcred").value_or("") ==
        "pull-secret 'pullsecret:regcred' is malformed: expected pullsecret:<namespace>/<name>, "
        "secret:<namespace>/<name>#<field>, env:<variable> or ext:<script>");
  CHECK(PullSecretProblem("secret:ns/name").has_value());
  CHECK(PullSecretProblem("vault:x").value_or("").starts_with(
      "pull-secret 'vault:x' names an unknown credential source 'vault'"));
  for (std::string_view ok : {"argocd", "git", "git:repocreds", "git:secret:argocd/creds", " git "})
    CHECK_FALSE(WriteBackMethodProblem(ok));
  CHECK(WriteBackMethodProblem("gitt").value_or("") ==
        "unknown write-back-method 'gitt': expected argocd, git or git:<credentials> (did you mean "
        "'git'?)");
}

}  // namespace
}  // namespace capstan::policy
