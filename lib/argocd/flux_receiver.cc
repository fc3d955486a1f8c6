#include "argocd/flux_receiver.h"

#include "core/hmac.h"
#include "core/sha256.h"
#include "core/strings.h"
#include "core/url.h"

namespace capstan::argocd {

Result<ReceiverType> ParseReceiverType(std::string_view text) {
  if (text == "generic") return ReceiverType::kGeneric;
  if (text == "generic-hmac") return ReceiverType::kGenericHmac;
  if (text == "github") return ReceiverType::kGithub;
  return Status::InvalidArgument("unknown Flux receiver type " + QuoteForMessage(text) +
                                 ": use generic, generic-hmac or github");
}

HttpRequest ReceiverRequest(ReceiverType type, const std::string& url, std::string_view token,
                            std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.kind = "receiver";
  request.headers.emplace_back("Content-Type", "application/json");
  switch (type) {
    case ReceiverType::kGeneric:
      break;
    case ReceiverType::kGenericHmac:
      request.headers.emplace_back("X-Signature", "sha256=" + HmacSha256Hex(token, body));
      break;
    case ReceiverType::kGithub:
      request.headers.emplace_back("X-Hub-Signature-256", "sha256=" + HmacSha256Hex(token, body));
      request.headers.emplace_back("X-GitHub-Event", "push");
      break;
  }
  request.body = std::move(body);
  return request;
}

std::string ShownReceiverUrl(const std::string& url) {
  std::string shown = RedactUrl(url);
  constexpr std::string_view kHook = "/hook/";
  size_t at = shown.find(kHook);
  if (at == std::string::npos) return shown;
  size_t digest = at + kHook.size();
  if (shown.size() - digest <= 8) return shown;
  return shown.substr(0, digest + 8) + "\u2026";
}

Status ReadReceiverAnswer(const HttpResponse& response, const std::string& url) {
  const std::string shown = "flux receiver " + ShownReceiverUrl(url);
  const std::string code = " (" + std::to_string(response.status) + ")";
  switch (response.status) {
    case 200:
      return Status::Ok();
    case 400:
      return Status::Unauthenticated(
          shown + " refused the request" + code +
          ": bad signature, wrong token, or an event the Receiver does not accept");
    case 404:
      return Status::NotFound("no " + shown + code + ": check the URL (it changes with the token)");
    case 413:
      return Status::LimitExceeded(shown + " refused the request" + code +
                                   ": the body is larger than 3 MiB");
    case 503:
      return Status::IoError(shown + " is suspended or not ready" + code);
    default:
      return Status::IoError(shown + " answered " + std::to_string(response.status));
  }
}

std::string ReceiverWebhookPath(std::string_view token, std::string_view name,
                                std::string_view receiver_namespace) {
  std::string input;
  input.append(token).append(name).append(receiver_namespace);
  return "/hook/" + Sha256Hex(input);
}

}  // namespace capstan::argocd
