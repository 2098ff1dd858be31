// The packet walk: follows one IPv4 packet from its origin through the topology graph
// exactly as AWS forwards and filters it (../shared/reference/aws-vpc-semantics.md §0),
// then follows the reply back through every stateless network ACL and stateful
// translator it crossed. The result is a Trace: the hops both ways, every component
// that blocks the packet with its Reachability Analyzer code, and the share of the
// initiator's ephemeral ports that survive the return path. Unreachable is an answer,
// never an exception.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/graph/topology.hpp"

namespace sim {

struct Hop {
  std::string id;
  Kind kind = Kind::kNetworkInterface;
  std::string detail;     // one line a person reads: "egress rule 100 allows all"
  std::string route;      // route-table hops: the selected route's destination
  std::string direction;  // security groups and network ACLs: "egress" or "ingress"
  bool operator==(const Hop&) const = default;
};

struct Block {
  std::string id;
  Kind kind = Kind::kNetworkInterface;
  std::string code;       // AWS Reachability Analyzer explanation code
  std::string direction;  // "forward" or "return"
  std::string detail;
  std::string fix;       // the smallest change that would let the packet through here
  bool partial = false;  // only some of the client's ephemeral ports are dropped here
  bool operator==(const Block&) const = default;
};

// Where a walk starts. Besides hosts (an ENI, an internet host, an on-premises host), a
// packet can be injected at a router, as Batfish's traces start at its synthetic VPC and
// subnet routers and at a virtual private gateway: such a walk is forward only, because
// nothing waits for the reply.
struct Origin {
  enum class Type {
    kEni,
    kInternet,
    kSite,
    kVpcRouter,
    kSubnetRouter,
    kVpnGateway
  } type = Type::kEni;
  std::int64_t eni = -1;  // kEni: index into Topology::enis()
  int site = -1;          // kSite: on-premises site of the host
  int router = -1;        // kVpcRouter / kSubnetRouter / kVpnGateway: index of the VPC,
                          // subnet or virtual private gateway
  Ipv4 address = 0;       // every type but kEni: the source address
  bool ForwardOnly() const {
    return type == Type::kVpcRouter || type == Type::kSubnetRouter || type == Type::kVpnGateway;
  }
};

struct Probe {
  Ipv4 destination = 0;
  int protocol = proto::kTcp;
  int port = 443;  // TCP/UDP destination port; ICMP type
  int icmp_code = 0;
  int service = -1;                // catalog index of the service the sender means, when it knows
  std::int64_t expected_eni = -1;  // the node ENI the sender means, when it names one
};

// What the forward packet reached.
struct Arrival {
  enum class Type { kNone, kEni, kService, kInternet, kSite } type = Type::kNone;
  Owner owner;         // kEni: the ENI or endpoint ENI
  int service = -1;    // kService: index into the catalog's services
  std::string region;  // kService
  int site = -1;       // kSite
  int endpoint = -1;   // kService via a VPC endpoint
};

struct Trace {
  std::vector<Hop> forward;
  std::vector<Hop> ret;
  std::vector<Block> blocked;  // first entry: where the packet is dropped
  Arrival arrival;
  bool forward_ok = false;
  bool return_ok = false;
  double return_fraction = 1.0;  // share of the initiator's ephemeral ports that survive
  std::string return_note;       // which ports fail and where, when partial
  Verdict verdict = Verdict::kUnreachable;
};

// Walks one packet. REQUIRES: the origin exists in `topology`.
Trace Walk(const Topology& topology, const Origin& origin, const Probe& probe);

// The components whose settings the walks and DNS lookups of this thread consult while
// the log is alive (route tables, security groups, network ACLs, NAT gateways,
// gateways, endpoints, peering connections): an answer stays valid in an edited network
// when none of them changed (Topology::ChangedComponents). Logs nest; an inner log's
// reads also count for the outer one.
// A lookup in a route table (the destination address), a network ACL or a security
// group (the peer address, protocol and direction). The address stands for its whole
// address atom [lo, hi] (every address the answer speaks for): an edit of the component
// changes the lookup's result only through routes, entries or rules that overlap it.
struct Lookup {
  ComponentRef component = 0;
  Ipv4 lo = 0, hi = 0;
  int protocol = 0;
  bool egress = false;
  auto operator<=>(const Lookup&) const = default;
};

class ReadLog {
 public:
  ReadLog();
  ~ReadLog();
  ReadLog(const ReadLog&) = delete;
  ReadLog& operator=(const ReadLog&) = delete;
  // The components read so far, sorted, each once.
  std::vector<ComponentRef> Reads();
  // The route-table, network-ACL and security-group lookups so far, sorted, each once.
  std::vector<Lookup> Lookups();
  // Whether a log records this thread's reads.
  static bool Active();
  // Record a read in this thread's innermost log, if any.
  static void Note(Kind kind, int index);
  static void NoteLookup(const Topology& topology, ComponentRef component, Ipv4 address,
                         int protocol, bool egress);

 private:
  std::vector<ComponentRef> reads_;
  std::vector<Lookup> lookups_;
  ReadLog* outer_;
};

}  // namespace sim
