#include "support/test_certs.h"

#include <catch2/catch.hpp>

#include "support/shell.h"

namespace capstan::testing {

TestCerts MakeTestCerts(const std::string& dir) {
  const std::string script = R"(set -e
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key
openssl req -x509 -new -key ca.key -out ca.crt -days 1 -subj /CN=capstan-test-ca
key other-ca.key
openssl req -x509 -new -key other-ca.key -out other-ca.crt -days 1 -subj /CN=capstan-other-ca
key server.key
openssl req -new -key server.key -out server.csr -subj /CN=localhost
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
  -extfile server.ext -out server.crt 2>/dev/null
key elsewhere.key
openssl req -new -key elsewhere.key -out elsewhere.csr -subj /CN=elsewhere.example
printf 'subjectAltName=DNS:elsewhere.example\nextendedKeyUsage=serverAuth\n' > elsewhere.ext
openssl x509 -req -in elsewhere.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
  -extfile elsewhere.ext -out elsewhere.crt 2>/dev/null
key client.key
openssl req -new -key client.key -out client.csr -subj /CN=capstan-client
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
  -extfile client.ext -out client.crt 2>/dev/null
)";
  ShellResult r = RunShell(dir, script);
  if (r.exit_code != 0) FAIL("openssl could not make test certificates: " << r.output);
  TestCerts certs;
  certs.ca_crt = dir + "/ca.crt";
  certs.server_crt = dir + "/server.crt";
  certs.server_key = dir + "/server.key";
  certs.elsewhere_crt = dir + "/elsewhere.crt";
  certs.elsewhere_key = dir + "/elsewhere.key";
  certs.client_crt = dir + "/client.crt";
  certs.client_key = dir + "/client.key";
  certs.other_ca_crt = dir + "/other-ca.crt";
  return certs;
}

}  // namespace capstan::testing
