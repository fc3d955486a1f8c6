// The real HttpClient, over libcurl. One Send or Stream is one HTTP exchange: no retries
// (PolicyClient layers those on), no redirects followed (a 3xx is returned as a response; its
// "location" header says where).
//
// Security:
//  - TLS peer and host verification are on, against the system CA store unless CurlOptions
//    names other trust anchors (ca_file, ca_pem); only insecure_skip_verify turns them off.
//  - Plain http:// is refused (kInvalidArgument "refusing plain HTTP to <host>: ...", before any
//    network access) unless the host is loopback (127.0.0.0/8, ::1, localhost) or listed in
//    CurlOptions::insecure_hosts. Only http and https URLs are accepted.
//  - URLs in error messages never carry user-info ("https://user:pw@h/" reads "https://h/"),
//    and no message carries certificate or key material (PEM given in memory stays there).
//
// Proxies: libcurl itself reads http_proxy, https_proxy (also HTTPS_PROXY), all_proxy and
// no_proxy from the process environment. This is the one place where lib/ is affected by the
// environment; it is deliberate, so capstan behaves like curl and git behind a proxy.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "core/env.h"
#include "core/url.h"

namespace capstan::http {

struct CurlOptions {
  // Hosts to which plain http:// is allowed besides loopback: "host" (any port) or "host:port"
  // (port as written or the scheme default). Matched case-insensitively.
  std::set<std::string> insecure_hosts;
  // A response body larger than this fails with kLimitExceeded.
  std::uint64_t max_response_bytes = 64ull << 20;
  // How long connecting may take; never more than the request's own timeout.
  std::chrono::milliseconds connect_timeout{10000};

  // TLS trust. By default the server's certificate must chain to the system CA store. With
  // ca_file (a PEM bundle on disk, e.g. --ca-file) or ca_pem (a PEM bundle in memory, e.g. a
  // kubeconfig's certificate-authority-data) it must chain to those certificates instead, and
  // the system store is not consulted; ca_pem wins when both are set. The host name is checked
  // against the certificate either way. An unreadable ca_file or a ca_pem without a usable
  // certificate fails each request with kIoError ("cannot reach <url>: <why>").
  std::string ca_file;
  std::string ca_pem;
  // Turns peer and host verification off: any certificate is accepted, so anyone on the path
  // can read and change the exchange. For an explicit --insecure (or a kubeconfig's
  // insecure-skip-tls-verify) only; ca_file / ca_pem are ignored when it is set.
  bool insecure_skip_verify = false;
  // A client certificate (with any intermediates) and its private key, both PEM in memory
  // (a kubeconfig's client-certificate-data / client-key-data), offered to servers that ask
  // for one. Set both or neither: a request made with only one fails with kInvalidArgument
  // ("client certificate and key must be given together") before any network access. A key
  // that does not match the certificate, or that libcurl cannot read, fails with kIoError.
  std::string client_cert_pem;
  std::string client_key_pem;
};

// Whether a URL's host (without port; IPv6 in brackets or not) is loopback: localhost,
// 127.0.0.0/8 or ::1. Plain http:// to these is always allowed, as Docker allows it for
// registries.
bool IsLoopbackHost(const std::string& host);

class CurlHttpClient final : public HttpClient {
 public:
  // Initialises libcurl globally on first construction (thread-safe).
  explicit CurlHttpClient(CurlOptions options = {});

  // Thread-safe: each call uses its own curl handle. Returns any HTTP status as a response, with
  // header names lowercased. request.timeout (cut to request.deadline when that is set and
  // shorter) bounds the whole exchange: connecting (itself at most options.connect_timeout),
  // sending, waiting, and reading the last byte of the body. Fails with:
  //  kInvalidArgument  malformed URL, unsupported scheme, refused plain HTTP, or a client
  //                    certificate without its key (or the reverse)
  //  kTimeout          that time passed ("timed out after <n> ms talking to <url>")
  //  kLimitExceeded    the body exceeds max_response_bytes
  //  kIoError          "cannot reach <url>: <why>"; see http/connect_failure.h for the form
  //                    used when no connection was made. TLS failures are of this form, one
  //                    line, e.g. "cannot reach https://h/: SSL certificate problem: unable to
  //                    get local issuer certificate" for a server the trust anchors do not vouch
  //                    for, or a handshake refused for want of a client certificate
  Result<HttpResponse> Send(const HttpRequest& request) override;

  // HttpClient::Stream for real: same URL checks, TLS settings and headers as Send, the body
  // handed to `sink` from libcurl's receive callback as each piece is read, the head decided
  // (options.stream_body) as soon as the headers end, before any body. max_response_bytes
  // applies to a body read in full, not to a streamed one. Thread-safe; the sink runs on the
  // calling thread. Fails as Send, and with:
  //  kTimeout  no byte for options.idle_timeout ("no data from <url> for <n> ms"), or the
  //            request's timeout passed ("timed out after <n> ms talking to <url>"), however
  //            much had been delivered
  //  kIoError  the connection broke after pieces were delivered ("connection to <url> lost:
  //            <why>"), e.g. the server closed it mid-frame
  Result<HttpResponse> Stream(const HttpRequest& request, const StreamOptions& options,
                              const StreamSink& sink) override;

 private:
  CurlOptions options_;
};

}  // namespace capstan::http
