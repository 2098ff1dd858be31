// Failures of single components, written into a scenario as AWS then shows the network,
// for `vpcsim whatif --fail ID` and `--fail-each`:
// - a NAT gateway or interface endpoint fails: its state becomes "failed", so the routes
//   to it are blackholes (AWS lists a route to a NAT gateway that is not available as
//   blackhole) and an interface endpoint's private DNS names no longer answer;
// - a gateway endpoint, regional with no zone to fail, is deleted: AWS removes its
//   routes, so traffic takes the next route;
// - an internet or virtual private gateway fails: it is detached from its VPC;
// - a peering connection fails: its status becomes "failed";
// - an on-premises site's VPN or Direct Connect connection goes down;
// - a subnet fails, or every subnet of an Availability Zone (az:NAME), as in an AZ
//   outage: the NAT gateways in it fail, the interface endpoints withdraw their
//   network interface there (an endpoint left with none fails), and the node groups in
//   it are lost, with every route to their interfaces a blackhole. A node group that
//   runs a proxy stays (the proxy's own failure is not modelled; the effect says so).
// Depends only on the model.
#pragma once

#include <string>
#include <vector>

#include "sim/model/scenario.hpp"

namespace sim {

struct FailureEffect {
  std::string id;                  // as given: "nat-1", "subnet-a", "az:us-east-1a"
  std::string kind;                // "nat-gateway", "availability-zone", ...
  std::vector<std::string> lost;   // node groups removed with the subnet or zone
  std::vector<std::string> notes;  // effects not modelled, said out loud
};

// Applies the failure of `id` to `scenario`. Throws std::invalid_argument when nothing
// in the scenario has that id (the message lists what can fail).
FailureEffect ApplyFailure(Scenario& scenario, const std::string& id);

// Every component whose failure --fail-each tries, in a stable order: NAT gateways,
// VPC endpoints, internet gateways, virtual private gateways, peering connections,
// on-premises connections, subnets that hold something, then Availability Zones.
std::vector<std::string> FailureCandidates(const Scenario& scenario);

}  // namespace sim
