// Reads the project's scenario format (JSON, documented by
// scenarios/schema/scenario.schema.json) into a Scenario, applies AWS's defaults for
// everything the file leaves out, and validates it: types, unknown keys, dangling
// references, CIDRs outside their VPC, overlapping subnets and the other
// configurations AWS itself would refuse. Works on text; never touches files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/load/json_reader.hpp"
#include "sim/model/catalog.hpp"
#include "sim/model/scenario.hpp"

namespace sim {

struct LoadedScenario {
  Scenario scenario;
  std::vector<Diagnostic> warnings;
};

// Validates a parsed scenario document. `source` names the file in diagnostics.
// Throws InputError listing every problem found.
LoadedScenario LoadScenarioJson(const Json& document, const std::string& source);

// Checks references and AWS's own constraints; reports into `sink`.
void ValidateScenario(const Scenario& scenario, const ServiceCatalog& catalog,
                      DiagnosticSink& sink);

// True when a parsed document looks like a scenario file (rather than an AWS dump).
bool LooksLikeScenario(const Json& document);

}  // namespace sim
