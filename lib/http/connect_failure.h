// How a transport error says "nothing was sent": the connection was never made (refused, host
// not resolved). PolicyClient retries a non-idempotent request (POST, PATCH) only on these.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace capstan::http {

inline constexpr std::string_view kConnectFailed = "connection failed: ";

// kIoError "cannot reach <url>: connection failed: <why>".
inline Status ConnectFailure(std::string_view url, std::string_view why) {
  return Status::IoError("cannot reach " + std::string(url) + ": " + std::string(kConnectFailed) +
                         std::string(why));
}

// True for a Status made by ConnectFailure.
inline bool IsConnectFailure(const Status& status) {
  return status.code() == StatusCode::kIoError &&
         status.message().find(std::string(": ") + std::string(kConnectFailed)) !=
             std::string::npos;
}

}  // namespace capstan::http
