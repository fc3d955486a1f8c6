#include "common/real_env.h"

#include <unistd.h>

namespace capstan::tools {

std::vector<std::string> ProcessEnvironment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
  return out;
}

Result<SubprocessResult> RunWithProcessEnvironment(const SubprocessOptions& options) {
  return RunSubprocess(options, ProcessEnvironment());
}

}  // namespace capstan::tools
