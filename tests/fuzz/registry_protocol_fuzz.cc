// libFuzzer target: what a registry sends back that capstan parses: the WWW-Authenticate
// challenge of a 401, the token endpoint's JSON, an error body, a Link header, Docker Hub's
// rate-limit header. The first line is the header, the rest the body.
// Property: a token error message never holds the token.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "registry/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::registry;
  auto [header, body] = capstan::fuzz::FirstLine(capstan::fuzz::AsText(data, size));
  if (auto challenge = ParseChallenge(header); challenge.ok())
    (void)TokenUrl(*challenge, {RepositoryScope("acme/api")});
  (void)NextPageUrl(header, "https://registry.example:5000/v2/acme/api/tags/list");
  (void)RateLimitRemaining(header);
  auto token = ParseTokenResponse(body, std::chrono::system_clock::time_point{});
  if (!token.ok() && body.size() >= 8) {
    // Whatever string the body holds as its token must not be echoed.
    std::size_t at = body.find("\"token\":\"");
    if (at != std::string::npos) {
      std::string_view value = body.substr(at + 9);
      value = value.substr(0, value.find('"'));
      // A token that is itself a piece of the fixed wording ("alid token respo") proves nothing.
      constexpr std::string_view kWording =
          "invalid token response: not a JSON object no token expires_in is not a number";
      if (value.size() >= 8 && kWording.find(value) == std::string_view::npos)
        CAPSTAN_FUZZ_CHECK(std::string(token.status().message()).find(value) == std::string::npos);
    }
  }
  for (int status : {401, 403, 404, 429, 500})
    (void)ErrorFromResponse(status, body, "cannot fetch manifest 'acme/api:1.2'");
  return 0;
}
