#include "argocd/token.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base64.h"

namespace capstan::argocd {

std::optional<std::chrono::system_clock::time_point> TokenExpiry(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  std::optional<std::string> payload = DecodeBase64Url(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  const nlohmann::json claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object()) return std::nullopt;
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number()) return std::nullopt;
  const double seconds = exp->get<double>();
  // Beyond what a time_point holds (year 2262 in nanoseconds): a token that never expires.
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 9e9) return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::seconds(static_cast<long long>(seconds)));
}

}  // namespace capstan::argocd
