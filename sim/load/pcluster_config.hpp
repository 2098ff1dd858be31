// Reads AWS ParallelCluster configuration files: version 2 (INI, Python configparser
// syntax, read with inih) and version 3 (YAML, read with yaml-cpp); the version is told
// from the content. Only what shapes the network is kept (PclusterConfig). Problems
// are reported as "FILE:[section] key: message" (INI) or "FILE:/YAML/path: message";
// keys that do not affect the network are accepted silently, unknown keys in the
// sections that do are warnings. Works on text; never touches files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/model/pcluster.hpp"

namespace sim {

struct LoadedPcluster {
  PclusterConfig config;
  std::vector<Diagnostic> warnings;
};

// Throws InputError with every problem found.
LoadedPcluster ParsePclusterConfig(std::string_view text, const std::string& path);

}  // namespace sim
