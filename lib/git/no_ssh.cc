// Internal to lib/git, built only when libgit2 is linked statically (CAPSTAN_STATIC_DEPS), and
// linked only into programs that never reach a remote over SSH (capstan-validate and
// capstan-scan read local repositories only). Defining libgit2's three SSH transport entry
// points here keeps the linker from pulling libgit2's ssh.c, and with it libssh2 and OpenSSL's
// libcrypto, whose pointer tables cost every start of those programs about a hundred
// copy-on-write page faults for their relocations. They behave as libgit2 built without SSH
// (src/libgit2/transports/ssh.c, 1.5): an ssh:// URL fails with the same message.
#include <git2.h>
#include <git2/sys/transport.h>

namespace {

int NoSsh() {
  git_error_set_str(GIT_ERROR_INVALID,
                    "cannot create SSH transport. Library was built without SSH support");
  return -1;
}

}  // namespace

extern "C" {

int git_transport_ssh_global_init(void) { return 0; }

int git_smart_subtransport_ssh(git_smart_subtransport** out, git_transport* /*owner*/,
                               void* /*param*/) {
  *out = nullptr;
  return NoSsh();
}

int git_transport_ssh_with_paths(git_transport** out, git_remote* /*owner*/, void* /*payload*/) {
  *out = nullptr;
  return NoSsh();
}

}  // extern "C"
