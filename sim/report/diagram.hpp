// The network as a picture: Graphviz DOT text drawn from the topology's Boost.Graph, laid
// out like the diagrams of the ParallelCluster documentation: each VPC a box with its
// CIDR, Availability Zones inside it, subnets inside those (marked public or private,
// with their node groups, NAT gateways and endpoint interfaces), route tables with an
// edge per route, the internet gateway, the virtual private gateway and the on-premises
// site, peering connections, gateway endpoints, the proxy, and the AWS services outside.
// A failing path can be drawn over it, up to the component that drops the packet, with
// the explanation code, detail and fix beside it. Every node carries its AWS id as its
// SVG id, so a browser test can find the components. Output is deterministic.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/walk.hpp"
#include "sim/graph/topology.hpp"

namespace sim {

// A path to draw: the forward hops of a trace and where it stops.
struct DiagramPath {
  std::string title;           // "compute -> service:dynamodb tcp/443"
  std::vector<Hop> hops;       // forward hops, in order
  std::vector<Block> blocked;  // first entry: where the packet is dropped
};

std::string TopologyToDot(const Topology& topology, const DiagramPath* path = nullptr);

// The SVG id a component gets in the diagram (ids with characters SVG ids reject are
// rewritten: "compute:q1" -> "compute_q1").
std::string DiagramId(const std::string& component_id);

}  // namespace sim
