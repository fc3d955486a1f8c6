#include "git/host_key.h"

#include <libssh2.h>

#include <fstream>
#include <memory>

#include "git/credentials.h"

namespace capstan::git::internal {
namespace {

struct SessionFree {
  void operator()(LIBSSH2_SESSION* s) const { libssh2_session_free(s); }
};
struct KnownHostsFree {
  void operator()(LIBSSH2_KNOWNHOSTS* h) const { libssh2_knownhost_free(h); }
};

int KeyTypeBit(git_cert_ssh_raw_type_t type) {
  switch (type) {
    case GIT_CERT_SSH_RAW_TYPE_RSA:
      return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
    case GIT_CERT_SSH_RAW_TYPE_DSS:
      return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_256:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_384:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_521:
      return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ED25519:
      return LIBSSH2_KNOWNHOST_KEY_ED25519;
    case GIT_CERT_SSH_RAW_TYPE_UNKNOWN:
      break;
  }
  return 0;
}

}  // namespace

int SshPort(const std::string& url) {
  const UrlParts parts = ParseUrl(url);
  if (url.find("://") == std::string::npos) return 22;  // scp-like: no port
  const std::size_t bracket = parts.host.rfind(']');
  const std::size_t colon = parts.host.rfind(':');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) return 22;
  const std::string digits = parts.host.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return 22;
  }
  return std::stoi(digits);
}

Status CheckSshHostKey(const git_cert_hostkey& cert, const std::string& host, int port,
                       const std::string& known_hosts_file) {
  const std::string shown = port == 22 ? host : host + ":" + std::to_string(port);
  if (known_hosts_file.empty()) {
    return Status::IoError("no known_hosts file to verify " + shown + "'s SSH key against");
  }
  const int key_type = KeyTypeBit(cert.raw_type);
  if ((cert.type & GIT_CERT_SSH_RAW) == 0 || cert.hostkey == nullptr || key_type == 0) {
    return Status::IoError("cannot verify the SSH host key of " + shown +
                           ": the server's key type is not supported");
  }
  std::unique_ptr<LIBSSH2_SESSION, SessionFree> session(libssh2_session_init());
  if (!session) {
    return Status::IoError("cannot verify the SSH host key of " + shown + ": out of memory");
  }
  std::unique_ptr<LIBSSH2_KNOWNHOSTS, KnownHostsFree> known(libssh2_knownhost_init(session.get()));
  if (!known) {
    return Status::IoError("cannot verify the SSH host key of " + shown + ": out of memory");
  }

  const std::string not_found = shown + " is not in " + known_hosts_file +
                                ": add its key first (ssh-keyscan -p " + std::to_string(port) +
                                " " + host + " >> " + known_hosts_file + ")";
  // Line by line rather than libssh2_knownhost_readfile, which stops at the first line it
  // cannot parse (say a key type newer than libssh2) and drops every entry after it.
  std::ifstream in(known_hosts_file);
  if (!in) return Status::IoError(not_found);
  for (std::string line; std::getline(in, line);) {
    (void)libssh2_knownhost_readline(known.get(), line.data(), line.size(),
                                     LIBSSH2_KNOWNHOST_FILE_OPENSSH);
  }

  const int rc = libssh2_knownhost_checkp(
      known.get(), host.c_str(), port, cert.hostkey, cert.hostkey_len,
      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key_type, nullptr);
  switch (rc) {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return Status::Ok();
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      return Status::IoError("host key for " + shown + " does not match " + known_hosts_file +
                             " (someone may be intercepting the connection)");
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      return Status::IoError(not_found);
    default:
      return Status::IoError("cannot verify the SSH host key of " + shown +
                             ": libssh2 could not check " + known_hosts_file);
  }
}

}  // namespace capstan::git::internal
