// Writes a network as the `aws ec2 describe-*` outputs AWS would print for it (one
// document per file name), so that synthetic networks can exercise the dump importer:
// every ENI with its address, every route with AWS's target field, security groups as
// IpPermissions, network ACLs with their catch-all entries, and the DNS attributes.
// What a dump cannot say (node-group roles, proxies) is left out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "sim/model/scenario.hpp"

namespace sim {

std::vector<std::pair<std::string, nlohmann::ordered_json>> ScenarioToAwsDump(
    const Scenario& scenario);

}  // namespace sim
