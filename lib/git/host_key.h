// Internal to lib/git's push side: SSH host key verification against the caller's OpenSSH
// known_hosts file, for libgit2's certificate_check callback (libgit2 1.5.1 itself consults
// only $HOME/.ssh/known_hosts). Not for use outside lib/git.
#pragma once

#include <git2.h>

#include <string>

#include "core/status.h"

namespace capstan::git::internal {

// Checks the host key libgit2 received from host:port (`cert` must carry GIT_CERT_SSH_RAW)
// against the known_hosts file, read with libssh2's knownhost parser (plain and hashed host
// names, "[host]:port" entries for ports other than 22; lines it cannot parse are skipped).
// As in libssh2, an entry for the bare host name also holds for every port.
// Returns Ok when an entry for the host holds this key. Fails with kIoError:
//   "no known_hosts file to verify <host>'s SSH key against" (known_hosts_file empty),
//   "host key for <host> does not match <file> (someone may be intercepting the connection)",
//   "<host> is not in <file>: add its key first (ssh-keyscan -p <port> <host> >> <file>)"
//     (also when the file cannot be read),
//   "cannot verify the SSH host key of <host>: ..." (no raw key, unknown key type, libssh2
//     failure).
// <host> is "host" for port 22 and "host:port" otherwise.
Status CheckSshHostKey(const git_cert_hostkey& cert, const std::string& host, int port,
                       const std::string& known_hosts_file);

// The port of an ssh:// URL ("ssh://git@host:2222/org/app.git" gives 2222), else 22.
int SshPort(const std::string& url);

}  // namespace capstan::git::internal
