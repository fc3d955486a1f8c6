#include "image/reference.h"

#include <catch2/catch.hpp>

namespace capstan::image {
namespace {

Reference Parse(std::string_view s) {
  auto r = ParseReference(s);
  INFO(s);
  REQUIRE(r.ok());
  return *r;
}

std::string Error(std::string_view s) {
  auto r = ParseReference(s);
  INFO(s);
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}

TEST_CASE("image references are split into registry, repository, tag and digest", "[image]") {
  Reference r = Parse("ghcr.io/acme/api:1.4.2");
  CHECK(r.registry == "ghcr.io");
  CHECK(r.repository == "acme/api");
  CHECK(r.tag == "1.4.2");
  CHECK(r.digest.empty());
  const std::string digest = "sha256:" + std::string(64, 'a');
  Reference d = Parse("localhost:5000/team/app/web:v2@" + digest);
  CHECK(d.registry == "localhost:5000");
  CHECK(d.repository == "team/app/web");
  CHECK(d.tag == "v2");
  CHECK(d.digest == digest);
  CHECK(d.ToString() == "localhost:5000/team/app/web:v2@" + digest);
  Reference port = Parse("registry.example.com:8443/x");
  CHECK(port.registry == "registry.example.com:8443");
  CHECK(port.tag.empty());
  CHECK(Parse("[::1]:5000/app:1").registry == "[::1]:5000");
  CHECK(Parse("localhost/app").registry == "localhost");
  CHECK(Parse("a__b/c.d/e--f_g").repository == "a__b/c.d/e--f_g");
}

TEST_CASE("Docker Hub names are normalised", "[image]") {
  for (const char* s :
       {"nginx", "library/nginx", "docker.io/library/nginx", "docker.io/nginx",
        "index.docker.io/library/nginx", "registry-1.docker.io/library/nginx:1.27"}) {
    INFO(s);
    CHECK(Parse(s).Name() == "docker.io/library/nginx");
    CHECK(SameImage(Parse(s), Parse("nginx:latest")));
  }
  CHECK(Parse("bitnami/redis").Name() == "docker.io/bitnami/redis");
  CHECK_FALSE(SameImage(Parse("ghcr.io/acme/api"), Parse("docker.io/acme/api")));
}

TEST_CASE("malformed references are refused with the reason", "[image]") {
  CHECK(Error("") == "invalid image reference '': empty reference");
  CHECK(Error("ghcr.io/Acme/api") ==
        "invalid image reference 'ghcr.io/Acme/api': repository name must be lowercase");
  CHECK(Error("nginx:") == "invalid image reference 'nginx:': empty tag");
  CHECK(Error("nginx:-x") ==
        "invalid image reference 'nginx:-x': tag must start with a letter, digit or '_'");
  CHECK(Error("nginx:a+b") ==
        "invalid image reference 'nginx:a+b': tag 'a+b' has invalid characters");
  CHECK(Error("nginx@sha256:abc") ==
        "invalid image reference 'nginx@sha256:abc': digest is too short");
  CHECK(Error("nginx@sha256:" + std::string(63, 'a') + "g") ==
        "invalid image reference 'nginx@sha256:" + std::string(63, 'a') +
            "g': digest is not hexadecimal");
  CHECK(Error("ghcr.io//api") == "invalid image reference 'ghcr.io//api': empty path component");
  CHECK(Error("ghcr.io/a-/b") ==
        "invalid image reference 'ghcr.io/a-/b': invalid path component 'a-'");
  CHECK(Error("bad_host.io:99999/x") ==
        "invalid image reference 'bad_host.io:99999/x': invalid registry host 'bad_host.io:99999'");
  CHECK(Error("ghcr.io/" + std::string(250, 'a')).find("longer than 255") != std::string::npos);
  CHECK(Error(std::string("nginx:") + std::string(129, 'a')).find("longer than 128") !=
        std::string::npos);
}

}  // namespace
}  // namespace capstan::image
