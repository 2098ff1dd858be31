// Turns the files a user names on the command line into networks. A scenario file is
// one network; the format of each file is recognised by its content (its top-level
// keys), never by its name. Works on file contents; the CLI reads the files.
#pragma once

#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/model/scenario.hpp"

namespace sim {

struct SourceFile {
  std::string path;
  std::string text;
  int argument = 0;   // which command-line INPUT the file came from
  std::string input;  // that INPUT as written
};

struct Network {
  std::string name;
  std::string source;  // the file (or directory) it was read from
  Scenario scenario;
  std::vector<Diagnostic> warnings;
};

// Loads every input. Throws InputError with the problems of every file.
std::vector<Network> LoadNetworks(const std::vector<SourceFile>& files);

}  // namespace sim
