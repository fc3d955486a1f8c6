// capstan: `capstan <tool> ARGS` runs `capstan-<tool> ARGS` (the binary next to this one, else
// the one on PATH), so every tool is reachable through one command.
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/exit_code.h"

namespace {

struct Tool {
  std::string_view name;
  std::string_view summary;
};

constexpr Tool kTools[] = {
    {"validate", "validate Kubernetes, Argo CD and Kustomize manifests (syntax, schema)"},
    {"scan", "block plaintext secrets (Secrets, SOPS, generators, credentials in any file)"},
    {"bump", "set an image tag/digest where the repo names it, commit and push it (never forced)"},
    {"watch",
     "watch registries for new tags the policies allow and commit them back (one commit per "
     "cycle)"},
    {"sync",
     "deploy one commit through Argo CD (or a webhook, a Flux receiver) and wait until it is "
     "healthy"},
    {"hooks", "install, update or remove capstan's git pre-commit and pre-push hooks"},
    {"semver", "list the versions a semver range admits (Argo CD Image Updater, Flux syntax)"},
};

void PrintHelp(std::ostream& out) {
  out << "usage: capstan <tool> [ARGS...]\n\n"
         "capstan keeps GitOps configuration repositories safe and moving.\n"
         "`capstan <tool> ARGS` runs `capstan-<tool> ARGS`; `capstan <tool> --help` explains "
         "one.\n\n"
         "tools:\n";
  for (const auto& t : kTools)
    out << "  " << t.name << std::string(12 - t.name.size(), ' ') << t.summary << "\n";
  out << "\n" << capstan::kExitCodeHelp;
}

std::string SelfDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintHelp(std::cerr);
    return capstan::kExitUsage;
  }
  std::string_view first = argv[1];
  if (first == "-h" || first == "--help" || first == "help") {
    PrintHelp(std::cout);
    return capstan::kExitClean;
  }
  if (first == "--version") {
    std::cout << "capstan " << CAPSTAN_VERSION << "\n";
    return capstan::kExitClean;
  }
  bool known = false;
  for (const auto& t : kTools) known = known || t.name == first;
  if (!known) {
    std::cerr << "capstan: error: unknown tool '" << first
              << "'\nrun 'capstan --help' for the list\n";
    return capstan::kExitUsage;
  }
  std::string binary = "capstan-" + std::string(first);
  std::vector<char*> args;
  args.push_back(binary.data());
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  std::string beside = SelfDir() + "/" + binary;
  if (::access(beside.c_str(), X_OK) == 0) ::execv(beside.c_str(), args.data());
  ::execvp(binary.c_str(), args.data());
  std::cerr << "capstan: error: cannot run '" << binary << "': " << std::strerror(errno) << "\n";
  return capstan::kExitCannotRun;
}
