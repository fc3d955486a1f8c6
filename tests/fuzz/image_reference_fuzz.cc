// libFuzzer target: container image references.
// Property: a parsed reference prints as a reference that parses back to the same parts, and
// SameImage holds between them.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "image/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using capstan::image::ParseReference;
  auto ref = ParseReference(capstan::fuzz::AsText(data, size));
  (void)capstan::image::NormalizeRegistryHost(capstan::fuzz::AsText(data, size));
  if (!ref.ok()) return 0;
  auto again = ParseReference(ref->ToString());
  CAPSTAN_FUZZ_CHECK(again.ok());
  CAPSTAN_FUZZ_CHECK(again->registry == ref->registry);
  CAPSTAN_FUZZ_CHECK(again->repository == ref->repository);
  CAPSTAN_FUZZ_CHECK(again->tag == ref->tag);
  CAPSTAN_FUZZ_CHECK(again->digest == ref->digest);
  CAPSTAN_FUZZ_CHECK(capstan::image::SameImage(*ref, *again));
  return 0;
}
