// Turns the files a user names on the command line into networks. A scenario file is
// one network; the format of each file is recognised by its content (its top-level
// keys), never by its name. Works on file contents; the CLI reads the files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/model/pcluster.hpp"
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
  std::optional<PclusterConfig> pcluster;  // the cluster placed into it, if any
};

// Loads every input. Throws InputError with the problems of every file.
std::vector<Network> LoadNetworks(const std::vector<SourceFile>& files);

// Reads a ParallelCluster config (v2 INI or v3 YAML) and places the cluster into the
// network as ParallelCluster would launch it; the network is checked again with the
// cluster in it. Throws InputError naming the config's [section] key or YAML path.
void AttachPcluster(Network& network, const SourceFile& config);

}  // namespace sim
