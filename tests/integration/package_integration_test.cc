// The Debian package: cpack builds it from this build, its Depends are derived and declared, apt
// would install it with what it needs, and the unpacked tools run.

#include <catch2/catch.hpp>

#include "core/strings.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

TEST_CASE("cpack builds a .deb whose Depends apt resolves and whose tools run unpacked",
          "[integration][package]") {
  TempDir out;
  ShellResult built =
      RunShell(CAPSTAN_BINARY_DIR, "cpack -G DEB -B " + ShellQuote(out.path()) + " > " +
                                       ShellQuote(out / "cpack.log") + " 2>&1; echo $?");
  INFO(ReadFile(out / "cpack.log"));
  REQUIRE(Trim(built.output) == "0");
  ShellResult deb = RunShell(out.path(), "ls capstan_*.deb");
  REQUIRE(deb.exit_code == 0);
  const std::string file = std::string(Trim(deb.output));
  CHECK(file.rfind("capstan_0.1.0_", 0) == 0);

  ShellResult depends = RunShell(out.path(), "dpkg-deb -f " + ShellQuote(file) + " Depends");
  INFO(depends.output);
  CHECK(depends.output.find("git") != std::string::npos);
  CHECK(depends.output.find("ca-certificates") != std::string::npos);
  CHECK(depends.output.find("libcurl") != std::string::npos);  // derived by dpkg-shlibdeps
  CHECK(depends.output.find("libc6") != std::string::npos);

  ShellResult simulated =
      RunShell(out.path(), "apt-get install -s ./" + ShellQuote(file) + " 2>&1");
  INFO(simulated.output);
  CHECK(simulated.exit_code == 0);
  CHECK(simulated.output.find("capstan") != std::string::npos);

  ShellResult unpacked = RunShell(
      out.path(), "dpkg -x " + ShellQuote(file) + " root && root/usr/bin/capstan --version && " +
                      "root/usr/bin/capstan sync --version && test -x "
                      "root/usr/share/capstan/hooks/pre-commit && ls root/usr/bin");
  INFO(unpacked.output);
  CHECK(unpacked.exit_code == 0);
  CHECK(unpacked.output.find("capstan 0.1.0") != std::string::npos);
  CHECK(unpacked.output.find("capstan-sync 0.1.0") != std::string::npos);
  for (const char* tool : {"capstan-validate", "capstan-scan", "capstan-bump", "capstan-watch",
                           "capstan-sync", "capstan-hooks", "capstan-semver"}) {
    CHECK(unpacked.output.find(tool) != std::string::npos);
  }
}

}  // namespace
}  // namespace capstan::testing
