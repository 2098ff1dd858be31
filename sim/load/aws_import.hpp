// Reads unmodified `aws ec2 describe-*` outputs (the files Batfish also reads) into the
// equivalent Scenario. Files are recognised by their top-level keys, never by their
// names; one dump is every file of one account and Region. Real dumps are messy, and
// the importer reads them as AWS behaves: a route whose target is gone is a blackhole,
// disassociated CIDR blocks do not count, terminated instances have no ENIs, deleted
// NAT gateways and endpoints carry nothing. Each such case, every key outside the
// model and every IPv6 detail is a warning naming the file and JSON pointer; a dump
// that lacks something a path needs is an error naming the describe command whose
// output is missing. Works on parsed documents; never touches files.
#pragma once

#include <string>
#include <vector>

#include "sim/load/json_reader.hpp"
#include "sim/load/scenario_loader.hpp"

namespace sim {

struct DumpDocument {
  std::string path;  // for diagnostics, and to match get-managed-prefix-list-entries files
  const Json* json = nullptr;
};

// True when a parsed document is a describe-* (or describe-vpc-attribute) output.
bool LooksLikeAwsDump(const Json& document);

// Builds the scenario of one dump. `name` names the network (and the sink of problems
// that belong to no single file); `region` is the Region the directory layout gives,
// or empty to infer it from the subnets' Availability Zones. Throws InputError with
// every problem found.
LoadedScenario ImportAwsDump(const std::vector<DumpDocument>& documents, const std::string& name,
                             const std::string& region);

}  // namespace sim
