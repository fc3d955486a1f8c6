// A throwaway PKI for TLS tests, made by the `openssl` CLI at test time: a CA, a server
// certificate signed by it for 127.0.0.1 and localhost, one signed by it for another name only
// (elsewhere.example: host verification must fail), a client certificate signed by it, and an
// unrelated second CA (trusting it instead must fail). Keys are P-256, valid for a day.
#pragma once

#include <string>

namespace capstan::testing {

struct TestCerts {
  std::string ca_crt;  // paths of PEM files under the directory given to MakeTestCerts
  std::string server_crt, server_key;
  std::string elsewhere_crt, elsewhere_key;
  std::string client_crt, client_key;
  std::string other_ca_crt;
};

// Writes the files into dir (which must exist). Fails the test when openssl does.
TestCerts MakeTestCerts(const std::string& dir);

}  // namespace capstan::testing
