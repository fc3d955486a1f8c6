// Internal to lib/git, built only when libgit2 is linked statically (CAPSTAN_STATIC_DEPS), and
// linked with -Wl,--wrap for the four libgit2 functions below (lib/CMakeLists.txt).
// git_libgit2_init() sets up mbedTLS for HTTPS and parses the whole system CA bundle (about
// 140 certificates, 50 million instructions: three quarters of a one-file capstan-scan --staged)
// although only a push or fetch over HTTPS needs it. The wrappers defer that set-up to the first
// TLS stream, or to the first GIT_OPT_SET_SSL_CERT_LOCATIONS, which need it; a process that
// never talks HTTPS never pays it. The real functions are libgit2's (src/libgit2/streams/
// mbedtls.c, 1.5), unchanged.
#include <mutex>

extern "C" {

struct git_stream;
struct git_stream_registration;

int __real_git_mbedtls_stream_global_init(void);
int __real_git_mbedtls_stream_new(git_stream** out, const char* host, const char* port);
int __real_git_mbedtls_stream_wrap(git_stream** out, git_stream* in, const char* host);
int __real_git_mbedtls__set_cert_location(const char* file, const char* path);

}  // extern "C"

namespace {

std::mutex mu;
bool tls_ready = false;  // libgit2's set-up ran since the runtime was last initialised

// libgit2's set-up, once per runtime initialisation (git_libgit2_shutdown frees it).
int EnsureTls() {
  std::lock_guard<std::mutex> lock(mu);
  if (tls_ready) return 0;
  int rc = __real_git_mbedtls_stream_global_init();
  tls_ready = rc >= 0;
  return rc;
}

}  // namespace

extern "C" {

// Called by git_libgit2_init() when it initialises the runtime: nothing yet.
int __wrap_git_mbedtls_stream_global_init(void) {
  std::lock_guard<std::mutex> lock(mu);
  tls_ready = false;
  return 0;
}

int __wrap_git_mbedtls_stream_new(git_stream** out, const char* host, const char* port) {
  if (int rc = EnsureTls(); rc < 0) return rc;
  return __real_git_mbedtls_stream_new(out, host, port);
}

int __wrap_git_mbedtls_stream_wrap(git_stream** out, git_stream* in, const char* host) {
  if (int rc = EnsureTls(); rc < 0) return rc;
  return __real_git_mbedtls_stream_wrap(out, in, host);
}

int __wrap_git_mbedtls__set_cert_location(const char* file, const char* path) {
  if (int rc = EnsureTls(); rc < 0) return rc;
  return __real_git_mbedtls__set_cert_location(file, path);
}

}  // extern "C"
