// Runs a program with arguments (no shell) and captures its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

namespace cpo::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandResult RunCommand(const std::vector<std::string>& argv);

}  // namespace cpo::testing
