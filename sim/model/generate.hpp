// Synthetic networks of a given size, reproducible from a seed, in realistic shapes:
// several VPCs (10.X.0.0/16), public and private subnets across three Availability
// Zones, an internet gateway and a NAT gateway per zone, gateway endpoints for S3 and
// DynamoDB and interface endpoints for K services, a proxy, security groups that refer
// to each other and to a prefix list, network ACLs of 20 entries, route tables near
// AWS's quota of 50 routes, and ENIs of the roles head, compute, batch-instance and
// batch-task. Used by `vpcsim generate` and the benchmarks. Depends only on core/ and
// the model.
#pragma once

#include <cstdint>

#include "sim/model/scenario.hpp"

namespace sim {

struct GenerateOptions {
  std::int64_t enis = 10000;
  int subnets = 64;
  int services = 5;  // interface endpoints per VPC
  std::uint64_t seed = 1;
};

// Throws std::invalid_argument when the sizes cannot be laid out (too many ENIs for
// the subnets, or more subnets than 200 VPCs hold).
Scenario GenerateNetwork(const GenerateOptions& options);

}  // namespace sim
