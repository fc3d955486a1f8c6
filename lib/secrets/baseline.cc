#include "secrets/baseline.h"

#include <nlohmann/json.hpp>

#include "core/sha256.h"

namespace capstan::secrets {
namespace {

bool IsHex(std::string_view s, std::size_t length) {
  if (s.size() != length) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Status Invalid(const std::string& message) { return Status(StatusCode::kInvalidArgument, message); }

}  // namespace

Result<Baseline> Baseline::Parse(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Invalid("not a capstan baseline: not valid JSON");
  if (!j.is_object() || !j.contains("capstan_baseline"))
    return Invalid("not a capstan baseline: no \"capstan_baseline\" key");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "capstan_baseline" && it.key() != "salt" && it.key() != "findings")
      return Invalid("unknown key \"" + it.key() + "\"");
  if (j["capstan_baseline"] != 1) return Invalid("unsupported baseline version (expected 1)");
  if (!j.contains("salt") || !j["salt"].is_string() || !IsHex(j["salt"].get<std::string>(), 32))
    return Invalid("\"salt\" must be 32 lowercase hex digits");
  Baseline b(j["salt"].get<std::string>());
  if (!j.contains("findings") || !j["findings"].is_array())
    return Invalid("\"findings\" must be an array");
  std::size_t index = 0;
  for (const auto& e : j["findings"]) {
    std::string where = "findings[" + std::to_string(index++) + "]";
    if (!e.is_object()) return Invalid(where + " must be an object");
    for (auto it = e.begin(); it != e.end(); ++it)
      if (it.key() != "rule" && it.key() != "file" && it.key() != "hash")
        return Invalid(where + ": unknown key \"" + it.key() + "\"");
    for (const char* k : {"rule", "file", "hash"})
      if (!e.contains(k) || !e[k].is_string())
        return Invalid(where + ": \"" + k + "\" must be a string");
    if (!IsHex(e["hash"].get<std::string>(), 64))
      return Invalid(where + ": \"hash\" must be 64 lowercase hex digits");
    b.Add(
        {e["rule"].get<std::string>(), e["file"].get<std::string>(), e["hash"].get<std::string>()});
  }
  return b;
}

BaselineEntry Baseline::EntryFor(std::string_view rule, std::string_view file,
                                 std::string_view digest) const {
  Sha256 h;
  const std::string_view nul("\0", 1);
  h.Update(salt_);
  h.Update(nul);
  h.Update(rule);
  h.Update(nul);
  h.Update(file);
  h.Update(nul);
  h.Update(digest);
  return {std::string(rule), std::string(file), DigestHex(h.Finish())};
}

std::string Baseline::Serialize() const {
  std::string out = "{\"capstan_baseline\": 1, \"salt\": \"" + salt_ + "\", \"findings\": [";
  bool first = true;
  for (const BaselineEntry& e : entries_) {
    out += first ? "\n  " : ",\n  ";
    first = false;
    nlohmann::ordered_json item{{"rule", e.rule}, {"file", e.file}, {"hash", e.hash}};
    out += item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  out += first ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace capstan::secrets
