#include "common/cli.h"

#include <catch2/catch.hpp>

#include "core/exit_code.h"

namespace capstan::tools {
namespace {

const flags::Flag kTable[] = {
    {"help", 'h', "", "show this help"},
};

TEST_CASE("ToolHelp ends with the exit codes a help file gives after a blank line") {
  std::string help = ToolHelp("t [options]", "Does things.\n\nexit codes:\n  0  done\n", kTable);
  CHECK(help.starts_with("usage: t [options]\n\nDoes things.\n\noptions:\n"));
  CHECK(help.ends_with("\nexit codes:\n  0  done\n"));
  CHECK(help.find(kExitCodeHelp) == std::string::npos);
}

TEST_CASE("ToolHelp ends with the common exit codes when the help file has none") {
  std::string help = ToolHelp("t", "Does things.\nexit codes are described below.\n", kTable);
  CHECK(help.find("Does things.\nexit codes are described below.\n\noptions:") !=
        std::string::npos);
  CHECK(help.ends_with(std::string("\n") + kExitCodeHelp));
}

}  // namespace
}  // namespace capstan::tools
