// Internal to graph/ and engine/: the Boost.Graph type behind Topology::Graph.
// Vertices are the components of the network; an edge is a hop a packet can take.
// Route-table vertices have one out-edge per compiled route, in selection order
// (longest prefix first, then static before prefix list before propagated), so the
// first route edge whose destination contains an address is the route AWS selects.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include "sim/graph/topology.hpp"

namespace sim {

struct VertexProps {
  Kind kind = Kind::kVpc;
  int index = -1;  // index into the Topology vector of that kind
};

enum class EdgeType {
  kContains,     // VPC -> subnet
  kAssociation,  // subnet -> route table, subnet -> network ACL
  kRoute,        // route table -> target (carries the route)
  kMember,       // node group / NAT gateway / endpoint -> its subnet
  kAttachment,   // internet or virtual private gateway -> VPC; peering -> both VPCs
  kDelivers,     // gateway -> internet, VGW -> site, endpoint -> service, proxy -> group
};

struct EdgeProps {
  EdgeType type = EdgeType::kContains;
  CompiledRoute route;  // kRoute only
};

using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps>;

struct Topology::Graph {
  BoostGraph g;
  std::vector<int> service_vertex;  // per catalog service index
  int internet_vertex = -1;
  int blackhole_vertex = -1;  // target of routes whose target does not exist
};

}  // namespace sim
