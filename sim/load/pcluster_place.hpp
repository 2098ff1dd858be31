// Places an AWS ParallelCluster cluster into a network exactly as ParallelCluster would
// launch it (../shared/reference/parallelcluster.md §1.2-1.5, §2.3, §5): the head node,
// the compute fleet (one group per v3 queue and subnet), the AWS Batch container
// instances and multi-node-parallel task ENIs, the security groups ParallelCluster
// creates unless the config replaces them, the subnet and route table that v2's
// compute_subnet_cidr creates, and the proxy environment. References to subnets,
// security groups or proxies that the network lacks are errors at the config's key.
#pragma once

#include "sim/core/diagnostics.hpp"
#include "sim/model/pcluster.hpp"
#include "sim/model/scenario.hpp"

namespace sim {

// Ids of what placement creates.
inline constexpr const char* kPclusterHeadSg = "pcluster-head-sg";
inline constexpr const char* kPclusterComputeSg = "pcluster-compute-sg";
inline constexpr const char* kPclusterComputeSubnet = "pcluster-compute-subnet";
inline constexpr const char* kPclusterComputeRouteTable = "pcluster-compute-route-table";
inline constexpr const char* kPclusterProxy = "pcluster-proxy";

// Adds the cluster to `scenario`. Problems go to `sink`, whose file is the config's.
void PlaceCluster(Scenario& scenario, const PclusterConfig& config, DiagnosticSink& sink);

}  // namespace sim
