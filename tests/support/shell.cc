#include "support/shell.h"

#include <stdio.h>
#include <sys/wait.h>

namespace capstan::testing {

ShellResult RunShell(const std::string& dir, const std::string& script) {
  std::string cmd =
      "cd " + ShellQuote(dir) +
      " && { export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=t "
      "GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com "
      "GIT_AUTHOR_DATE='2024-01-01T00:00:00Z' GIT_COMMITTER_DATE='2024-01-01T00:00:00Z'\n" +
      script + "\n} </dev/null 2>&1";
  ShellResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  int rc = ::pclose(pipe);
  if (rc != -1 && WIFEXITED(rc)) r.exit_code = WEXITSTATUS(rc);
  return r;
}

}  // namespace capstan::testing
