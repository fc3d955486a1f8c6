// libgit2 over HTTPS against a local `openssl s_server`: TLS is set up on the first HTTPS
// connection rather than in git_libgit2_init() (lib/git/tls_lazy.cc with CAPSTAN_STATIC_DEPS),
// and it still verifies certificates, against the system bundle or a CA file set later.
#include <git2.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/git_servers.h"
#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {
namespace {

// Connects for fetch; libgit2's return code (0, or a negative git_error_code).
int Connect(const std::string& url) {
  git_remote* remote = nullptr;
  REQUIRE(git_remote_create_detached(&remote, url.c_str()) == 0);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  int rc = git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr);
  git_remote_free(remote);
  return rc;
}

TEST_CASE("libgit2 verifies an https server by the system bundle, then by a CA file set later",
          "[integration][git]") {
  TempDir dir;
  ShellResult cert = RunShell(dir.path(),
                              "openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem "
                              "-out cert.pem -subj /CN=127.0.0.1 -days 2 2>&1");
  REQUIRE(cert.exit_code == 0);
  ServerProcess server(
      [&](int port) {
        return std::vector<std::string>{"/usr/bin/openssl",
                                        "s_server",
                                        "-accept",
                                        std::to_string(port),
                                        "-cert",
                                        dir / "cert.pem",
                                        "-key",
                                        dir / "key.pem",
                                        "-www"};
      },
      {}, dir / "s_server.log", "ACCEPT");
  std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/app.git";
  git_libgit2_init();

  // A self-signed certificate is in no system bundle.
  CHECK(Connect(url) == GIT_ECERTIFICATE);

  REQUIRE(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, (dir / "cert.pem").c_str(), nullptr) ==
          0);
  // Now the handshake succeeds; s_server's status page is no git smart-HTTP answer.
  int rc = Connect(url);
  CHECK(rc < 0);
  CHECK(rc != GIT_ECERTIFICATE);
  const git_error* e = git_error_last();
  REQUIRE(e != nullptr);
  CHECK(std::string(e->message).find("certificate") == std::string::npos);
  git_libgit2_shutdown();

  // After a shutdown, which frees the TLS set-up when it ends the runtime, a new runtime sets
  // it up again rather than using the freed one (other tests in this process may hold it).
  git_libgit2_init();
  CHECK(Connect(url) < 0);
  git_libgit2_shutdown();
}

}  // namespace
}  // namespace capstan::testing
