// Argo CD's published API description (swagger 2.0, ../shared/data/argocd/swagger.json) as a
// request checker for the fake Argo CD server (support/fake_argocd.h): does a request use a
// declared path and method, declared query parameter names with the right shapes, and a JSON body
// whose field names and types exist in the operation's body definition?
//
// The description is generated from the protobuf files and misses or misstates a few wire facts of
// the real server; the checker applies these corrections (each read from Argo CD's server code):
// - `fields` is a query parameter of List, Get, Watch (the stream), ManagedResources and
//   WatchResourceTree: Argo CD's response forwarders read it. (On Get it is accepted and ignored.)
// - `appNamespace` and `project` are already declared where the server reads them from the query
//   (list, get, stream, terminate, resource-tree, syncwindows...); Sync reads them from the body
//   only (its route takes the whole body, so any query parameter there is ignored by the gateway
//   and is reported here).
// - Bodies are decoded with Go's encoding/json (Argo CD's gateway marshaler), not protojson:
//   int64 / uint64 fields (swagger "type": "string" or "integer" with that format, e.g.
//   `sourcePositions`, `retryStrategy.limit`) must be JSON integer numbers; null is accepted for
//   any field; unknown field names are silently dropped by the server, so they are reported here.
// - `strategy.hook` embeds SyncStrategyApply inline: its wire form is {"force": bool}, not the
//   {"syncStrategyApply": {...}} the description shows (which the server would ignore).
// - A definition's "allOf" entries (v1alpha1ResourceNode embeds v1alpha1ResourceRef) add their
//   properties.
//
// Messages are one line, naming the JSON path: "body field 'syncOptions.item' is not declared in
// applicationSyncOptions".
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::testing {

// The operation a request was matched to.
struct SwaggerOperation {
  std::string method;                              // lowercase, as in the description: "post"
  std::string path_template;                       // "/api/v1/applications/{name}/sync"
  std::string operation_id;                        // "ApplicationService_Sync"
  std::map<std::string, std::string> path_params;  // "name" -> "web"
  const nlohmann::json* spec = nullptr;            // the operation object; owned by ArgoSwagger
};

class ArgoSwagger {
 public:
  // Reads the description at path. Fails the test (Catch2 FAIL) when it cannot be read or is not
  // a swagger 2.0 document with paths and definitions.
  explicit ArgoSwagger(const std::string& path);

  // The description at CAPSTAN_SHARED_DIR/data/argocd/swagger.json, read once per process.
  // REQUIRES: RequireSharedData("data/argocd/swagger.json") answered true.
  static const ArgoSwagger& Shared();

  // The operation serving `method` (any case) on `path` (decoded, without the query). A path
  // segment matches a template's literal segment exactly or a `{param}` segment when not empty;
  // among templates declaring the method, the one with the most literal segments wins, as the
  // gateway routes. nullopt with *problem set when no template matches ("no path template
  // matches '/api/v1/aplications'") or none of the matching ones declares the method ("method PUT
  // is not declared for /api/v1/applications/{name}/sync (declared: POST)").
  std::optional<SwaggerOperation> Match(std::string_view method, std::string_view path,
                                        std::string* problem) const;

  // Problems with the query parameters (name -> value, one entry per occurrence): a name the
  // operation does not declare in "query" (with the corrections above), a repeated parameter that
  // is not an array, a boolean that Go's strconv.ParseBool rejects, an integer that is not one.
  std::vector<std::string> CheckQuery(const SwaggerOperation& op,
                                      const std::multimap<std::string, std::string>& query) const;

  // Problems with a request body: not JSON, not matching the operation's "in": "body" schema
  // (checked with CheckValue), or present for an operation that declares no body. An empty body
  // is fine when the operation declares none.
  std::vector<std::string> CheckBody(const SwaggerOperation& op, std::string_view body) const;

  // Problems with value against the definition named `definition` ("v1alpha1Application"),
  // recursively through $ref, items, additionalProperties and allOf. Reports unknown property
  // names and wrong JSON types (with the int64 and null rules above); does not check required
  // fields, enums or string formats. `where` prefixes each message ("body", "response").
  // REQUIRES: the definition exists (FAILs the test otherwise).
  std::vector<std::string> CheckValue(const nlohmann::json& value, std::string_view definition,
                                      std::string_view where = "body") const;

  const nlohmann::json& document() const { return doc_; }

 private:
  void CheckSchema(const nlohmann::json& value, const nlohmann::json& schema,
                   const std::string& path, std::string_view where, int depth,
                   std::vector<std::string>& problems) const;
  void CheckObject(const nlohmann::json& value, const nlohmann::json& schema,
                   const std::string& definition, const std::string& path, std::string_view where,
                   int depth, std::vector<std::string>& problems) const;
  const nlohmann::json& Definition(std::string_view name) const;

  nlohmann::json doc_;
  nlohmann::json overrides_;  // definition name -> replacement schema (the wire corrections)
};

}  // namespace capstan::testing
