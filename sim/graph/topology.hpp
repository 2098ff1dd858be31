// The forwarding topology: a Scenario with every reference resolved to an index, the
// routes compiled (prefix lists expanded, priorities assigned, dead targets marked as
// blackholes), every ENI given its addresses, and the components connected in a
// Boost.Graph graph whose edges are the hops a packet can take (subnet -> its route
// table, route table -> each route's target, NAT gateway -> its subnet, ...). The
// engine walks this graph. Built once, then immutable. Depends on model/ only; the
// Boost types stay inside graph/ and engine/ .cpp files.
//
// Incremental use: a topology built from an edited scenario with the previous one
// shares its per-ENI tables when the edit leaves every address where it was, and
// ChangedComponents then names the components whose settings differ, so the engine
// re-evaluates only the answers that read one of them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/core/net.hpp"
#include "sim/model/catalog.hpp"
#include "sim/model/scenario.hpp"

namespace sim {

// Component kinds as the CLI contract names them ("network-interface", ...).
enum class Kind {
  kNetworkInterface,
  kInstance,
  kSecurityGroup,
  kNetworkAcl,
  kSubnet,
  kRouteTable,
  kInternetGateway,
  kNatGateway,
  kVpnGateway,
  kVpcEndpoint,
  kPeeringConnection,
  kTransitGateway,
  kPrefixList,
  kVpc,
  kDns,
  kProxy,
  kOnPremises,
  kInternet,
  kAwsService,
  kNodeGroup,
};
const char* KindName(Kind kind);

struct CompiledRoute {
  Cidr destination;
  std::string prefix_list;  // set when the route came from a prefix-list destination
  int priority = 0;         // on equal prefixes: 0 local, 1 static, 2 prefix list, 3 propagated
  TargetKind target_kind = TargetKind::kLocal;
  int target = -1;  // index of the target in its Topology vector; -1 when dangling
  std::string target_id;
  bool blackhole = false;  // state blackhole, or the target is gone, detached or not usable
  std::string blackhole_reason;
  bool propagated = false;
  bool shadowed_by_local = false;  // propagated route inside a VPC CIDR: local always wins
  std::string Describe() const;    // "0.0.0.0/0 -> igw-1"
  bool operator==(const CompiledRoute&) const = default;
};

struct VpcInfo {
  std::string id;
  std::vector<Cidr> cidrs;
  bool dns_support = true;
  bool dns_hostnames = false;
  int internet_gateway = -1;  // attached IGW
  int vpn_gateway = -1;       // attached VGW
  int default_acl = -1;
  int default_sg = -1;
  std::vector<int> subnets;
  std::vector<int> peerings;  // peering connections with this VPC on either side
  int vertex = -1;
  bool operator==(const VpcInfo&) const = default;
};

struct SubnetInfo {
  std::string id;
  int vpc = -1;
  Cidr cidr;
  std::string az;
  int route_table = -1;
  int acl = -1;
  int vertex = -1;
  bool operator==(const SubnetInfo&) const = default;
};

struct RouteTableInfo {
  std::string id;
  int vpc = -1;
  int vertex = -1;
  bool operator==(const RouteTableInfo&) const = default;
};

struct AclInfo {
  std::string id;
  std::vector<NaclEntry> ingress;  // sorted by rule number
  std::vector<NaclEntry> egress;
};

struct CompiledSgRule {
  int protocol = proto::kAll;
  int from_port = -1;
  int to_port = -1;
  PeerKind peer_kind = PeerKind::kCidr;
  std::vector<Cidr> cidrs;  // the CIDR, or the prefix list's entries
  int group = -1;           // referenced security group
  std::string peer;         // "10.0.0.0/16", "pl-...", "sg-..."
  int index = 0;            // position in the group's rule list, for explanations
  bool operator==(const CompiledSgRule&) const = default;
};

struct SecurityGroupInfo {
  std::string id;
  int vpc = -1;
  std::vector<CompiledSgRule> ingress;
  std::vector<CompiledSgRule> egress;
  bool operator==(const SecurityGroupInfo&) const = default;
};

struct NatInfo {
  std::string id;
  int subnet = -1;
  bool is_public = true;
  Ipv4 private_ip = 0;
  Ipv4 elastic_ip = 0;
  bool available = true;
  std::string state;
  int vertex = -1;
  bool operator==(const NatInfo&) const = default;
};

struct GatewayInfo {  // internet gateways and virtual private gateways
  std::string id;
  int vpc = -1;  // attached VPC or -1
  int vertex = -1;
  bool operator==(const GatewayInfo&) const = default;
};

struct SiteInfo {
  std::string id;
  int vpn_gateway = -1;
  std::string connection;
  bool up = true;
  std::vector<Cidr> cidrs;
  std::vector<Cidr> advertised;
  bool internet_egress = false;
  int vertex = -1;
  bool operator==(const SiteInfo&) const = default;
};

struct PeeringInfo {
  std::string id;
  int requester = -1;
  int accepter = -1;
  bool active = true;
  std::string status;
  int vertex = -1;
  bool operator==(const PeeringInfo&) const = default;
};

struct EndpointInfo {
  std::string id;
  int vpc = -1;
  EndpointType type = EndpointType::kInterface;
  const CatalogService* service = nullptr;
  bool available = true;
  std::string state;
  bool private_dns = false;
  std::vector<int> security_groups;  // interface endpoints (default SG when none given)
  std::vector<int> enis;             // indices into endpoint_enis()
  int vertex = -1;
};

struct EndpointEni {
  int endpoint = -1;
  int subnet = -1;
  Ipv4 ip = 0;
  std::string id;  // "vpce-1/subnet-a"
  bool operator==(const EndpointEni&) const = default;
};

struct ProxyInfo {
  std::string id;
  std::string host;
  int port = 0;
  int group = -1;    // node group the proxy runs in
  int site = -1;     // or on-premises site
  Ipv4 address = 0;  // on-premises address
  std::vector<std::string> allowed_domains;
  std::vector<std::string> no_proxy;
  int vertex = -1;
  bool operator==(const ProxyInfo&) const = default;
};

struct GroupInfo {
  std::string name;
  std::string role;
  int subnet = -1;
  std::vector<int> security_groups;  // sorted, deduplicated
  bool public_ip = false;
  bool source_dest_check = true;
  bool source_nat = false;
  int proxy = -1;
  int ephemeral_lo = kLinuxEphemeralLo;
  int ephemeral_hi = kLinuxEphemeralHi;
  std::int64_t first_eni = 0;
  std::int64_t count = 0;
  const NodeGroup* model = nullptr;
  int vertex = -1;
};

struct Eni {
  Ipv4 ip = 0;
  Ipv4 public_ip = 0;  // 0: none
  int group = -1;
};

// What owns a private address inside a VPC.
struct Owner {
  enum class Type { kNone, kNodeEni, kNatGateway, kEndpointEni } type = Type::kNone;
  std::int64_t index = -1;
  bool operator==(const Owner&) const = default;
};

// A component whose settings the engine reads while walking (a route table's routes, a
// security group's rules, a network ACL's entries, a NAT gateway's, gateway's, endpoint's
// or peering connection's state), packed as kind << 24 | index.
using ComponentRef = std::uint32_t;
inline ComponentRef RefOf(Kind kind, int index) {
  return static_cast<ComponentRef>(kind) << 24 | static_cast<ComponentRef>(index);
}
inline Kind KindOfRef(ComponentRef ref) { return static_cast<Kind>(ref >> 24); }
inline int IndexOfRef(ComponentRef ref) { return static_cast<int>(ref & 0xFFFFFFu); }

class Topology {
 public:
  // Builds the topology of a validated scenario (LoadScenario* has checked every
  // reference). Throws InputError when addresses cannot be allocated. With `previous`,
  // the per-ENI tables are shared with it when the scenario places every ENI, NAT
  // gateway and endpoint address exactly as previous's did.
  static Topology Build(const Scenario& scenario, const Topology* previous = nullptr);

  // The components of `next` whose settings differ from `previous`'s, sorted. nullopt
  // when the two differ in shape: other VPCs, subnets, node groups, addresses,
  // associations, attachments, sites, proxies, DNS settings or catalog (then every
  // answer must be re-evaluated). `next` must have been built with `previous`.
  static std::optional<std::vector<ComponentRef>> ChangedComponents(const Topology& previous,
                                                                    const Topology& next);

  Topology(Topology&&) noexcept;
  Topology& operator=(Topology&&) noexcept;
  ~Topology();

  const Scenario& scenario() const { return scenario_; }
  const ServiceCatalog& catalog() const { return catalog_; }
  const std::string& region() const { return scenario_.region; }

  const std::vector<VpcInfo>& vpcs() const { return vpcs_; }
  const std::vector<SubnetInfo>& subnets() const { return subnets_; }
  const std::vector<RouteTableInfo>& route_tables() const { return route_tables_; }
  const std::vector<AclInfo>& acls() const { return acls_; }
  const std::vector<SecurityGroupInfo>& security_groups() const { return security_groups_; }
  const std::vector<NatInfo>& nat_gateways() const { return nats_; }
  const std::vector<GatewayInfo>& internet_gateways() const { return igws_; }
  const std::vector<GatewayInfo>& vpn_gateways() const { return vgws_; }
  const std::vector<SiteInfo>& sites() const { return sites_; }
  const std::vector<PeeringInfo>& peerings() const { return peerings_; }
  const std::vector<EndpointInfo>& endpoints() const { return endpoints_; }
  const std::vector<EndpointEni>& endpoint_enis() const { return endpoint_enis_; }
  const std::vector<ProxyInfo>& proxies() const { return proxies_; }
  const std::vector<GroupInfo>& groups() const { return groups_; }
  const std::vector<Eni>& enis() const { return eni_table_->enis; }

  // The routes of a route table in selection order, read off the graph's route edges.
  std::vector<const CompiledRoute*> Routes(int route_table) const;
  // The route AWS selects for a destination (nullptr: none covers it).
  const CompiledRoute* SelectRoute(int route_table, Ipv4 destination) const;

  // The AWS id of a component ("rtb-1", "sg-2", ...).
  std::string IdOf(ComponentRef ref) const;
  // "eni-..." of a node ENI (the group's eni_ids, or synthesised "eni-<group>-<n>").
  std::string EniId(std::int64_t eni) const;
  std::string InstanceId(std::int64_t eni) const;  // "" for task ENIs
  std::optional<int> FindGroup(std::string_view name) const;
  // The node groups whose names start with `prefix` ("compute:" for every queue).
  std::vector<int> GroupsWithPrefix(std::string_view prefix) const;
  std::optional<std::int64_t> FindEniById(std::string_view id) const;  // eni-... or i-...
  // Owner of a private address in a VPC.
  Owner FindPrivateOwner(int vpc, Ipv4 address) const;
  // Owner of a public address (ENI public IPv4 or NAT gateway Elastic IP); the VPC of
  // the owner is written to `vpc`.
  Owner FindPublicOwner(Ipv4 address, int* vpc) const;
  // The 1:1 NAT of an internet gateway for an ENI's primary or secondary addresses
  // (0 when the private address has no public IPv4).
  Ipv4 PublicAddressOf(std::int64_t eni, Ipv4 private_ip) const;
  Ipv4 PrivateAddressOf(std::int64_t eni, Ipv4 public_ip) const;
  int SubnetOfAddress(int vpc, Ipv4 address) const;  // -1 when no subnet covers it
  int VpcOfOwner(const Owner& owner) const;
  int SubnetOfOwner(const Owner& owner) const;
  // Security groups of an owner (node ENI or endpoint ENI); empty for NAT gateways.
  const std::vector<int>& GroupsOfOwner(const Owner& owner) const;
  std::string OwnerId(const Owner& owner) const;

  // Index of the address atom containing `address`: two addresses in the same atom are
  // inside exactly the same CIDRs of the scenario and of the catalog, so every rule and
  // route treats them alike.
  std::size_t AtomOf(Ipv4 address) const;
  // The first and last address of the atom containing `address`.
  std::pair<Ipv4, Ipv4> AtomRange(Ipv4 address) const;
  // The first address of the atom after the one containing `address` (nullopt for the
  // last atom).
  std::optional<Ipv4> NextAtomStart(Ipv4 address) const;
  // A public address that belongs to no AWS service, VPC, site or rule of the input,
  // standing for "the internet".
  Ipv4 internet_address() const { return internet_address_; }
  Ipv4 site_public_address(int site) const;  // the NAT address a site uses on the internet

  // The graph, for the engine and reports (opaque here).
  struct Graph;
  const Graph& graph() const { return *graph_; }

 private:
  Topology();
  friend class TopologyBuilder;

  Scenario scenario_;
  ServiceCatalog catalog_;
  std::vector<VpcInfo> vpcs_;
  std::vector<SubnetInfo> subnets_;
  std::vector<RouteTableInfo> route_tables_;
  std::vector<AclInfo> acls_;
  std::vector<SecurityGroupInfo> security_groups_;
  std::vector<NatInfo> nats_;
  std::vector<GatewayInfo> igws_;
  std::vector<GatewayInfo> vgws_;
  std::vector<SiteInfo> sites_;
  std::vector<PeeringInfo> peerings_;
  std::vector<EndpointInfo> endpoints_;
  std::vector<EndpointEni> endpoint_enis_;
  std::vector<ProxyInfo> proxies_;
  std::vector<GroupInfo> groups_;
  // What a million ENIs cost: built once and shared by topologies of edited scenarios
  // that leave every address in place.
  struct EniTable {
    std::vector<Eni> enis;
    std::unordered_map<std::string, std::int64_t> explicit_ids;  // eni_ids / instance_ids
    // (vpc, address) -> owner, sorted.
    std::vector<std::pair<std::uint64_t, Owner>> private_owners;
    std::vector<std::pair<Ipv4, Owner>> public_owners;
    std::vector<std::pair<std::string, int>> group_names;  // sorted, for FindGroup
  };
  std::shared_ptr<const EniTable> eni_table_;
  std::vector<Ipv4> cuts_;
  Ipv4 internet_address_ = 0;
  std::unique_ptr<Graph> graph_;
};

}  // namespace sim
