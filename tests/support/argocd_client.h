// A plain HTTP client (cpp-httplib) for tests that talk to a FakeArgoCd directly, the way Argo
// CD's clients do: "Authorization: Bearer <token>" on every request, exactly
// "Content-Type: application/json" on non-GET requests unless told otherwise.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace capstan::testing {

struct ArgoReply {
  int status = 0;  // 0 when the request failed at the transport level
  std::string body;
  std::string content_type;
  // The body as JSON; fails the test when it is not JSON.
  nlohmann::json Json() const;
};

// What a stream read received.
struct ArgoStreamRead {
  int status = 0;
  std::string content_type;
  std::string text;     // everything received, frames and keepalives
  bool ended = false;   // the server ended the response cleanly (final chunk)
  bool broken = false;  // the connection broke before the end (a dropped stream)
};

class ArgoClient {
 public:
  // token "" sends no Authorization header.
  ArgoClient(int port, std::string token);

  ArgoReply Get(const std::string& path_and_query,
                const std::map<std::string, std::string>& headers = {}) const;
  ArgoReply Post(const std::string& path, const std::string& body,
                 const std::string& content_type = "application/json") const;
  // content_type "" sends no Content-Type header.
  ArgoReply Delete(const std::string& path,
                   const std::string& content_type = "application/json") const;

  // GETs path_and_query with "Accept: accept" and reads the response as it arrives, until
  // `enough(text so far)` answers true (then closes the connection) or the response ends.
  ArgoStreamRead Stream(const std::string& path_and_query,
                        const std::function<bool(const std::string&)>& enough,
                        const std::string& accept = "text/event-stream") const;

 private:
  int port_;
  std::string token_;
};

// The JSON payloads of the "data: " lines in SSE text, in order (keepalives left out).
std::vector<nlohmann::json> SseData(const std::string& text);

}  // namespace capstan::testing
