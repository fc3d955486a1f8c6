// Wire details of Argo CD's API server (its grpc-gateway v1 front end) that the fake Argo CD
// (support/fake_argocd.h) reproduces, each read from Argo CD's server code and kept here so a test
// can build the same bytes: error bodies, status codes, server-sent-event frames, the two `fields=`
// trimming rules, label selectors and the Grpc-Timeout header.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace capstan::testing {

// gRPC status codes the fake answers with.
enum GrpcCode : int {
  kGrpcUnknown = 2,
  kGrpcInvalidArgument = 3,
  kGrpcDeadlineExceeded = 4,
  kGrpcNotFound = 5,
  kGrpcPermissionDenied = 7,
  kGrpcFailedPrecondition = 9,
  kGrpcUnimplemented = 12,
  kGrpcInternal = 13,
  kGrpcUnavailable = 14,
  kGrpcUnauthenticated = 16,
};

// The HTTP status grpc-gateway v1 answers for a gRPC code (runtime.HTTPStatusFromCode):
// InvalidArgument, FailedPrecondition, OutOfRange 400; Unauthenticated 401; PermissionDenied 403;
// NotFound 404; AlreadyExists, Aborted 409; ResourceExhausted 429; Canceled 408; Unknown,
// Internal, DataLoss 500; Unimplemented 501; Unavailable 503; DeadlineExceeded 504.
int HttpStatusForGrpcCode(int code);

// The gateway's error body: {"error":message,"code":code,"message":message} (the `details` array
// is omitted when empty, as Go's encoding/json does).
std::string GatewayErrorBody(int grpc_code, std::string_view message);

// The gRPC code grpc-gateway would give an HTTP status (for injected faults without a body):
// 400 InvalidArgument, 401 Unauthenticated, 403 PermissionDenied, 404 NotFound, 501
// Unimplemented, 503 Unavailable, 504 DeadlineExceeded, anything else Unknown.
int GrpcCodeForHttpStatus(int status);

// The standard reason phrase ("Service Unavailable"); "" for an unknown status.
std::string HttpStatusText(int status);

// One server-sent-event frame as Argo CD's stream forwarder writes it: "data: <json> \n\n" (the
// space before the newlines is Argo CD's).
std::string SseFrame(std::string_view json);

// The keepalive Argo CD writes every 15 s on an idle stream: ":\n".
inline constexpr std::string_view kSseKeepalive = ":\n";

// The frame that ends a stream on error: {"error":{"grpc_code":c,"http_code":h,"message":m,
// "http_status":"<reason>"}} (grpc-gateway's runtimeStreamError), as JSON without SSE framing.
std::string StreamErrorJson(int grpc_code, std::string_view message);

// `fields=` on the list endpoint (ApplicationService_List's forwarder): a comma-separated set of
// "items.<path>" names, or "-" then names to exclude. Only paths in Argo CD's allow-list are ever
// kept (metadata.name, metadata.namespace, metadata.annotations, metadata.labels,
// metadata.creationTimestamp, metadata.deletionTimestamp, spec, status.sourceHydrator,
// status.sync.status, status.health, status.summary, status.operationState.startedAt,
// status.operationState.finishedAt, status.operationState.phase, status.resources,
// operation.sync, and status.operationState.operation.sync, which Argo CD fills with the sync
// RESULT); anything else, e.g. items.status.sync.revision, is silently dropped. Returns
// {"metadata": list.metadata, "items": [trimmed items]} (no kind/apiVersion). An empty `fields`
// returns list unchanged.
nlohmann::json TrimListFields(const nlohmann::json& list, std::string_view fields);

// `fields=` on a streamed message (argoproj/pkg grpc/http forwarders), applied to the whole
// message {"result":{"type":...,"application":{...}}}: names are full dotted paths
// ("result.application.status.health"). A key is kept when its path is listed or is a string
// prefix of a listed path (a plain prefix test, as Argo CD's: listing
// "result.application.metadata.namespace" also keeps "result.application.metadata.name"); kept
// keys whose own path is not listed are trimmed recursively (arrays element by element). With a
// leading "-", listed paths are removed and everything else kept. An empty `fields` keeps
// everything.
nlohmann::json TrimStreamFields(const nlohmann::json& message, std::string_view fields);

// Kubernetes label selectors as Argo CD parses `selector=`: comma-separated requirements
// `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`.
// nullopt with *error set for a selector it cannot parse; otherwise whether labels match.
std::optional<bool> MatchLabelSelector(std::string_view selector,
                                       const std::map<std::string, std::string>& labels,
                                       std::string* error);

// A Grpc-Timeout header value ("30S", "500m", "2M": 1 to 8 digits, then H, M, S, m, u or n), or
// nullopt when malformed (the gateway answers 400 then).
std::optional<std::chrono::milliseconds> ParseGrpcTimeout(std::string_view value);

}  // namespace capstan::testing
