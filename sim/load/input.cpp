#include "sim/load/input.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <tuple>

#include "sim/load/aws_import.hpp"
#include "sim/load/json_reader.hpp"
#include "sim/load/pcluster_config.hpp"
#include "sim/load/pcluster_place.hpp"
#include "sim/load/scenario_loader.hpp"

namespace sim {
namespace {

// us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4, ...
bool LooksLikeRegion(const std::string& s) {
  static const std::regex kRegion("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}");
  return std::regex_match(s, kRegion);
}

// Which dump a file belongs to. All the describe-* files of a command line form one
// dump, except that Batfish's snapshot layouts split it: aws_configs/<region>/ and
// aws_configs/accounts/<id>/<region>/ (a Region directory, or an accounts/<id>
// directory, anywhere in the path starts its own dump, so each keeps its resources).
struct DumpKey {
  std::string root;  // the account or Region directory; empty without a layout
  std::string region;
  auto operator<=>(const DumpKey&) const = default;
};

DumpKey KeyOf(const SourceFile& file) {
  DumpKey key;
  const std::string& path = file.path;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  parts.pop_back();  // the file name
  std::string prefix;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    prefix += (i ? "/" : "") + parts[i];
    if (i + 1 < parts.size() && parts[i] == "accounts") {
      key.root = prefix + "/" + parts[i + 1];
    } else if (LooksLikeRegion(parts[i])) {
      key.region = parts[i];
      key.root = prefix;
    }
  }
  return key;
}

// A dump's network name: its directory, and the account or Region directory above a
// Region ("test-nat-gateway", "aws_configs/us-east-2", "111122223333/us-east-1").
std::string DumpName(std::string root) {
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  const std::size_t last = root.find_last_of('/');
  if (last == std::string::npos) return root;
  const std::string base = root.substr(last + 1);
  if (!LooksLikeRegion(base) || last == 0) return base;
  const std::size_t before = root.find_last_of('/', last - 1);
  return root.substr(before == std::string::npos ? 0 : before + 1);
}

}  // namespace

std::vector<Network> LoadNetworks(const std::vector<SourceFile>& files) {
  std::vector<Network> networks;
  std::vector<Diagnostic> errors;
  // Parsed dump documents, grouped per dump; kept alive until they are imported.
  std::map<DumpKey, std::vector<std::pair<std::string, std::unique_ptr<Json>>>> dumps;
  std::vector<std::pair<std::size_t, DumpKey>> order;  // network slot -> dump, in input order
  std::string first_dump_input;                        // names a dump that has no layout directory
  for (const SourceFile& file : files) {
    DiagnosticSink sink(file.path);
    auto document = ParseJsonText(file.text, sink);
    if (!document) {
      errors.insert(errors.end(), sink.errors().begin(), sink.errors().end());
      continue;
    }
    if (!LooksLikeScenario(*document)) {
      if (!LooksLikeAwsDump(*document)) {
        errors.push_back(
            {file.path, "/",
             "neither a vpcsim scenario (a JSON object with \"region\", \"vpcs\", \"subnets\", "
             "...; see scenarios/schema/scenario.schema.json) nor an AWS describe-* output "
             "(top-level keys such as \"Vpcs\", \"Subnets\", \"RouteTables\")"});
        continue;
      }
      errors.insert(errors.end(), sink.errors().begin(), sink.errors().end());
      const DumpKey key = KeyOf(file);
      if (first_dump_input.empty()) first_dump_input = file.input;
      auto& docs = dumps[key];
      if (docs.empty()) {
        order.push_back({networks.size(), key});
        networks.emplace_back();
      }
      docs.emplace_back(file.path, std::make_unique<Json>(std::move(*document)));
      continue;
    }
    // Duplicate keys are reported while parsing; the rest of the file is still checked.
    errors.insert(errors.end(), sink.errors().begin(), sink.errors().end());
    try {
      LoadedScenario loaded = LoadScenarioJson(*document, file.path);
      if (!sink.has_errors()) {
        networks.push_back({loaded.scenario.name, file.path, std::move(loaded.scenario),
                            std::move(loaded.warnings), std::nullopt});
      }
    } catch (const InputError& e) {
      errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  for (const auto& [slot, key] : order) {
    std::vector<DumpDocument> docs;
    for (const auto& [path, json] : dumps.at(key)) docs.push_back({path, json.get()});
    try {
      const std::string name = key.root.empty() ? first_dump_input : key.root;
      LoadedScenario loaded = ImportAwsDump(docs, name, key.region);
      loaded.scenario.name = DumpName(name);
      networks[slot] = {loaded.scenario.name, name, std::move(loaded.scenario),
                        std::move(loaded.warnings), std::nullopt};
    } catch (const InputError& e) {
      errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!errors.empty()) throw InputError(errors);
  return networks;
}

void AttachPcluster(Network& network, const SourceFile& config) {
  LoadedPcluster loaded = ParsePclusterConfig(config.text, config.path);
  if (network.scenario.pcluster && network.scenario.pcluster->placed) {
    // The scenario holds the placed cluster already (import --pcluster wrote it).
    network.warnings.insert(network.warnings.end(), loaded.warnings.begin(), loaded.warnings.end());
    network.pcluster = std::move(loaded.config);
    return;
  }
  DiagnosticSink sink(config.path);
  PlaceCluster(network.scenario, loaded.config, sink);
  sink.ThrowIfErrors();
  // The network with the cluster in it must still be one AWS accepts (a compute subnet
  // CIDR inside the VPC, free of overlaps, ...). Problems of placed objects carry the
  // config's locations.
  DiagnosticSink checks(network.source);
  const ServiceCatalog catalog = ServiceCatalog::BuiltIn().WithScenarioServices(
      network.scenario.services, network.scenario.region);
  ValidateScenario(network.scenario, catalog, checks);
  std::vector<Diagnostic> errors = checks.errors();
  for (Diagnostic& d : errors) {
    if (d.file == config.path) d.location = ForeignObjectLocation(d.location);
  }
  if (!errors.empty()) throw InputError(errors);
  network.warnings.insert(network.warnings.end(), loaded.warnings.begin(), loaded.warnings.end());
  network.warnings.insert(network.warnings.end(), sink.warnings().begin(), sink.warnings().end());
  network.pcluster = std::move(loaded.config);
}

}  // namespace sim
