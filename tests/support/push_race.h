// Losing a push race on purpose, for tests of the re-apply path: a real server-side hook makes
// someone else's commit land on the remote just before ours is checked, so the server refuses
// ours as stale exactly as in a race with a person pushing a moment earlier.
#pragma once

#include <string>

namespace capstan::testing {

// Installs a pre-receive hook in the bare repository `bare` that, on its first run only, runs
// `edit` (a /bin/sh script) in a clone of bare made now at <scratch>/other on main, commits
// every change it made as Human <h@example.com> with `message` (no single quotes), and pushes
// that to main. The push the hook runs for is then refused as stale; later pushes go through
// (their pre-receive does nothing). Hooks run only when pushes go through a server (git daemon,
// http-backend, sshd), never over libgit2's in-process file:// transport. Fails the test when
// the clone or the hook cannot be made.
// REQUIRES: scratch exists and outlives the pushes; the branch is main.
void RaceNextPush(const std::string& bare, const std::string& scratch, const std::string& edit,
                  const std::string& message);

}  // namespace capstan::testing
