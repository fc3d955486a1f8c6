// libFuzzer target: semantic versions, both of Masterminds' parsers.
// Properties: ParseVersion(Format(v)) == v with the same parts, for the strict and the coercing
// parser; a version compares equal to itself and the order is antisymmetric.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "semver/version.h"

namespace {

using capstan::semver::Version;

// `parse` reads back what ToString() printed, to the same version.
template <typename Parse>
void RoundTrips(const Version& v, Parse parse) {
  auto again = parse(v.ToString());
  CAPSTAN_FUZZ_CHECK(again.ok());
  CAPSTAN_FUZZ_CHECK(again->ToString() == v.ToString());
  CAPSTAN_FUZZ_CHECK(again->major() == v.major() && again->minor() == v.minor() &&
                     again->patch() == v.patch());
  CAPSTAN_FUZZ_CHECK(again->prerelease() == v.prerelease() && again->metadata() == v.metadata());
  CAPSTAN_FUZZ_CHECK(capstan::semver::Compare(*again, v) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::semver;
  auto [a_text, b_text] = capstan::fuzz::FirstLine(capstan::fuzz::AsText(data, size));
  auto strict = [](std::string_view t) { return ParseStrict(t); };
  for (VPrefix prefix : {VPrefix::kReject, VPrefix::kAccept})
    if (auto v = ParseStrict(a_text, prefix); v.ok()) RoundTrips(*v, strict);
  for (LeadingZeros zeros : {LeadingZeros::kAccept, LeadingZeros::kReject}) {
    auto coerce = [zeros](std::string_view t) { return ParseCoerce(t, zeros); };
    if (auto v = ParseCoerce(a_text, zeros); v.ok()) RoundTrips(*v, coerce);
  }
  auto a = ParseCoerce(a_text);
  auto b = ParseCoerce(b_text);
  if (a.ok() && b.ok()) {
    CAPSTAN_FUZZ_CHECK(Compare(*a, *a) == 0);
    CAPSTAN_FUZZ_CHECK(Compare(*a, *b) == -Compare(*b, *a));
  }
  return 0;
}
