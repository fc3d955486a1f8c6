#include "argocd/cli_options.h"

#include "core/shell_words.h"
#include "core/strings.h"

namespace capstan::argocd {

Result<std::vector<CliOption>> ParseArgocdOpts(std::string_view text) {
  Result<std::vector<std::string>> words = SplitShellWords(text);
  if (!words.ok()) return Status::InvalidArgument("ARGOCD_OPTS: " + words.status().message());
  std::vector<CliOption> options;
  const std::vector<std::string>& w = *words;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::string& word = w[i];
    if (word.size() < 3 || word.compare(0, 2, "--") != 0) {
      return Status::InvalidArgument("ARGOCD_OPTS invalid at " + QuoteForMessage(word));
    }
    std::string name = word.substr(2);
    if (std::size_t eq = name.find('='); eq != std::string::npos) {
      options.emplace_back(name.substr(0, eq), name.substr(eq + 1));
    } else if (i + 1 < w.size() && w[i + 1].compare(0, 2, "--") != 0) {
      options.emplace_back(std::move(name), w[++i]);
    } else {
      options.emplace_back(std::move(name), "true");
    }
  }
  return options;
}

}  // namespace capstan::argocd
