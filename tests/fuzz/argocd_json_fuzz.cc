// libFuzzer target: Applications as capstan-sync reads them: from Argo CD API JSON (a list
// body, one application, a stream event's result) and from YAML manifests in the repository.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "argocd/application.h"
#include "fuzz_support.h"
#include "yaml/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = capstan::fuzz::AsText(data, size);
  (void)capstan::argocd::ReadApplicationList(text);
  for (const auto& doc : capstan::yaml::Parse(text).documents)
    (void)capstan::argocd::ReadApplication(doc);
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return 0;
  (void)capstan::argocd::ReadApplicationJson(json);
  if (json.is_object() && json.contains("result") && json["result"].is_object())
    (void)capstan::argocd::ReadApplicationJson(
        json["result"].value("application", nlohmann::json()));
  return 0;
}
