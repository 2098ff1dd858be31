#include "sim/load/input.hpp"

#include <algorithm>
#include <iterator>

#include "sim/load/json_reader.hpp"
#include "sim/load/scenario_loader.hpp"

namespace sim {

std::vector<Network> LoadNetworks(const std::vector<SourceFile>& files) {
  std::vector<Network> networks;
  std::vector<Diagnostic> errors;
  for (const SourceFile& file : files) {
    DiagnosticSink sink(file.path);
    const auto document = ParseJsonText(file.text, sink);
    if (!document) {
      errors.insert(errors.end(), sink.errors().begin(), sink.errors().end());
      continue;
    }
    if (!LooksLikeScenario(*document)) {
      // The second input format, AWS describe-* outputs, is recognised by its keys.
      static const char* kDumpKeys[] = {"Vpcs",
                                        "Subnets",
                                        "RouteTables",
                                        "InternetGateways",
                                        "NatGateways",
                                        "SecurityGroups",
                                        "NetworkAcls",
                                        "NetworkInterfaces",
                                        "Reservations",
                                        "VpcEndpoints",
                                        "PrefixLists",
                                        "VpnGateways",
                                        "VpcPeeringConnections"};
      const bool dump = document->is_object() &&
                        std::any_of(std::begin(kDumpKeys), std::end(kDumpKeys),
                                    [&](const char* k) { return document->contains(k); });
      errors.push_back(
          {file.path, "/",
           dump ? "this is an AWS describe-* output; this version of vpcsim reads scenario files "
                  "only"
                : "not a vpcsim scenario (a scenario is a JSON object with \"region\", \"vpcs\", "
                  "\"subnets\", ... ; see scenarios/schema/scenario.schema.json)"});
      continue;
    }
    // Duplicate keys are reported while parsing; the rest of the file is still checked.
    errors.insert(errors.end(), sink.errors().begin(), sink.errors().end());
    try {
      LoadedScenario loaded = LoadScenarioJson(*document, file.path);
      if (!sink.has_errors()) {
        networks.push_back({loaded.scenario.name, file.path, std::move(loaded.scenario),
                            std::move(loaded.warnings)});
      }
    } catch (const InputError& e) {
      errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!errors.empty()) throw InputError(errors);
  return networks;
}

}  // namespace sim
