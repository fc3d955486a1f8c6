// ReadApplicationJson and friends: the field walk of application_reader.h over nlohmann::json.
#include <limits>
#include <nlohmann/json.hpp>

#include "argocd/application.h"
#include "argocd/application_reader.h"

namespace capstan::argocd {
namespace {

using Json = nlohmann::json;

// The View of application_reader.h over API JSON; a null pointer is a missing node.
class JsonView {
 public:
  explicit JsonView(const Json* j) : j_(j) {}

  JsonView Get(std::string_view key) const {
    if (j_ == nullptr || !j_->is_object()) return JsonView(nullptr);
    auto it = j_->find(std::string(key));
    return JsonView(it == j_->end() ? nullptr : &*it);
  }
  bool Exists() const { return j_ != nullptr; }
  bool IsMapping() const { return j_ != nullptr && j_->is_object(); }
  bool IsSequence() const { return j_ != nullptr && j_->is_array(); }
  yaml::NodeId node() const { return yaml::kNoNode; }

  std::optional<std::string> Text() const {
    if (j_ == nullptr || !j_->is_string()) return std::nullopt;
    return j_->get<std::string>();
  }
  std::optional<bool> Bool() const {
    if (j_ == nullptr || !j_->is_boolean()) return std::nullopt;
    return j_->get<bool>();
  }
  // Numbers, and int64 fields written as strings (protobuf's JSON form).
  std::optional<std::int64_t> Int() const {
    if (j_ == nullptr) return std::nullopt;
    if (j_->is_number_unsigned()) {
      auto u = j_->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
      return static_cast<std::int64_t>(u);
    }
    if (j_->is_number_integer()) return j_->get<std::int64_t>();
    if (j_->is_string()) return internal::ParseInt64(j_->get_ref<const std::string&>());
    return std::nullopt;
  }

  template <typename Fn>
  void ForEachItem(Fn fn) const {
    if (!IsSequence()) return;
    for (const Json& item : *j_) fn(JsonView(&item));
  }
  template <typename Fn>
  void ForEachEntry(Fn fn) const {
    if (!IsMapping()) return;
    for (auto it = j_->begin(); it != j_->end(); ++it)
      fn(it.key(), JsonView(&it.value()), yaml::kNoNode, yaml::kNoNode);
  }

 private:
  const Json* j_;
};

// Whether j is an object that names no kind or this one.
bool IsObjectOfKind(const Json& j, std::string_view kind) {
  if (!j.is_object()) return false;
  std::optional<std::string> k = JsonView(&j).Get("kind").Text();
  return !k || k->empty() || *k == kind;
}

}  // namespace

std::optional<Application> ReadApplicationJson(const Json& j) {
  if (!IsObjectOfKind(j, "Application")) return std::nullopt;
  JsonView root(&j);
  Application app;
  app.api_version = internal::TextAt(root, "apiVersion");
  internal::ReadApplicationFields(root, app);
  return app;
}

Result<std::vector<Application>> ReadApplicationList(std::string_view body) {
  Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::ParseError("application list: the response is not JSON");
  if (!j.is_object()) return Status::ParseError("application list: the response is not an object");
  std::vector<Application> apps;
  auto items = j.find("items");
  if (items == j.end() || items->is_null()) return apps;
  if (!items->is_array()) return Status::ParseError("application list: 'items' is not an array");
  apps.reserve(items->size());
  for (const Json& item : *items)
    if (std::optional<Application> app = ReadApplicationJson(item)) apps.push_back(std::move(*app));
  return apps;
}

std::optional<ApplicationSet> ReadApplicationSetJson(const Json& j) {
  if (!IsObjectOfKind(j, "ApplicationSet")) return std::nullopt;
  JsonView root(&j);
  ApplicationSet set;
  set.api_version = internal::TextAt(root, "apiVersion");
  internal::ReadApplicationSetFields(root, set);
  return set;
}

}  // namespace capstan::argocd
