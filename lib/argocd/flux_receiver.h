// Triggering Flux through a notification-controller Receiver: the request capstan-sync POSTs to
// a Receiver's webhook URL, and what the controller's answer means. Read from
// notification-controller's internal/server/receiver_handlers.go (v1.x) and go-github's
// ValidatePayload / ValidateSignature, which it calls.
//
// How the controller checks a request, by the Receiver's `spec.type`:
//   generic       nothing but the URL: its path `/hook/<digest>` is derived from the token
//                 (ReceiverWebhookPath), so knowing the URL is the credential. No signature.
//   generic-hmac  `X-Signature: <alg>=<hex HMAC of the raw body, keyed by the token>`, alg one
//                 of sha1, sha256, sha512 (capstan sends sha256). Any Content-Type; `spec.events`
//                 is not consulted.
//   github        go-github's ValidatePayload: `X-Hub-Signature-256: sha256=<hex>` (or the older
//                 `X-Hub-Signature: sha1=<hex>`) over the raw body, and Content-Type
//                 `application/json` (parameters allowed) or form-encoded; then, when the
//                 Receiver lists `spec.events`, `X-GitHub-Event` must be one of them, compared
//                 case-insensitively (so a Receiver for GitHub push events lists "push" or
//                 none). The body is not otherwise read: the Receiver requests a reconciliation
//                 of every resource it lists, whatever the payload says.
//
// How it answers (it writes a status and no body):
//   200  reconciliation requested for every resource the Receiver lists (not done: the caller
//        waits on the Kustomization for that)
//   400  the request failed validation: bad or missing signature, the token in the Secret
//        differs, an event not in spec.events, wrong Content-Type for github; also a body that
//        could not be read
//   404  no Receiver has this webhook path (wrong URL, or the token changed and so did the path)
//   413  the body is larger than 3 MiB
//   500  the controller could not list Receivers or annotate a resource
//   503  the Receiver is suspended or not Ready
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"

namespace capstan::argocd {

enum class ReceiverType { kGeneric, kGenericHmac, kGithub };

// "generic", "generic-hmac" or "github" (as --flux-receiver-type and the Receiver's spec.type
// spell them). kInvalidArgument for anything else ("unknown Flux receiver type 'gitlab': use
// generic, generic-hmac or github").
Result<ReceiverType> ParseReceiverType(std::string_view text);

// The POST capstan sends to a Receiver at `url` (the full webhook URL, https://host/hook/<digest>)
// with `body` (for github, argocd::GithubPushPayload(event): a GitHub push event; the others
// ignore it, any JSON will do). Carries `Content-Type: application/json` and, by type:
// generic-hmac `X-Signature: sha256=<hex>`, github `X-Hub-Signature-256: sha256=<hex>` and
// `X-GitHub-Event: push`, the HMAC-SHA256 of exactly `body` keyed by `token` (the `token` key
// of the Receiver's Secret). generic sends no signature and does not use the token. The
// request's kind is "receiver" (http::RequestStats). Secret: the request carries a signature
// derived from the token, not the token itself; do not print its headers anyway.
HttpRequest ReceiverRequest(ReceiverType type, const std::string& url, std::string_view token,
                            std::string body);

// The controller's answer as a Status: ok for 200. Otherwise, naming ShownReceiverUrl(url):
//  kUnauthenticated  400 "flux receiver <url> refused the request (400): bad signature, wrong
//                    token, or an event the Receiver does not accept"
//  kNotFound         404 "no flux receiver <url> (404): check the URL (it changes with the
//                    token)"
//  kLimitExceeded    413
//  kIoError          503 "flux receiver <url> is suspended or not ready (503)"; 500 and any
//                    other status "flux receiver <url> answered <n>"
// http::PolicyClient retries a POST only when no connection was made, never on a status: a
// caller that wants 500/503 retried loops itself (asking twice for a reconciliation is
// harmless; 503 lasts as long as the Receiver is suspended or not Ready). 4xx are final.
Status ReadReceiverAnswer(const HttpResponse& response, const std::string& url);

// url for messages: user-info removed and the digest after "/hook/" cut to its first 8
// characters ("https://flux.example.com/hook/1a2b3c4d…"), since for a generic Receiver the
// full URL is the credential.
std::string ShownReceiverUrl(const std::string& url);

// The webhook path the controller gives a Receiver: "/hook/" + hex SHA-256 of token + name +
// namespace (api/v1 Receiver.GetWebhookPath). For finding the URL from the Receiver's Secret,
// and for tests.
std::string ReceiverWebhookPath(std::string_view token, std::string_view name,
                                std::string_view receiver_namespace);

}  // namespace capstan::argocd
