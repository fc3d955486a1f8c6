// The Git push event capstan-sync sends to a webhook receiver instead of calling a CD tool's
// API: Argo CD's /api/webhook and Flux's `github` Receiver both read GitHub's push payload. The
// body is built here; signing and sending it are the caller's (it owns the secret and the HTTP
// client).
#pragma once

#include <string>
#include <vector>

namespace capstan::argocd {

struct PushEvent {
  std::string ref;             // "refs/heads/main"
  std::string before;          // full SHA of the branch before the change
  std::string after;           // full SHA after it
  std::string repository_url;  // the repository's web URL, as Argo CD matches it to repoURLs
  std::string default_branch;  // "main": Argo CD refreshes HEAD-tracking apps only when the
                               // pushed branch is this one
  // Repository-relative paths, as `commits[].added/modified/removed` (a rename is a removal of
  // the old path and an addition of the new).
  std::vector<std::string> added;
  std::vector<std::string> modified;
  std::vector<std::string> removed;
};

// The JSON body of a GitHub `push` event (sent with header `X-GitHub-Event: push`) carrying
// what Argo CD's and Flux's receivers read: ref, before, after, repository.html_url (also url
// and clone_url), repository.default_branch, and one commit (id = after) listing every changed
// path. Compact, deterministic (the same event gives the same bytes, so its signature can be
// checked).
std::string GithubPushPayload(const PushEvent& event);

}  // namespace capstan::argocd
