#include "support/fault_sweep.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "support/temp_repo.h"

namespace capstan::testing {

std::string FaultLibrary() {
  return std::string(CAPSTAN_BINARY_DIR) + "/tests/libcapstan_fault_inject.so";
}

ShellResult RunWithFault(const std::string& dir, const std::string& root, const std::string& fault,
                         const std::string& command, const std::string& log) {
  // ASan wants to come first in the library list; the fault library must come before it.
  return RunShell(dir,
                  "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "
                  "LD_PRELOAD=" +
                      ShellQuote(FaultLibrary()) + " CAPSTAN_FAULT_ROOT=" + ShellQuote(root) +
                      (fault.empty() ? "" : " CAPSTAN_FAULT=" + ShellQuote(fault)) +
                      (log.empty() ? "" : " CAPSTAN_FAULT_LOG=" + ShellQuote(log)) + " " + command);
}

std::map<std::string, int> CountFaultableCalls(const std::string& dir, const std::string& root,
                                               const std::string& command,
                                               const std::string& log_path) {
  ShellResult r = RunWithFault(dir, root, "", command, log_path);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, int> counts;
  std::istringstream in(ReadFile(log_path));
  for (std::string op, path; in >> op && std::getline(in, path);) ++counts[op];
  return counts;
}

std::vector<std::string> FaultPlan(const std::map<std::string, int>& counts) {
  const char* const errors[] = {"ENOSPC", "EIO", "EACCES"};
  std::vector<std::string> plan;
  int i = 0;
  for (const auto& [op, n] : counts) {
    for (int at = 1; at <= n; ++at) {
      std::string error = op == "write" && at % 4 == 0 ? "short" : errors[i++ % 3];
      plan.push_back(op + ":" + std::to_string(at) + ":" + error);
    }
  }
  return plan;
}

std::vector<std::string> Leftovers(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.find(".capstan-tmp-") != std::string::npos || name.ends_with(".lock") ||
        name.starts_with("tmp_object"))
      out.push_back(e.path().string());
  }
  return out;
}

std::string DescribePlan(const std::map<std::string, int>& counts) {
  int total = 0;
  std::string parts;
  for (const auto& [op, n] : counts) {
    total += n;
    parts += (parts.empty() ? "" : ", ") + op + " " + std::to_string(n);
  }
  return std::to_string(total) + " runs: " + parts;
}

std::string LastLine(const std::string& output) {
  std::string text = output;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
}

}  // namespace capstan::testing
