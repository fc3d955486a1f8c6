#include "support/argocd_wire.h"

#include <set>
#include <vector>

#include "core/strings.h"

namespace capstan::testing {
namespace {

using nlohmann::json;

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    out.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The value Argo CD's appFields accessor returns for `field`, or nullopt where it returns nil
// (the key is left out then). Go's zero values are reproduced: "" for strings, null for nil maps,
// pointers and zero metav1.Time.
std::optional<json> AllowListedValue(const json& app, const std::string& field) {
  auto at = [&](const json::json_pointer& p, const json& fallback) {
    return app.contains(p) ? app[p] : fallback;
  };
  const bool has_op_state = app.contains(json::json_pointer("/status/operationState"));
  if (field == "metadata.name") return at(json::json_pointer("/metadata/name"), "");
  if (field == "metadata.namespace") return at(json::json_pointer("/metadata/namespace"), "");
  if (field == "metadata.annotations") return at(json::json_pointer("/metadata/annotations"), {});
  if (field == "metadata.labels") return at(json::json_pointer("/metadata/labels"), {});
  if (field == "metadata.creationTimestamp") {
    return at(json::json_pointer("/metadata/creationTimestamp"), {});
  }
  if (field == "metadata.deletionTimestamp") {
    return at(json::json_pointer("/metadata/deletionTimestamp"), {});
  }
  if (field == "spec") return at(json::json_pointer("/spec"), json::object());
  if (field == "status.sourceHydrator") {
    return at(json::json_pointer("/status/sourceHydrator"), json::object());
  }
  if (field == "status.sync.status") return at(json::json_pointer("/status/sync/status"), "");
  if (field == "status.health") return at(json::json_pointer("/status/health"), json::object());
  if (field == "status.summary") return at(json::json_pointer("/status/summary"), json::object());
  if (field == "status.operationState.startedAt") {
    if (!has_op_state) return std::nullopt;
    return at(json::json_pointer("/status/operationState/startedAt"), {});
  }
  if (field == "status.operationState.finishedAt") {
    if (!has_op_state) return std::nullopt;
    return at(json::json_pointer("/status/operationState/finishedAt"), {});
  }
  if (field == "status.operationState.phase") {
    if (!has_op_state) return std::nullopt;
    return at(json::json_pointer("/status/operationState/phase"), "");
  }
  if (field == "status.operationState.operation.sync") {
    if (!has_op_state) return std::nullopt;
    return at(json::json_pointer("/status/operationState/syncResult"), {});
  }
  if (field == "status.resources") {
    const json resources = at(json::json_pointer("/status/resources"), json::array());
    if (!resources.is_array() || resources.empty()) return std::nullopt;
    return resources;
  }
  if (field == "operation.sync") {
    if (!app.contains("operation")) return std::nullopt;
    return at(json::json_pointer("/operation/sync"), {});
  }
  return std::nullopt;
}

const std::vector<std::string>& AllowList() {
  static const std::vector<std::string> kFields = {"metadata.name",
                                                   "metadata.namespace",
                                                   "metadata.annotations",
                                                   "metadata.labels",
                                                   "metadata.creationTimestamp",
                                                   "metadata.deletionTimestamp",
                                                   "spec",
                                                   "status.sourceHydrator",
                                                   "status.sync.status",
                                                   "status.health",
                                                   "status.summary",
                                                   "status.operationState.startedAt",
                                                   "status.operationState.finishedAt",
                                                   "status.resources",
                                                   "operation.sync",
                                                   "status.operationState.phase",
                                                   "status.operationState.operation.sync"};
  return kFields;
}

void TrimItem(json& item, const std::string& path, const std::set<std::string>& fields,
              bool exclude) {
  if (item.is_array()) {
    for (json& element : item) TrimItem(element, path, fields, exclude);
    return;
  }
  if (!item.is_object()) return;
  for (auto it = item.begin(); it != item.end();) {
    const std::string key_path = path.empty() ? it.key() : path + "." + it.key();
    const bool listed = fields.count(key_path) > 0;
    bool prefix_of_listed = listed;
    for (const std::string& f : fields) {
      if (!prefix_of_listed && f.rfind(key_path, 0) == 0) prefix_of_listed = true;
    }
    const bool keep = exclude ? !listed : prefix_of_listed;
    if (!keep) {
      it = item.erase(it);
      continue;
    }
    if (!listed) TrimItem(it.value(), key_path, fields, exclude);
    ++it;
  }
}

struct Requirement {
  std::string key;
  std::string op;  // "exists", "!exists", "=", "!=", "in", "notin"
  std::set<std::string> values;
};

}  // namespace

int HttpStatusForGrpcCode(int code) {
  switch (code) {
    case 0:
      return 200;
    case 1:
      return 408;
    case 3:
    case 9:
    case 11:
      return 400;
    case 4:
      return 504;
    case 5:
      return 404;
    case 6:
    case 10:
      return 409;
    case 7:
      return 403;
    case 8:
      return 429;
    case 12:
      return 501;
    case 14:
      return 503;
    case 16:
      return 401;
    default:
      return 500;
  }
}

int GrpcCodeForHttpStatus(int status) {
  switch (status) {
    case 400:
      return kGrpcInvalidArgument;
    case 401:
      return kGrpcUnauthenticated;
    case 403:
      return kGrpcPermissionDenied;
    case 404:
      return kGrpcNotFound;
    case 501:
      return kGrpcUnimplemented;
    case 503:
      return kGrpcUnavailable;
    case 504:
      return kGrpcDeadlineExceeded;
    default:
      return kGrpcUnknown;
  }
}

std::string HttpStatusText(int status) {
  static const std::map<int, std::string> kText = {{200, "OK"},
                                                   {400, "Bad Request"},
                                                   {401, "Unauthorized"},
                                                   {403, "Forbidden"},
                                                   {404, "Not Found"},
                                                   {408, "Request Timeout"},
                                                   {409, "Conflict"},
                                                   {415, "Unsupported Media Type"},
                                                   {429, "Too Many Requests"},
                                                   {500, "Internal Server Error"},
                                                   {501, "Not Implemented"},
                                                   {502, "Bad Gateway"},
                                                   {503, "Service Unavailable"},
                                                   {504, "Gateway Timeout"}};
  auto found = kText.find(status);
  return found == kText.end() ? "" : found->second;
}

// Built by hand to keep Go's field order (nlohmann sorts keys).
std::string GatewayErrorBody(int grpc_code, std::string_view message) {
  const std::string quoted = json(message).dump();
  return "{\"error\":" + quoted + ",\"code\":" + std::to_string(grpc_code) +
         ",\"message\":" + quoted + "}";
}

std::string SseFrame(std::string_view json_text) {
  return "data: " + std::string(json_text) + " \n\n";
}

std::string StreamErrorJson(int grpc_code, std::string_view message) {
  const int status = HttpStatusForGrpcCode(grpc_code);
  return "{\"error\":{\"grpc_code\":" + std::to_string(grpc_code) +
         ",\"http_code\":" + std::to_string(status) + ",\"message\":" + json(message).dump() +
         ",\"http_status\":" + json(HttpStatusText(status)).dump() + "}}";
}

nlohmann::json TrimListFields(const nlohmann::json& list, std::string_view fields) {
  if (fields.empty()) return list;
  bool exclude = false;
  if (fields.front() == '-') {
    exclude = true;
    fields.remove_prefix(1);
  }
  std::set<std::string> wanted;
  for (std::string& f : SplitComma(fields)) wanted.insert(std::move(f));
  json items = json::array();
  for (const json& app : list.value("items", json::array())) {
    json converted = json::object();
    for (const std::string& field : AllowList()) {
      if ((wanted.count("items." + field) > 0) == exclude) continue;
      std::optional<json> value = AllowListedValue(app, field);
      if (!value) continue;
      json* node = &converted;
      size_t start = 0;
      for (size_t dot = field.find('.'); dot != std::string::npos; dot = field.find('.', start)) {
        node = &(*node)[field.substr(start, dot - start)];
        start = dot + 1;
      }
      (*node)[field.substr(start)] = std::move(*value);
    }
    items.push_back(std::move(converted));
  }
  return json{{"metadata", list.value("metadata", json::object())}, {"items", std::move(items)}};
}

nlohmann::json TrimStreamFields(const nlohmann::json& message, std::string_view fields) {
  if (fields.empty()) return message;
  bool exclude = false;
  if (fields.front() == '-') {
    exclude = true;
    fields.remove_prefix(1);
  }
  std::set<std::string> wanted;
  for (std::string& f : SplitComma(fields)) wanted.insert(std::move(f));
  json out = message;
  TrimItem(out, "", wanted, exclude);
  return out;
}

std::optional<bool> MatchLabelSelector(std::string_view selector,
                                       const std::map<std::string, std::string>& labels,
                                       std::string* error) {
  std::vector<Requirement> requirements;
  // Split on commas outside parentheses.
  std::vector<std::string> parts;
  int depth = 0;
  std::string current;
  for (char c : selector) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  for (const std::string& raw : parts) {
    std::string part(Trim(raw));
    if (part.empty()) {
      if (Trim(selector).empty()) continue;
      *error = "unable to parse requirement: found '', expected: identifier";
      return std::nullopt;
    }
    Requirement r;
    size_t pos;
    if (part[0] == '!') {
      r.key = std::string(Trim(std::string_view(part).substr(1)));
      r.op = "!exists";
    } else if ((pos = part.find("!=")) != std::string::npos) {
      r.key = std::string(Trim(std::string_view(part).substr(0, pos)));
      r.op = "!=";
      r.values.insert(std::string(Trim(std::string_view(part).substr(pos + 2))));
    } else if ((pos = part.find('=')) != std::string::npos) {
      r.key = std::string(Trim(std::string_view(part).substr(0, pos)));
      r.op = "=";
      size_t value_at = part.compare(pos, 2, "==") == 0 ? pos + 2 : pos + 1;
      r.values.insert(std::string(Trim(std::string_view(part).substr(value_at))));
    } else if ((pos = part.find(" notin ")) != std::string::npos ||
               (pos = part.find(" in ")) != std::string::npos) {
      const bool notin = part.compare(pos, 7, " notin ") == 0;
      r.key = std::string(Trim(std::string_view(part).substr(0, pos)));
      r.op = notin ? "notin" : "in";
      std::string_view list = Trim(std::string_view(part).substr(pos + (notin ? 7 : 4)));
      if (list.size() < 2 || list.front() != '(' || list.back() != ')') {
        *error = "unable to parse requirement: found '" + std::string(list) + "', expected: '('";
        return std::nullopt;
      }
      for (std::string& v : SplitComma(list.substr(1, list.size() - 2))) {
        r.values.insert(std::string(Trim(v)));
      }
    } else {
      r.key = part;
      r.op = "exists";
    }
    if (r.key.empty() || r.key.find(' ') != std::string::npos) {
      *error = "unable to parse requirement: invalid label key " + QuoteForMessage(r.key);
      return std::nullopt;
    }
    requirements.push_back(std::move(r));
  }
  for (const Requirement& r : requirements) {
    auto found = labels.find(r.key);
    const bool has = found != labels.end();
    bool ok = true;
    if (r.op == "exists") ok = has;
    if (r.op == "!exists") ok = !has;
    if (r.op == "=" || r.op == "in") ok = has && r.values.count(found->second) > 0;
    if (r.op == "!=" || r.op == "notin") ok = !has || r.values.count(found->second) == 0;
    if (!ok) return false;
  }
  return true;
}

std::optional<std::chrono::milliseconds> ParseGrpcTimeout(std::string_view value) {
  if (value.size() < 2 || value.size() > 9) return std::nullopt;
  long long n = 0;
  for (char c : value.substr(0, value.size() - 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  using std::chrono::milliseconds;
  switch (value.back()) {
    case 'H':
      return milliseconds(n * 3600 * 1000);
    case 'M':
      return milliseconds(n * 60 * 1000);
    case 'S':
      return milliseconds(n * 1000);
    case 'm':
      return milliseconds(n);
    case 'u':
      return milliseconds(n / 1000);
    case 'n':
      return milliseconds(n / 1000000);
    default:
      return std::nullopt;
  }
}

}  // namespace capstan::testing
