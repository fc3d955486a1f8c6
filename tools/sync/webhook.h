// capstan-sync without an API token: announce the change as a signed GitHub push event to Argo
// CD's /api/webhook (--webhook) or to a Flux Receiver (--flux-receiver), and, for Flux with
// --kubeconfig, wait on the Kustomization.
#pragma once

#include "core/env.h"
#include "report/finding.h"
#include "sync/options.h"

namespace capstan::tools::sync {

struct WebhookResult {
  int exit_code = 0;
  std::vector<report::Deployment> deployments;
  std::vector<report::Finding> findings;
};

// REQUIRES: settings.webhook or settings.flux.receiver_url is set, with --repo and --changed.
// `http` sends the event (retrying); `transport`, when not null, replaces the Kubernetes API's
// own TLS client (tests).
WebhookResult SendWebhook(Env& env, const Settings& settings, HttpClient& http,
                          HttpClient* transport);

}  // namespace capstan::tools::sync
