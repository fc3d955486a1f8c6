// A fake Kubernetes API server for capstan-sync's Flux wait: cpp-httplib on 127.0.0.1 and an
// ephemeral port, serving GET of Flux Kustomizations (kustomize.toolkit.fluxcd.io v1, or
// v1beta2 for an old Flux), checking every request against what the real API requires and
// recording what it got wrong, over scripted Kustomizations whose status changes in fake time.
//
// Typical use:
//   ManualClock clock;                                    // also the tool's Env clock
//   FakeKube kube(clock, {.token = "kube-t0ken"});
//   kube.AddKustomization("flux-system", "apps", FakeKube::Ready("main@sha1:" + kOld));
//   kube.Then("flux-system", "apps", 10s, FakeKube::Progressing("main@sha1:" + kOld,
//                                                               "main@sha1:" + kNew));
//   kube.Then("flux-system", "apps", 20s, FakeKube::Ready("main@sha1:" + kNew));
//   ... poll kube.url() with "Authorization: Bearer kube-t0ken", sleeping on the clock ...
//   CHECK(kube.ViolationsText() == "");
//   CHECK(kube.Count() == 5);
//
// TIME. A Kustomization shows the last state whose time (`after`, from the clock's time when
// the fake was made) is not later than clock.Now() at the request; nothing moves by itself:
// the code under test sleeps on the clock, or the test advances it.
//
// Every request, in this order (as kube-apiserver):
//  - a method other than GET: 405 Status "MethodNotAllowed" and a violation;
//  - a path other than /apis/kustomize.toolkit.fluxcd.io/<version>/namespaces/<ns>/
//    kustomizations/<name>: 404 Status "the server could not find the requested resource"
//    (details without a name) and a violation; a <version> the fake does not serve (Options::
//    versions) gets the same 404 without a violation (it is how a client finds the version);
//    <ns> and <name> must be DNS-1123 names (violation otherwise);
//  - a query string: a violation (capstan sends none);
//  - `Accept` other than application/json (or "*/*", or absent, which the API treats as JSON):
//    a violation;
//  - `Authorization` not exactly "Bearer <options.token>": 401 Status "Unauthorized" (and a
//    violation when the header is missing or is not a bearer token);
//  - Forbid(ns, name): 403 Status 'kustomizations.kustomize.toolkit.fluxcd.io "<name>" is
//    forbidden: User "system:serviceaccount:ci:capstan" cannot get resource ...';
//  - an unknown Kustomization: 404 Status 'kustomizations.kustomize.toolkit.fluxcd.io "<name>"
//    not found' with details.name;
//  - else 200 and the object as the API returns it (apiVersion of the version asked for).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/manual_clock.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace capstan::testing {

// What a Kustomization reports at one time.
struct KustomizationState {
  std::int64_t generation = 1;
  std::int64_t observed_generation = 1;  // -1: status.observedGeneration absent
  bool suspend = false;
  std::string last_applied_revision;
  std::string last_attempted_revision;
  std::string ready = "True";  // the Ready condition's status; "" = no condition
  std::string reason = "ReconciliationSucceeded";
  std::string message;
};

struct KubeRequest {
  std::string method, path, query, authorization, accept;
};

class FakeKube {
 public:
  struct Options {
    std::string token = "kube-token";
    std::set<std::string> versions = {"v1", "v1beta2"};  // served API versions
  };

  FakeKube(ManualClock& clock, Options options);
  explicit FakeKube(ManualClock& clock) : FakeKube(clock, Options()) {}
  ~FakeKube();
  FakeKube(const FakeKube&) = delete;
  FakeKube& operator=(const FakeKube&) = delete;

  // "http://127.0.0.1:<port>" (plain HTTP: capstan allows it to loopback).
  std::string url() const;

  // Ready at revision (applied = attempted), "Applied revision: <revision>".
  static KustomizationState Ready(const std::string& revision);
  // Ready Unknown "Progressing" while attempting `attempted`, still at `applied`.
  static KustomizationState Progressing(const std::string& applied, const std::string& attempted);
  // Ready False with reason and message after attempting `attempted`.
  static KustomizationState Failed(const std::string& applied, const std::string& attempted,
                                   const std::string& reason, const std::string& message);

  void AddKustomization(const std::string& ns, const std::string& name, KustomizationState state);
  // From `after` past the fake's start time on, the Kustomization reports `state`. REQUIRES:
  // AddKustomization(ns, name) first; calls for one Kustomization in increasing `after`.
  void Then(const std::string& ns, const std::string& name, std::chrono::milliseconds after,
            KustomizationState state);
  // Answers 403 for this Kustomization from now on.
  void Forbid(const std::string& ns, const std::string& name);

  // The object as served now (v1).
  nlohmann::json Object(const std::string& ns, const std::string& name);

  std::vector<KubeRequest> Requests() const;
  int Count() const;
  std::vector<std::string> Violations() const;
  // For CHECK(kube.ViolationsText() == "") with a readable failure.
  std::string ViolationsText() const;

 private:
  struct Scripted {
    std::vector<std::pair<std::chrono::system_clock::time_point, KustomizationState>> states;
    bool forbidden = false;
  };
  void Handle(const httplib::Request& req, httplib::Response& res);
  void AddViolation(const std::string& message);
  nlohmann::json Render(const std::string& ns, const std::string& name, const Scripted& s,
                        const std::string& version);

  ManualClock& clock_;
  Options options_;
  std::chrono::system_clock::time_point start_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread listener_;

  mutable std::mutex mu_;
  std::map<std::string, Scripted> objects_;  // by "ns/name"
  std::vector<KubeRequest> requests_;
  std::vector<std::string> violations_;
};

}  // namespace capstan::testing
