#include "support/argocd_client.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <vector>

namespace capstan::testing {
namespace {

ArgoReply Convert(const httplib::Result& result) {
  ArgoReply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.body = result->body;
  reply.content_type = result->get_header_value("Content-Type");
  return reply;
}

httplib::Client MakeClient(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(20, 0);
  return client;
}

}  // namespace

nlohmann::json ArgoReply::Json() const {
  nlohmann::json value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) FAIL("not JSON (status " << status << "): " << body);
  return value;
}

ArgoClient::ArgoClient(int port, std::string token) : port_(port), token_(std::move(token)) {}

ArgoReply ArgoClient::Get(const std::string& path_and_query,
                          const std::map<std::string, std::string>& headers) const {
  httplib::Headers h(headers.begin(), headers.end());
  if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
  return Convert(MakeClient(port_).Get(path_and_query.c_str(), h));
}

ArgoReply ArgoClient::Post(const std::string& path, const std::string& body,
                           const std::string& content_type) const {
  httplib::Headers h;
  if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
  return Convert(MakeClient(port_).Post(path.c_str(), h, body, content_type.c_str()));
}

ArgoReply ArgoClient::Delete(const std::string& path, const std::string& content_type) const {
  httplib::Headers h;
  if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
  if (!content_type.empty()) h.emplace("Content-Type", content_type);
  return Convert(MakeClient(port_).Delete(path.c_str(), h));
}

ArgoStreamRead ArgoClient::Stream(const std::string& path_and_query,
                                  const std::function<bool(const std::string&)>& enough,
                                  const std::string& accept) const {
  httplib::Headers h = {{"Accept", accept}};
  if (!token_.empty()) h.emplace("Authorization", "Bearer " + token_);
  ArgoStreamRead read;
  bool stopped = false;
  httplib::Client client = MakeClient(port_);
  httplib::Result result = client.Get(
      path_and_query.c_str(), h,
      [&](const httplib::Response& response) {
        read.status = response.status;
        read.content_type = response.get_header_value("Content-Type");
        return true;
      },
      [&](const char* data, size_t length) {
        read.text.append(data, length);
        stopped = enough(read.text);
        return !stopped;
      });
  if (result) {
    read.status = result->status;
    read.ended = true;
  } else if (!stopped) {
    read.broken = true;
  }
  return read;
}

std::vector<nlohmann::json> SseData(const std::string& text) {
  std::vector<nlohmann::json> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    if (line.rfind("data: ", 0) == 0) {
      out.push_back(nlohmann::json::parse(line.substr(6), nullptr, /*allow_exceptions=*/false));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace capstan::testing
