// The network as a user describes it, in AWS's vocabulary: VPCs, subnets, route
// tables, gateways, security groups, network ACLs, endpoints, proxies and the node
// groups (ENIs) whose reachability is asked about. Objects refer to each other by id
// (strings), never by pointer, so a Scenario is a plain value that loaders build,
// tests construct by hand and the graph layer resolves. Every object remembers the
// JSON pointer it came from so later stages can name it in diagnostics.
// Depends only on core/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/net.hpp"

namespace sim {

struct Vpc {
  std::string id;
  std::vector<Cidr> cidr_blocks;      // primary first
  bool enable_dns_support = true;     // AWS default
  bool enable_dns_hostnames = false;  // AWS default for a non-default VPC
  std::string pointer;
};

struct Subnet {
  std::string id;
  std::string vpc;
  Cidr cidr;
  std::string availability_zone;
  bool map_public_ip_on_launch = false;  // AWS default for a non-default subnet
  std::string pointer;
};

enum class TargetKind {
  kLocal,
  kInternetGateway,
  kNatGateway,
  kVpnGateway,
  kPeeringConnection,
  kNetworkInterface,
  kVpcEndpoint,
  kTransitGateway,  // accepted, not modelled: a path stops there and says so
};

enum class RouteOrigin { kStatic, kPropagated };
enum class RouteState { kActive, kBlackhole };

struct Route {
  std::optional<Cidr> destination;      // exactly one of destination and
  std::string destination_prefix_list;  // destination_prefix_list is set
  TargetKind target_kind = TargetKind::kLocal;
  std::string target;  // id of the target; empty for local
  RouteState state = RouteState::kActive;
  RouteOrigin origin = RouteOrigin::kStatic;
  std::string pointer;
};

struct RouteTable {
  std::string id;
  std::string vpc;
  bool main = false;
  std::vector<std::string> subnets;  // explicit associations
  std::vector<Route> routes;         // local routes are implicit
  // Virtual private gateways propagating into this table: each learned prefix of their
  // sites (connection up) appears as a propagated route.
  std::vector<std::string> propagating_vgws;
  std::string pointer;
};

struct InternetGateway {
  std::string id;
  std::string vpc;  // attached VPC; empty when detached
  std::string pointer;
};

enum class NatConnectivity { kPublic, kPrivate };

struct NatGateway {
  std::string id;
  std::string subnet;
  NatConnectivity connectivity = NatConnectivity::kPublic;
  std::optional<Ipv4> elastic_ip;  // required for public NAT gateways
  std::optional<Ipv4> private_ip;  // allocated from the subnet when absent
  std::string state = "available";
  std::string pointer;
};

struct VpnGateway {
  std::string id;
  std::string vpc;  // attached VPC; empty when detached
  std::string pointer;
};

// A network behind a virtual private gateway (Site-to-Site VPN or Direct Connect).
struct OnPremSite {
  std::string id;
  std::string vpn_gateway;
  std::string connection = "vpn";  // "vpn" or "direct-connect"; informative
  bool connection_up = true;
  std::vector<Cidr> cidrs;       // addresses of the site's hosts
  std::vector<Cidr> advertised;  // prefixes the VGW learns; defaults to `cidrs`
  bool internet_egress = false;  // can hosts in the site reach the internet?
  std::string pointer;
};

struct PeeringConnection {
  std::string id;
  std::string requester_vpc;
  std::string accepter_vpc;
  std::string status = "active";
  std::string pointer;
};

struct PrefixList {
  std::string id;
  std::string name;
  std::vector<Cidr> cidrs;
  std::string pointer;
};

enum class PeerKind { kCidr, kPrefixList, kSecurityGroup };

struct SgRule {
  int protocol = proto::kAll;
  int from_port = -1;  // TCP/UDP: port range; ICMP: type (-1 = all)
  int to_port = -1;    // TCP/UDP: port range; ICMP: code (-1 = all)
  PeerKind peer_kind = PeerKind::kCidr;
  Cidr cidr;
  std::string peer;  // prefix-list or security-group id
  std::string description;
  std::string pointer;
};

struct SecurityGroup {
  std::string id;
  std::string vpc;
  std::string name;
  std::vector<SgRule> ingress;
  std::vector<SgRule> egress;  // AWS default for a new group: all traffic to 0.0.0.0/0
  std::string pointer;
};

struct NaclEntry {
  int rule_number = 0;
  int protocol = proto::kAll;
  bool allow = true;
  Cidr cidr;
  int from_port = 0;  // TCP/UDP only
  int to_port = 65535;
  int icmp_type = -1;  // ICMP only
  int icmp_code = -1;
  std::string pointer;
  // The same rule, wherever it was written (the pointer is not compared).
  bool SameRule(const NaclEntry& other) const;
};

struct NetworkAcl {
  std::string id;
  std::string vpc;
  bool is_default = false;
  std::vector<std::string> subnets;
  std::vector<NaclEntry> ingress;  // sorted by rule number after loading
  std::vector<NaclEntry> egress;
  std::string pointer;
};

enum class EndpointType { kGateway, kInterface };

struct VpcEndpoint {
  std::string id;
  std::string vpc;
  EndpointType type = EndpointType::kInterface;
  std::string service;  // catalog name: "s3", "ecr.api", ...
  std::string state = "available";
  std::vector<std::string> route_tables;     // gateway endpoints
  std::vector<std::string> subnets;          // interface endpoints
  std::vector<std::string> security_groups;  // interface endpoints; VPC default SG when empty
  bool private_dns = true;                   // interface endpoints
  std::map<std::string, Ipv4> addresses;     // subnet id -> ENI address (optional)
  std::string pointer;
};

// Where an HTTP proxy runs: a node group in a VPC, or a host in an on-premises site.
struct Proxy {
  std::string id;
  std::string host;  // the name clients put in http_proxy
  int port = 3128;
  std::string node_group;                    // set when the proxy runs in a VPC
  std::string onprem_site;                   // set when it runs on premises ...
  std::optional<Ipv4> address;               // ... at this address
  std::vector<std::string> allowed_domains;  // empty: every destination allowed
  std::vector<std::string> no_proxy;         // hosts, domains, IPs and CIDRs sent direct
  std::string pointer;
};

// A secondary private IPv4 address of an ENI, with the public IPv4 associated with it.
struct SecondaryIp {
  Ipv4 private_ip = 0;
  std::optional<Ipv4> public_ip;
  std::string pointer;
};

struct NodeGroup {
  std::string name;
  std::string role;  // head, compute, login, batch-instance, batch-task, ecs-task, proxy,
                     // appliance, other
  std::string subnet;
  std::vector<std::string> security_groups;  // VPC default SG when empty
  std::optional<bool> public_ip;             // subnet's map_public_ip_on_launch when unset
  std::int64_t count = 1;
  bool source_dest_check = true;
  bool source_nat = false;  // forwards with masquerading (NAT instance, v2 head node)
  std::string proxy;        // id of the HTTP proxy this group's software uses
  bool imds = true;         // MetadataOptions.HttpEndpoint enabled
  std::vector<Ipv4> private_ips;
  std::vector<Ipv4> public_ips;
  std::vector<SecondaryIp> secondary_ips;  // one-ENI groups only
  std::vector<std::string> eni_ids;
  std::vector<std::string> instance_ids;
  int ephemeral_lo = kLinuxEphemeralLo;
  int ephemeral_hi = kLinuxEphemeralHi;
  std::string pointer;
};

// A service added to, or overriding, the built-in catalog for this scenario.
struct ServiceDefinition {
  std::string name;
  std::vector<std::string> hostnames;  // "{region}" is replaced by the region
  std::vector<Cidr> cidrs;
  bool interface_endpoint = true;
  bool gateway_endpoint = false;
  std::string prefix_list;  // for gateway endpoints
  std::string pointer;
};

enum class Verdict { kReachable, kUnreachable, kPartial };

struct Expectation {
  std::string from;
  std::string to;
  int protocol = proto::kTcp;
  int port = 443;
  Verdict expect = Verdict::kReachable;
  std::string blocked_by;  // optional: id of the first blocking component
  std::string code;        // optional: its explanation code
  std::string description;
  std::string pointer;
};

// A ParallelCluster config that goes with a scenario (its path relative to the
// scenario file), and what the cluster's readiness check must find: whether it comes
// up and exactly which requirements fail (requirement ids of pcluster_requirements.json,
// "validator:dns-support", "validator:dns-hostnames").
struct ClusterExpectation {
  std::string config;
  bool ready = true;
  std::vector<std::string> failing;
  std::string description;
  // The cluster's node groups are already in the scenario (written by `import
  // --pcluster`): the config is read for its requirements, not placed again.
  bool placed = false;
  std::string pointer;
};

struct Scenario {
  std::string source;  // file name, for messages
  std::string name;
  std::string description;
  std::string region;
  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<RouteTable> route_tables;
  std::vector<InternetGateway> internet_gateways;
  std::vector<NatGateway> nat_gateways;
  std::vector<VpnGateway> vpn_gateways;
  std::vector<OnPremSite> onprem_sites;
  std::vector<PeeringConnection> peering_connections;
  std::vector<PrefixList> prefix_lists;
  std::vector<SecurityGroup> security_groups;
  std::vector<NetworkAcl> network_acls;
  std::vector<VpcEndpoint> vpc_endpoints;
  std::vector<Proxy> proxies;
  std::vector<NodeGroup> node_groups;
  std::vector<ServiceDefinition> services;
  std::vector<Expectation> expectations;
  std::optional<ClusterExpectation> pcluster;
};

// Adds what AWS creates implicitly and a file may leave out: each VPC's main route
// table (local routes only), default network ACL (allow all) and default security
// group (all inbound from itself, all outbound). Idempotent.
void ApplyAwsDefaults(Scenario& scenario);

// Synthesised ids of the objects ApplyAwsDefaults adds.
std::string MainRouteTableId(const std::string& vpc_id);
std::string DefaultNetworkAclId(const std::string& vpc_id);
std::string DefaultSecurityGroupId(const std::string& vpc_id);

// awsvpc task ENIs (ECS tasks and Batch multi-node jobs on the EC2 launch type) never
// get a public IPv4 address (semantics reference §9).
inline bool IsAwsvpcTask(const std::string& role) {
  return role == "batch-task" || role == "ecs-task";
}

const char* VerdictName(Verdict verdict);
const char* TargetKindName(TargetKind kind);  // "internet-gateway", ...

}  // namespace sim
