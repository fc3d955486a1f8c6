#include "argocd/cli_options.h"

#include <catch2/catch.hpp>

namespace capstan::argocd {
namespace {

TEST_CASE("ARGOCD_OPTS reads --name value, --name=value and bare switches as the CLI", "[argocd]") {
  auto options = ParseArgocdOpts(
      "--grpc-web --server argocd.example.com:8443 --header 'X-Team: a b' "
      "--grpc-web-root-path=/argocd --plaintext");
  REQUIRE(options.ok());
  CHECK(*options == std::vector<CliOption>{{"grpc-web", "true"},
                                           {"server", "argocd.example.com:8443"},
                                           {"header", "X-Team: a b"},
                                           {"grpc-web-root-path", "/argocd"},
                                           {"plaintext", "true"}});
  CHECK(ParseArgocdOpts("")->empty());
  CHECK(ParseArgocdOpts("  \n")->empty());
}

TEST_CASE("ARGOCD_OPTS names the word it cannot read", "[argocd]") {
  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"stray --server x", "ARGOCD_OPTS invalid at 'stray'"},
           {"--server a b", "ARGOCD_OPTS invalid at 'b'"},
           {"-H 'A: b'", "ARGOCD_OPTS invalid at '-H'"},
           {"--", "ARGOCD_OPTS invalid at '--'"},
           {"--server 'x", "ARGOCD_OPTS: unterminated single quote"},
       }) {
    auto options = ParseArgocdOpts(text);
    REQUIRE_FALSE(options.ok());
    CHECK(options.status().message() == message);
  }
}

}  // namespace
}  // namespace capstan::argocd
