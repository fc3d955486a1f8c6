#include "support/push_race.h"

#include <catch2/catch.hpp>

#include "support/shell.h"
#include "support/temp_repo.h"

namespace capstan::testing {

void RaceNextPush(const std::string& bare, const std::string& scratch, const std::string& edit,
                  const std::string& message) {
  RunGit(scratch, "clone -q " + ShellQuote(bare) + " other");
  const std::string raced = scratch + "/raced";
  // The hook runs with receive-pack's GIT_DIR and quarantine variables, which would point the
  // clone's own git at the remote's objects: cleared first.
  WriteFile(bare + "/hooks/pre-receive",
            "#!/bin/sh\n"
            "[ -e " +
                ShellQuote(raced) +
                " ] && exit 0\n"
                "touch " +
                ShellQuote(raced) +
                "\n"
                "unset GIT_DIR GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY "
                "GIT_ALTERNATE_OBJECT_DIRECTORIES\n"
                "cd " +
                ShellQuote(scratch + "/other") +
                " || exit 1\n"
                "{\n" +
                edit +
                "\n} >&2 || exit 1\n"
                "git -c user.name=Human -c user.email=h@example.com commit -q -am '" +
                message + "' && git push -q origin main >&2\n");
  ShellResult chmod = RunShell(bare, "chmod +x hooks/pre-receive");
  if (chmod.exit_code != 0) FAIL("cannot make the pre-receive hook executable: " << chmod.output);
}

}  // namespace capstan::testing
