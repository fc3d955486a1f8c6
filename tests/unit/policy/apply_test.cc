#include "policy/apply.h"

#include <catch2/catch.hpp>

namespace capstan::policy {
namespace {

using State = ImageOutcome::State;

ImagePolicy Policy(const std::string& image, image::Strategy strategy = image::Strategy::kSemver) {
  ImagePolicy p;
  p.image = *image::ParseReference(image);
  p.tags.strategy = strategy;
  p.source.label = ".capstan.yaml images[0]";
  return p;
}

Decision Chose(const std::string& tag, const std::string& digest = "") {
  Decision d;
  d.tag = tag;
  d.digest = digest;
  return d;
}

std::string Kustomization(const std::string& tag) {
  return "images:\n  - name: ghcr.io/acme/api\n    newTag: " + tag + "  # pinned\n";
}

const std::string kDigest = "sha256:" + std::string(64, 'a');

TEST_CASE("a newer tag is written with only its bytes changed", "[watch][apply]") {
  std::vector<image::FileText> files = {
      {"apps/api/kustomization.yaml", Kustomization("1.4.1"), ""}};
  Applied a = ApplyDecisions(files, {Policy("ghcr.io/acme/api")}, {Chose("1.4.2")});
  REQUIRE(a.outcomes.size() == 1);
  CHECK(a.outcomes[0].state == State::kUpdated);
  CHECK(a.outcomes[0].from == "1.4.1");
  CHECK(a.outcomes[0].to == "1.4.2");
  REQUIRE(a.outcomes[0].changes.size() == 1);
  CHECK(a.outcomes[0].changes[0].file == "apps/api/kustomization.yaml");
  CHECK(a.outcomes[0].changes[0].line == 3);
  CHECK(a.updates == std::map<std::string, std::string>{
                         {"apps/api/kustomization.yaml", Kustomization("1.4.2")}});
}

TEST_CASE("never moves to an older or an equal version", "[watch][apply]") {
  auto [in_git, chosen, says] = GENERATE(table<std::string, std::string, std::string>({
      // Git is ahead of what the registry offers under the range
      {"1.5.0", "1.4.2", "Git has 1.5.0, newer than 1.4.2: kept"},
      // the same version written two ways is not a change
      {"1.11", "1.11.0", "Git has 1.11, not older than 1.11.0"},
      {"v1.4.2", "1.4.2", "Git has v1.4.2, not older than 1.4.2"},
  }));
  std::vector<image::FileText> files = {{"k.yaml", Kustomization(in_git), ""}};
  Applied a = ApplyDecisions(files, {Policy("ghcr.io/acme/api")}, {Chose(chosen)});
  CHECK(a.outcomes[0].state == State::kKept);
  CHECK(a.outcomes[0].message == says);
  CHECK(a.updates.empty());
}

TEST_CASE("a tag whose digest Git already pins is not a change", "[watch][apply]") {
  std::vector<image::FileText> files = {
      {"deploy.yaml", "image: ghcr.io/acme/api:1.11@" + kDigest + "\n", ""}};
  ImagePolicy p = Policy("ghcr.io/acme/api", image::Strategy::kAlphabetical);
  Applied a = ApplyDecisions(files, {p}, {Chose("1.12-alias", kDigest)});
  CHECK(a.outcomes[0].state == State::kKept);
  CHECK(a.outcomes[0].message.find("same digest") != std::string::npos);
  CHECK(a.updates.empty());
}

TEST_CASE("an image already at the chosen tag is up to date", "[watch][apply]") {
  std::vector<image::FileText> files = {{"k.yaml", Kustomization("1.4.2"), ""}};
  Applied a = ApplyDecisions(files, {Policy("ghcr.io/acme/api")}, {Chose("1.4.2")});
  CHECK(a.outcomes[0].state == State::kUpToDate);
  CHECK(a.updates.empty());
}

TEST_CASE("failed decisions and missing candidates write nothing but do not stop the others",
          "[watch][apply]") {
  std::vector<image::FileText> files = {
      {"a.yaml", "image: ghcr.io/acme/a:1.0.0\n", ""},
      {"b.yaml", "image: ghcr.io/acme/b:1.0.0\n", ""},
      {"c.yaml", "image: ghcr.io/acme/c:1.0.0\n", ""},
  };
  Decision failed;
  failed.status = Status::IoError("cannot list tags of ghcr.io/acme/a: cannot connect");
  Decision none;
  none.note = "no tag among 3 matches semver ~2";
  Applied a = ApplyDecisions(
      files, {Policy("ghcr.io/acme/a"), Policy("ghcr.io/acme/b"), Policy("ghcr.io/acme/c")},
      {failed, none, Chose("1.1.0")});
  CHECK(a.outcomes[0].state == State::kFailed);
  CHECK(a.outcomes[0].message == "cannot list tags of ghcr.io/acme/a: cannot connect");
  CHECK(a.outcomes[1].state == State::kNoCandidate);
  CHECK(a.outcomes[1].message == "no tag among 3 matches semver ~2");
  CHECK(a.outcomes[2].state == State::kUpdated);
  CHECK(a.updates ==
        std::map<std::string, std::string>{{"c.yaml", "image: ghcr.io/acme/c:1.1.0\n"}});
}

TEST_CASE("two images in one file are both written, one after the other", "[watch][apply]") {
  std::vector<image::FileText> files = {
      {"deploy.yaml",
       "containers:\n  - image: ghcr.io/acme/a:1.0.0\n  - image: ghcr.io/acme/b:2.0.0\n", ""}};
  Applied a = ApplyDecisions(files, {Policy("ghcr.io/acme/a"), Policy("ghcr.io/acme/b")},
                             {Chose("1.0.1"), Chose("2.1.0")});
  CHECK(a.updates.at("deploy.yaml") ==
        "containers:\n  - image: ghcr.io/acme/a:1.0.1\n  - image: ghcr.io/acme/b:2.1.0\n");
  std::string message = CommitMessage({Policy("ghcr.io/acme/a"), Policy("ghcr.io/acme/b")}, a);
  CHECK(message.rfind("capstan-watch: update 2 images\n\n", 0) == 0);
  CHECK(message.find("ghcr.io/acme/a: 1.0.0 -> 1.0.1 (semver; .capstan.yaml images[0])\n  "
                     "deploy.yaml:2 image\n") != std::string::npos);
}

TEST_CASE("an image nothing names is reported, not invented", "[watch][apply]") {
  std::vector<image::FileText> files = {{"k.yaml", Kustomization("1.0.0"), ""}};
  Applied a = ApplyDecisions(files, {Policy("ghcr.io/acme/other")}, {Chose("1.0.1")});
  CHECK(a.outcomes[0].state == State::kNoTarget);
  CHECK(a.outcomes[0].message == "nothing in the repository names ghcr.io/acme/other");
}

TEST_CASE("a missing Argo CD override file is created in Image Updater's format",
          "[watch][apply]") {
  ImagePolicy p = Policy("ghcr.io/acme/api");
  p.write.files = {"apps/api/.argocd-source-api.yaml"};
  p.write.override_file = "apps/api/.argocd-source-api.yaml";
  SECTION("kustomize") {
    p.write.override_kind = "kustomize";
    Applied a = ApplyDecisions({}, {p}, {Chose("1.4.2")});
    CHECK(a.outcomes[0].state == State::kUpdated);
    CHECK(a.updates.at(p.write.override_file) ==
          "kustomize:\n  images:\n  - ghcr.io/acme/api:1.4.2\n");
    // The next cycle finds the file and sees it up to date.
    std::vector<image::FileText> next = {
        {p.write.override_file, a.updates.at(p.write.override_file), ""}};
    CHECK(ApplyDecisions(next, {p}, {Chose("1.4.2")}).outcomes[0].state == State::kUpToDate);
  }
  SECTION("helm") {
    p.write.override_kind = "helm";
    p.write.helm_keys = {"image.tag"};
    p.write.override_name_key = "image.repository";
    Applied a = ApplyDecisions({}, {p}, {Chose("1.4.2")});
    CHECK(a.updates.at(p.write.override_file) ==
          "helm:\n  parameters:\n  - name: image.repository\n    value: ghcr.io/acme/api\n    "
          "forcestring: true\n"
          "  - name: image.tag\n    value: \"1.4.2\"\n    forcestring: true\n");
    std::vector<image::FileText> next = {
        {p.write.override_file, a.updates.at(p.write.override_file), ""}};
    Applied again = ApplyDecisions(next, {p}, {Chose("1.4.3")});
    CHECK(again.outcomes[0].state == State::kUpdated);
    CHECK(again.updates.at(p.write.override_file).find("value: \"1.4.3\"") != std::string::npos);
  }
}

TEST_CASE("a refused edit fails only its image, with its place", "[watch][apply]") {
  std::vector<image::FileText> files = {
      {"v.yaml", "base: &img ghcr.io/acme/api:1.0.0\nimage: *img\n", ""},
      {"w.yaml", "image: ghcr.io/acme/web:1.0.0\n", ""}};
  Applied a = ApplyDecisions(files, {Policy("ghcr.io/acme/api"), Policy("ghcr.io/acme/web")},
                             {Chose("1.0.1"), Chose("1.0.1")});
  CHECK(a.outcomes[0].state == State::kFailed);
  CHECK(a.outcomes[0].message.rfind("v.yaml:", 0) == 0);
  CHECK(a.outcomes[1].state == State::kUpdated);
  CHECK(a.updates.count("v.yaml") == 0);
}

}  // namespace
}  // namespace capstan::policy
