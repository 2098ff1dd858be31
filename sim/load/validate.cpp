// Cross-reference and AWS-constraint checks of a parsed scenario. Each rule cites the
// AWS behaviour it enforces; a configuration AWS would refuse to create is an input
// error, because answering questions about it would teach the wrong thing.
#include <algorithm>
#include <map>
#include <set>

#include "sim/load/json_reader.hpp"
#include "sim/load/scenario_loader.hpp"

namespace sim {
namespace {

using P = std::string;

class Validator {
 public:
  Validator(const Scenario& s, const ServiceCatalog& catalog, DiagnosticSink& sink)
      : s_(s), catalog_(catalog), sink_(sink), parse_errors_(sink.errors().size()) {}

  void Run() {
    if (!s_.region.empty() && !catalog_.HasRegion(s_.region)) {
      std::string known;
      for (const auto& r : catalog_.Regions()) known += (known.empty() ? "" : ", ") + r;
      Error("/region", "region \"" + s_.region + "\" is not in the built-in service catalog (" +
                           known + "); add its services under \"services\"");
    }
    IndexIds();
    CheckVpcs();
    CheckSubnets();
    CheckGateways();
    CheckPrefixLists();
    CheckSecurityGroups();
    CheckNetworkAcls();
    CheckEndpoints();
    CheckRouteTables();
    CheckNodeGroups();
    CheckProxies();
  }

 private:
  void Error(const P& pointer, const std::string& message) {
    for (std::size_t i = 0; i < parse_errors_; ++i) {
      const std::string& reported = sink_.errors()[i].location;
      if (pointer == reported || pointer.starts_with(reported + "/")) return;
    }
    sink_.Error(pointer, message);
  }

  void Register(const std::string& id, const char* kind, const P& pointer, const P& id_pointer) {
    if (id.empty()) return;
    auto [it, inserted] = ids_.emplace(id, std::make_pair(std::string(kind), pointer));
    if (!inserted) {
      Error(id_pointer, "id \"" + id + "\" is already used by the " + it->second.first + " at " +
                            LocationText(it->second.second));
    }
  }

  void IndexIds() {
    for (const auto& x : s_.vpcs) Register(x.id, "VPC", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.subnets)
      Register(x.id, "subnet", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.route_tables)
      Register(x.id, "route table", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.internet_gateways)
      Register(x.id, "internet gateway", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.nat_gateways)
      Register(x.id, "NAT gateway", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.vpn_gateways)
      Register(x.id, "virtual private gateway", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.onprem_sites)
      Register(x.id, "on-premises site", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.peering_connections)
      Register(x.id, "peering connection", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.prefix_lists)
      Register(x.id, "prefix list", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.security_groups)
      Register(x.id, "security group", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.network_acls)
      Register(x.id, "network ACL", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.vpc_endpoints)
      Register(x.id, "VPC endpoint", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.proxies)
      Register(x.id, "proxy", x.pointer, PointerAppend(x.pointer, "id"));
    for (const auto& x : s_.node_groups) {
      Register(x.name, "node group", x.pointer, PointerAppend(x.pointer, "name"));
      for (std::size_t i = 0; i < x.eni_ids.size(); ++i) {
        // A one-interface group may be named by its own ENI id (imported dumps are).
        if (x.eni_ids.size() == 1 && x.eni_ids[i] == x.name) continue;
        Register(x.eni_ids[i], "network interface", x.pointer,
                 PointerAppend(PointerAppend(x.pointer, "eni_ids"), i));
      }
      for (std::size_t i = 0; i < x.instance_ids.size(); ++i) {
        Register(x.instance_ids[i], "instance", x.pointer,
                 PointerAppend(PointerAppend(x.pointer, "instance_ids"), i));
      }
    }
    for (const auto& x : s_.vpcs) vpc_[x.id] = &x;
    for (const auto& x : s_.subnets) subnet_[x.id] = &x;
    for (const auto& x : s_.security_groups) sg_[x.id] = &x;
    for (const auto& x : s_.route_tables) rtb_[x.id] = &x;
    for (const auto& x : s_.prefix_lists) pl_[x.id] = &x;
    for (const auto& x : s_.node_groups) group_[x.name] = &x;
    for (const auto& x : s_.vpc_endpoints) endpoint_[x.id] = &x;
  }

  // Reports a reference that does not resolve; returns the target or nullptr.
  template <typename T>
  const T* Ref(const std::map<std::string, const T*>& index, const std::string& id,
               const P& pointer, const char* kind) {
    if (id.empty()) return nullptr;
    const auto it = index.find(id);
    if (it != index.end()) return it->second;
    const auto other = ids_.find(id);
    if (other != ids_.end()) {
      Error(pointer, "\"" + id + "\" is a " + other->second.first + ", not a " + kind);
    } else {
      Error(pointer, "no " + std::string(kind) + " with id \"" + id + "\" in this scenario");
    }
    return nullptr;
  }

  const Vpc* VpcRef(const std::string& id, const P& pointer) {
    return Ref(vpc_, id, pointer, "VPC");
  }
  const Subnet* SubnetRef(const std::string& id, const P& pointer) {
    return Ref(subnet_, id, pointer, "subnet");
  }

  void CheckVpcs() {
    for (const Vpc& v : s_.vpcs) {
      for (std::size_t i = 0; i < v.cidr_blocks.size(); ++i) {
        const Cidr& c = v.cidr_blocks[i];
        const P p = PointerAppend(PointerAppend(v.pointer, "cidr_blocks"), i);
        // AWS: VPC IPv4 CIDR blocks are between /16 and /28.
        if (c.length < 16 || c.length > 28) {
          Error(p, c.ToString() + ": a VPC CIDR block must be between /16 and /28 (AWS VPC quota)");
        }
        for (std::size_t j = 0; j < i; ++j) {
          if (c.Overlaps(v.cidr_blocks[j])) {
            Error(p,
                  c.ToString() + " overlaps " + v.cidr_blocks[j].ToString() + " of the same VPC");
          }
        }
      }
    }
  }

  void CheckSubnets() {
    for (std::size_t i = 0; i < s_.subnets.size(); ++i) {
      const Subnet& sn = s_.subnets[i];
      const Vpc* vpc = VpcRef(sn.vpc, PointerAppend(sn.pointer, "vpc"));
      const P cp = PointerAppend(sn.pointer, "cidr");
      if (sn.cidr.length < 16 || sn.cidr.length > 28) {
        Error(cp, sn.cidr.ToString() + ": a subnet CIDR block must be between /16 and /28");
      }
      if (vpc && !vpc->cidr_blocks.empty() &&
          !std::any_of(vpc->cidr_blocks.begin(), vpc->cidr_blocks.end(),
                       [&](const Cidr& c) { return c.Contains(sn.cidr); })) {
        std::string blocks;
        for (const Cidr& c : vpc->cidr_blocks)
          blocks += (blocks.empty() ? "" : ", ") + c.ToString();
        Error(cp, sn.cidr.ToString() + " is outside the CIDR blocks of " + vpc->id + " (" + blocks +
                      ")");
      }
      for (std::size_t j = 0; j < i; ++j) {
        const Subnet& other = s_.subnets[j];
        if (other.vpc == sn.vpc && other.cidr.Overlaps(sn.cidr)) {
          Error(cp, sn.cidr.ToString() + " overlaps subnet " + other.id + " (" +
                        other.cidr.ToString() + ") in the same VPC");
        }
      }
    }
  }

  void CheckGateways() {
    std::map<std::string, std::string> igw_of_vpc, vgw_of_vpc;
    for (const auto& g : s_.internet_gateways) {
      if (g.vpc.empty()) continue;
      if (!VpcRef(g.vpc, PointerAppend(g.pointer, "vpc"))) continue;
      // AWS: a VPC can have only one internet gateway attached.
      if (!igw_of_vpc.emplace(g.vpc, g.id).second) {
        Error(PointerAppend(g.pointer, "vpc"), g.vpc + " already has internet gateway " +
                                                   igw_of_vpc[g.vpc] +
                                                   " attached; a VPC has at most one");
      }
    }
    for (const auto& g : s_.vpn_gateways) {
      if (g.vpc.empty()) continue;
      if (!VpcRef(g.vpc, PointerAppend(g.pointer, "vpc"))) continue;
      if (!vgw_of_vpc.emplace(g.vpc, g.id).second) {
        Error(PointerAppend(g.pointer, "vpc"), g.vpc + " already has virtual private gateway " +
                                                   vgw_of_vpc[g.vpc] +
                                                   " attached; a VPC has at most one");
      }
    }
    for (const auto& n : s_.nat_gateways) {
      const Subnet* sn = SubnetRef(n.subnet, PointerAppend(n.pointer, "subnet"));
      // AWS refuses to create a public NAT gateway in a VPC without an internet gateway
      // ("Network vpc-... has no internet gateway attached", semantics reference §4.1).
      if (sn && n.connectivity == NatConnectivity::kPublic && !igw_of_vpc.count(sn->vpc)) {
        Error(PointerAppend(n.pointer, "subnet"),
              "a public NAT gateway needs an internet gateway attached to its VPC; " + sn->vpc +
                  " has none (AWS refuses to create it)");
      }
      if (n.connectivity == NatConnectivity::kPublic && !n.elastic_ip) {
        Error(PointerAppend(n.pointer, "elastic_ip"),
              "a public NAT gateway needs an Elastic IP address");
      }
      if (n.connectivity == NatConnectivity::kPrivate && n.elastic_ip) {
        Error(PointerAppend(n.pointer, "elastic_ip"),
              "a private NAT gateway has no Elastic IP address");
      }
      if (n.elastic_ip && (IsRfc1918(*n.elastic_ip) || IsLinkLocal(*n.elastic_ip))) {
        Error(PointerAppend(n.pointer, "elastic_ip"),
              FormatIpv4(*n.elastic_ip) + " is not a public address");
      }
    }
    std::map<std::string, const VpnGateway*> vgws;
    for (const auto& g : s_.vpn_gateways) vgws[g.id] = &g;
    for (const auto& site : s_.onprem_sites) {
      Ref(vgws, site.vpn_gateway, PointerAppend(site.pointer, "vpn_gateway"),
          "virtual private gateway");
      if (site.cidrs.empty())
        Error(PointerAppend(site.pointer, "cidrs"), "an on-premises site needs at least one CIDR");
    }
    for (const auto& c : s_.peering_connections) {
      const Vpc* a = VpcRef(c.requester_vpc, PointerAppend(c.pointer, "requester_vpc"));
      const Vpc* b = VpcRef(c.accepter_vpc, PointerAppend(c.pointer, "accepter_vpc"));
      if (a && b && a == b)
        Error(PointerAppend(c.pointer, "accepter_vpc"), "a VPC cannot be peered with itself");
      if (a && b && a != b) {
        // AWS: VPCs with overlapping IPv4 CIDR blocks cannot be peered.
        for (const Cidr& x : a->cidr_blocks) {
          for (const Cidr& y : b->cidr_blocks) {
            if (x.Overlaps(y)) {
              Error(PointerAppend(c.pointer, "accepter_vpc"),
                    "cannot peer " + a->id + " (" + x.ToString() + ") with " + b->id + " (" +
                        y.ToString() + "): their CIDR blocks overlap");
            }
          }
        }
      }
    }
  }

  bool PrefixListExists(const std::string& id) {
    return pl_.count(id) > 0 || catalog_.PrefixListOwner(id, nullptr) != nullptr;
  }

  void CheckPrefixLists() {
    for (const auto& pl : s_.prefix_lists) {
      if (pl.cidrs.empty())
        Error(PointerAppend(pl.pointer, "cidrs"), "a prefix list needs at least one entry");
    }
  }

  void CheckSgRules(const SecurityGroup& g, const std::vector<SgRule>& rules) {
    for (const SgRule& r : rules) {
      if (r.peer_kind == PeerKind::kPrefixList && !PrefixListExists(r.peer)) {
        Error(PointerAppend(r.pointer, "prefix_list"),
              "no prefix list \"" + r.peer + "\" in this scenario or among the AWS-managed lists");
      }
      if (r.peer_kind == PeerKind::kSecurityGroup) {
        const SecurityGroup* ref =
            Ref(sg_, r.peer, PointerAppend(r.pointer, "security_group"), "security group");
        // AWS: a rule may reference a group of the same VPC or of a VPC peered in the
        // same Region.
        if (ref && ref->vpc != g.vpc && !Peered(ref->vpc, g.vpc)) {
          Error(PointerAppend(r.pointer, "security_group"),
                r.peer + " is in " + ref->vpc + ", which is not peered with " + g.vpc +
                    "; a rule can reference only groups of its own VPC or of a peered VPC");
        }
      }
    }
  }

  bool Peered(const std::string& a, const std::string& b) const {
    return std::any_of(s_.peering_connections.begin(), s_.peering_connections.end(),
                       [&](const auto& c) {
                         return (c.requester_vpc == a && c.accepter_vpc == b) ||
                                (c.requester_vpc == b && c.accepter_vpc == a);
                       });
  }

  void CheckSecurityGroups() {
    std::set<std::string> default_of_vpc;
    for (const SecurityGroup& g : s_.security_groups) {
      VpcRef(g.vpc, PointerAppend(g.pointer, "vpc"));
      if (g.name == "default" && !default_of_vpc.insert(g.vpc).second) {
        Error(PointerAppend(g.pointer, "name"),
              g.vpc + " already has a security group named \"default\"");
      }
      CheckSgRules(g, g.ingress);
      CheckSgRules(g, g.egress);
    }
  }

  void CheckNetworkAcls() {
    std::map<std::string, std::string> acl_of_subnet;
    std::set<std::string> default_of_vpc;
    for (const NetworkAcl& acl : s_.network_acls) {
      VpcRef(acl.vpc, PointerAppend(acl.pointer, "vpc"));
      if (acl.is_default && !default_of_vpc.insert(acl.vpc).second) {
        Error(PointerAppend(acl.pointer, "default"),
              acl.vpc + " already has a default network ACL");
      }
      for (std::size_t i = 0; i < acl.subnets.size(); ++i) {
        const P p = PointerAppend(PointerAppend(acl.pointer, "subnets"), i);
        const Subnet* sn = SubnetRef(acl.subnets[i], p);
        if (!sn) continue;
        if (sn->vpc != acl.vpc) Error(p, sn->id + " is in " + sn->vpc + ", not in " + acl.vpc);
        // AWS: a subnet is associated with exactly one network ACL.
        auto [it, inserted] = acl_of_subnet.emplace(sn->id, acl.id);
        if (!inserted) Error(p, sn->id + " is already associated with network ACL " + it->second);
      }
      for (const auto* entries : {&acl.ingress, &acl.egress}) {
        std::set<int> numbers;
        for (const NaclEntry& e : *entries) {
          if (e.rule_number > 0 && !numbers.insert(e.rule_number).second) {
            Error(PointerAppend(e.pointer, "rule_number"),
                  "rule number " + std::to_string(e.rule_number) +
                      " is used twice in the same direction");
          }
        }
      }
    }
  }

  void CheckEndpoints() {
    for (const VpcEndpoint& e : s_.vpc_endpoints) {
      const Vpc* vpc = VpcRef(e.vpc, PointerAppend(e.pointer, "vpc"));
      const CatalogService* service = catalog_.Find(e.service);
      const P sp = PointerAppend(e.pointer, "service");
      if (!service) {
        Error(sp, "no service \"" + e.service +
                      "\" in the catalog (write the short name, such as \"s3\" or "
                      "\"ecr.api\", or define it under \"services\")");
      } else if (e.type == EndpointType::kGateway && !service->gateway_endpoint) {
        Error(sp, "AWS offers no gateway endpoint for " + e.service +
                      " (only S3 and DynamoDB have one)");
      } else if (e.type == EndpointType::kInterface && !service->interface_endpoint) {
        Error(sp, "AWS offers no interface endpoint for " + e.service);
      }
      if (e.type == EndpointType::kGateway) {
        if (e.route_tables.empty()) {
          Error(PointerAppend(e.pointer, "route_tables"),
                "a gateway endpoint is used only by the route tables associated with it; list at "
                "least one");
        }
        for (std::size_t i = 0; i < e.route_tables.size(); ++i) {
          const P p = PointerAppend(PointerAppend(e.pointer, "route_tables"), i);
          const RouteTable* t = Ref(rtb_, e.route_tables[i], p, "route table");
          if (t && vpc && t->vpc != vpc->id)
            Error(p, t->id + " is in " + t->vpc + ", not in " + vpc->id);
        }
        continue;
      }
      std::map<std::string, std::string> subnet_of_az;
      if (e.subnets.empty()) {
        Error(PointerAppend(e.pointer, "subnets"),
              "an interface endpoint needs at least one subnet");
      }
      for (std::size_t i = 0; i < e.subnets.size(); ++i) {
        const P p = PointerAppend(PointerAppend(e.pointer, "subnets"), i);
        const Subnet* sn = SubnetRef(e.subnets[i], p);
        if (!sn) continue;
        if (vpc && sn->vpc != vpc->id)
          Error(p, sn->id + " is in " + sn->vpc + ", not in " + vpc->id);
        // AWS: an interface endpoint has at most one subnet per Availability Zone.
        auto [it, inserted] = subnet_of_az.emplace(sn->availability_zone, sn->id);
        if (!inserted) {
          Error(p, "an interface endpoint can use only one subnet per Availability Zone; " +
                       it->second + " is already in " + sn->availability_zone);
        }
      }
      for (std::size_t i = 0; i < e.security_groups.size(); ++i) {
        const P p = PointerAppend(PointerAppend(e.pointer, "security_groups"), i);
        const SecurityGroup* g = Ref(sg_, e.security_groups[i], p, "security group");
        if (g && vpc && g->vpc != vpc->id)
          Error(p, g->id + " is in " + g->vpc + ", not in " + vpc->id);
      }
      for (const auto& entry : e.addresses) {
        const std::string& subnet_id = entry.first;
        const P p = PointerAppend(PointerAppend(e.pointer, "addresses"), subnet_id);
        if (std::find(e.subnets.begin(), e.subnets.end(), subnet_id) == e.subnets.end()) {
          Error(p, subnet_id + " is not one of the endpoint's subnets");
        }
      }
    }
  }

  void CheckRouteTables() {
    std::map<std::string, std::string> main_of_vpc, table_of_subnet;
    std::map<std::string, const InternetGateway*> igws;
    std::map<std::string, const NatGateway*> nats;
    std::map<std::string, const VpnGateway*> vgws;
    std::map<std::string, const PeeringConnection*> pcxs;
    for (const auto& x : s_.internet_gateways) igws[x.id] = &x;
    for (const auto& x : s_.nat_gateways) nats[x.id] = &x;
    for (const auto& x : s_.vpn_gateways) vgws[x.id] = &x;
    for (const auto& x : s_.peering_connections) pcxs[x.id] = &x;
    for (const RouteTable& t : s_.route_tables) {
      const Vpc* vpc = VpcRef(t.vpc, PointerAppend(t.pointer, "vpc"));
      if (t.main && !main_of_vpc.emplace(t.vpc, t.id).second) {
        Error(PointerAppend(t.pointer, "main"),
              t.vpc + " already has main route table " + main_of_vpc[t.vpc]);
      }
      for (std::size_t i = 0; i < t.subnets.size(); ++i) {
        const P p = PointerAppend(PointerAppend(t.pointer, "subnets"), i);
        const Subnet* sn = SubnetRef(t.subnets[i], p);
        if (!sn) continue;
        if (sn->vpc != t.vpc) Error(p, sn->id + " is in " + sn->vpc + ", not in " + t.vpc);
        // AWS: a subnet is associated with exactly one route table.
        auto [it, inserted] = table_of_subnet.emplace(sn->id, t.id);
        if (!inserted) Error(p, sn->id + " is already associated with route table " + it->second);
      }
      std::map<std::string, const VpnGateway*> vgw_index;
      for (const auto& g : s_.vpn_gateways) vgw_index[g.id] = &g;
      for (std::size_t i = 0; i < t.propagating_vgws.size(); ++i) {
        const P p = PointerAppend(PointerAppend(t.pointer, "propagating_vgws"), i);
        if (const VpnGateway* g =
                Ref(vgw_index, t.propagating_vgws[i], p, "virtual private gateway");
            g && g->vpc != t.vpc) {
          Error(p, g->id + " is not attached to " + t.vpc +
                       "; only an attached gateway propagates routes");
        }
      }
      std::set<std::string> static_destinations;
      // AWS: a route table holds at most one gateway-endpoint route per service.
      std::map<std::string, std::string> endpoint_of_service;
      for (const VpcEndpoint& e : s_.vpc_endpoints) {
        if (e.type != EndpointType::kGateway) continue;
        if (std::find(e.route_tables.begin(), e.route_tables.end(), t.id) == e.route_tables.end())
          continue;
        auto [it, inserted] = endpoint_of_service.emplace(e.service, e.id);
        if (!inserted) {
          Error(PointerAppend(e.pointer, "route_tables"),
                t.id + " is already associated with " + it->second + " for " + e.service +
                    "; a route table can use only one gateway endpoint per service");
        }
      }
      for (const Route& r : t.routes)
        CheckRoute(t, vpc, r, igws, nats, vgws, pcxs, static_destinations);
    }
  }

  void CheckRoute(const RouteTable& t, const Vpc* vpc, const Route& r,
                  const std::map<std::string, const InternetGateway*>& igws,
                  const std::map<std::string, const NatGateway*>& nats,
                  const std::map<std::string, const VpnGateway*>& vgws,
                  const std::map<std::string, const PeeringConnection*>& pcxs,
                  std::set<std::string>& static_destinations) {
    const char* target_key = "local";
    switch (r.target_kind) {
      case TargetKind::kLocal:
        target_key = "local";
        break;
      case TargetKind::kInternetGateway:
        target_key = "internet_gateway";
        break;
      case TargetKind::kNatGateway:
        target_key = "nat_gateway";
        break;
      case TargetKind::kVpnGateway:
        target_key = "vpn_gateway";
        break;
      case TargetKind::kPeeringConnection:
        target_key = "peering_connection";
        break;
      case TargetKind::kNetworkInterface:
        target_key = "network_interface";
        break;
      case TargetKind::kVpcEndpoint:
        target_key = "vpc_endpoint";
        break;
      case TargetKind::kTransitGateway:
        target_key = "transit_gateway";
        break;
    }
    const P tp = PointerAppend(r.pointer, target_key);
    if (r.destination) {
      const Cidr& d = *r.destination;
      const P dp = PointerAppend(r.pointer, "destination");
      // AWS: routes cannot target 169.254.168.0/22 or anything inside it.
      if (Cidr{0xA9FEA800u, 22}.Contains(d)) {
        Error(dp, d.ToString() +
                      " is inside 169.254.168.0/22, which AWS reserves; routes cannot target it");
      }
      if (r.origin == RouteOrigin::kStatic && !static_destinations.insert(d.ToString()).second) {
        Error(dp, "a static route for " + d.ToString() + " already exists in " + t.id +
                      " (AWS rejects duplicates)");
      }
      const bool is_block = vpc && std::any_of(vpc->cidr_blocks.begin(), vpc->cidr_blocks.end(),
                                               [&](const Cidr& b) { return b == d; });
      if (vpc && r.target_kind == TargetKind::kLocal && !is_block) {
        std::string blocks;
        for (const Cidr& b : vpc->cidr_blocks)
          blocks += (blocks.empty() ? "" : ", ") + b.ToString();
        Error(tp, "a local route covers one of the VPC's CIDR blocks (" + blocks + "), not " +
                      d.ToString());
      }
      if (vpc && r.origin == RouteOrigin::kStatic && r.target_kind != TargetKind::kLocal) {
        for (const Cidr& block : vpc->cidr_blocks) {
          if (d == block) {
            // AWS: the local route's target can be replaced by a NAT gateway or a network
            // interface (or a GWLB endpoint), and restored later (semantics reference §2.1).
            if (r.target_kind != TargetKind::kNatGateway &&
                r.target_kind != TargetKind::kNetworkInterface &&
                r.target_kind != TargetKind::kTransitGateway) {
              Error(dp, d.ToString() + " is the local route of " + vpc->id +
                            "; its target can be replaced only by a NAT gateway or a network "
                            "interface");
            }
          } else if (block.Contains(d)) {
            // AWS: a route more specific than the local route must cover a whole subnet
            // and target a NAT gateway, a network interface or a GWLB endpoint.
            const bool whole_subnet =
                std::any_of(s_.subnets.begin(), s_.subnets.end(),
                            [&](const Subnet& sn) { return sn.vpc == vpc->id && sn.cidr == d; });
            // A Gateway Load Balancer endpoint may be the target too; vpcsim carries it as
            // an unmodelled target (the transit-gateway kind), which a path stops at.
            const bool allowed_target = r.target_kind == TargetKind::kNatGateway ||
                                        r.target_kind == TargetKind::kNetworkInterface ||
                                        r.target_kind == TargetKind::kTransitGateway;
            if (!whole_subnet || !allowed_target) {
              Error(dp,
                    d.ToString() + " is inside " + vpc->id + "'s " + block.ToString() +
                        "; AWS allows a route more specific than the local route only for a whole "
                        "subnet's CIDR, with a NAT gateway or network interface as target");
            }
          }
        }
      }
    } else if (!r.destination_prefix_list.empty() && !PrefixListExists(r.destination_prefix_list)) {
      Error(PointerAppend(r.pointer, "destination_prefix_list"),
            "no prefix list \"" + r.destination_prefix_list +
                "\" in this scenario or among the AWS-managed lists");
    }
    if (r.origin == RouteOrigin::kPropagated && r.target_kind != TargetKind::kVpnGateway) {
      Error(PointerAppend(r.pointer, "origin"),
            "only a virtual private gateway propagates routes into a VPC route table");
    }
    if (r.target_kind == TargetKind::kLocal && !r.destination) {
      Error(tp, "the local route has a CIDR destination");
    }
    const std::string& id = r.target;
    // AWS: a blackhole route is what remains when its target was deleted; it names a
    // target that need not exist any more (semantics reference §2.4).
    if (r.state == RouteState::kBlackhole) return;
    switch (r.target_kind) {
      case TargetKind::kLocal:
      case TargetKind::kTransitGateway:
        break;
      case TargetKind::kInternetGateway:
        Ref(igws, id, tp, "internet gateway");
        break;
      case TargetKind::kNatGateway:
        if (const NatGateway* n = Ref(nats, id, tp, "NAT gateway")) {
          const auto sn = subnet_.find(n->subnet);
          if (sn != subnet_.end() && sn->second->vpc != t.vpc) {
            Error(tp, id + " is in " + sn->second->vpc +
                          "; a route can use only a NAT gateway of its own VPC");
          }
        }
        break;
      case TargetKind::kVpnGateway:
        Ref(vgws, id, tp, "virtual private gateway");
        break;
      case TargetKind::kPeeringConnection:
        if (const PeeringConnection* c = Ref(pcxs, id, tp, "peering connection")) {
          if (c->requester_vpc != t.vpc && c->accepter_vpc != t.vpc) {
            Error(tp, id + " does not connect " + t.vpc);
          }
        }
        break;
      case TargetKind::kNetworkInterface:
        CheckEniTarget(t, id, tp);
        break;
      case TargetKind::kVpcEndpoint:
        if (const VpcEndpoint* e = Ref(endpoint_, id, tp, "VPC endpoint")) {
          if (e->type != EndpointType::kGateway) {
            Error(tp, id + " is an interface endpoint; only gateway endpoints are route targets");
          } else if (std::find(e->route_tables.begin(), e->route_tables.end(), t.id) ==
                     e->route_tables.end()) {
            Error(tp, "AWS adds the route to " + id +
                          " only to the route tables associated with the endpoint; add " + t.id +
                          " to its \"route_tables\"");
          }
        }
        break;
    }
  }

  void CheckEniTarget(const RouteTable& t, const std::string& id, const P& tp) {
    for (const NodeGroup& g : s_.node_groups) {
      const bool by_eni = std::find(g.eni_ids.begin(), g.eni_ids.end(), id) != g.eni_ids.end();
      if (g.name != id && !by_eni) continue;
      if (g.name == id && g.count != 1) {
        Error(tp, "node group " + id + " has " + std::to_string(g.count) +
                      " network interfaces; a route targets one (name it by its ENI id)");
      }
      const auto sn = subnet_.find(g.subnet);
      if (sn != subnet_.end() && sn->second->vpc != t.vpc) {
        Error(tp, id + " is in " + sn->second->vpc +
                      "; a route can target only a network interface of its own VPC");
      }
      return;
    }
    Error(tp, "no node group or network interface \"" + id + "\" in this scenario");
  }

  void CheckNodeGroups() {
    std::map<std::string, std::int64_t> used;  // subnet -> addresses taken
    for (const auto& n : s_.nat_gateways) used[n.subnet] += 1;
    for (const auto& e : s_.vpc_endpoints) {
      for (const auto& sn : e.subnets) used[sn] += 1;
    }
    // Fixed addresses must be unique and usable in their subnet (AWS reserves the first
    // four and the last address of every subnet).
    std::map<std::pair<std::string, Ipv4>, std::string> fixed_ips;  // (VPC, address) -> owner
    auto claim = [&](const Subnet* sn, Ipv4 ip, const std::string& owner, const P& p) {
      if (!sn) return;
      const std::int64_t offset = static_cast<std::int64_t>(ip) - sn->cidr.first();
      if (!sn->cidr.Contains(ip)) {
        Error(p,
              FormatIpv4(ip) + " is outside subnet " + sn->id + " (" + sn->cidr.ToString() + ")");
      } else if (offset < 4 || ip == sn->cidr.last()) {
        Error(p, FormatIpv4(ip) + " is reserved by AWS in " + sn->cidr.ToString() +
                     " (the first four addresses and the last one)");
      } else if (auto [it, inserted] = fixed_ips.emplace(std::make_pair(sn->vpc, ip), owner);
                 !inserted) {
        Error(p, FormatIpv4(ip) + " is already used by " + it->second);
      }
    };
    for (const auto& n : s_.nat_gateways) {
      if (n.private_ip && subnet_.count(n.subnet)) {
        claim(subnet_[n.subnet], *n.private_ip, "NAT gateway " + n.id,
              PointerAppend(n.pointer, "private_ip"));
      }
    }
    for (const auto& e : s_.vpc_endpoints) {
      for (const auto& [subnet_id, ip] : e.addresses) {
        if (subnet_.count(subnet_id)) {
          claim(subnet_[subnet_id], ip, "endpoint " + e.id,
                PointerAppend(PointerAppend(e.pointer, "addresses"), subnet_id));
        }
      }
    }
    for (const NodeGroup& g : s_.node_groups) {
      const Subnet* sn = SubnetRef(g.subnet, PointerAppend(g.pointer, "subnet"));
      for (std::size_t i = 0; i < g.security_groups.size(); ++i) {
        const P p = PointerAppend(PointerAppend(g.pointer, "security_groups"), i);
        const SecurityGroup* sg = Ref(sg_, g.security_groups[i], p, "security group");
        if (sg && sn && sg->vpc != sn->vpc) {
          Error(p,
                sg->id + " belongs to " + sg->vpc + " but subnet " + sn->id + " is in " + sn->vpc);
        }
      }
      if (g.security_groups.size() > 16) {
        Error(PointerAppend(g.pointer, "security_groups"),
              "a network interface can have at most 16 security groups");
      }
      // AWS: awsvpc task ENIs on the EC2 launch type never get a public IPv4 address
      // (semantics reference §9).
      if (IsAwsvpcTask(g.role) && g.public_ip.value_or(false)) {
        Error(PointerAppend(g.pointer, "public_ip"),
              "awsvpc task ENIs (EC2 launch type) never get a public IPv4 address, whatever the "
              "subnet says");
      }
      if (!g.proxy.empty() && std::none_of(s_.proxies.begin(), s_.proxies.end(),
                                           [&](const Proxy& x) { return x.id == g.proxy; })) {
        Error(PointerAppend(g.pointer, "proxy"), "no proxy \"" + g.proxy + "\" in this scenario");
      }
      auto check_len = [&](std::size_t n, const char* key) {
        if (n != 0 && static_cast<std::int64_t>(n) != g.count) {
          Error(PointerAppend(g.pointer, key), std::string(key) + " lists " + std::to_string(n) +
                                                   " entries but the group has count " +
                                                   std::to_string(g.count));
        }
      };
      check_len(g.private_ips.size(), "private_ips");
      check_len(g.eni_ids.size(), "eni_ids");
      check_len(g.instance_ids.size(), "instance_ids");
      if (!g.public_ips.empty() && static_cast<std::int64_t>(g.public_ips.size()) != g.count) {
        check_len(g.public_ips.size(), "public_ips");
      }
      if (!g.public_ips.empty() && g.public_ip.has_value() && !*g.public_ip) {
        Error(PointerAppend(g.pointer, "public_ips"), "public_ips given but public_ip is false");
      }
      for (std::size_t i = 0; i < g.public_ips.size(); ++i) {
        if (IsRfc1918(g.public_ips[i])) {
          Error(PointerAppend(PointerAppend(g.pointer, "public_ips"), i),
                FormatIpv4(g.public_ips[i]) + " is a private address");
        }
      }
      if (!sn) continue;
      for (std::size_t i = 0; i < g.private_ips.size(); ++i) {
        claim(sn, g.private_ips[i], "node group " + g.name,
              PointerAppend(PointerAppend(g.pointer, "private_ips"), i));
      }
      if (!g.secondary_ips.empty() && g.count != 1) {
        Error(PointerAppend(g.pointer, "secondary_ips"),
              "secondary_ips belong to one network interface; the group has count " +
                  std::to_string(g.count));
      }
      for (const SecondaryIp& ip : g.secondary_ips) {
        claim(sn, ip.private_ip, "node group " + g.name, PointerAppend(ip.pointer, "private_ip"));
        if (ip.public_ip && IsRfc1918(*ip.public_ip)) {
          Error(PointerAppend(ip.pointer, "public_ip"),
                FormatIpv4(*ip.public_ip) + " is a private address");
        }
      }
      used[sn->id] += g.count;
      const std::int64_t capacity = static_cast<std::int64_t>(sn->cidr.size()) - 5;
      if (used[sn->id] > capacity) {
        Error(PointerAppend(g.pointer, "count"),
              "subnet " + sn->id + " (" + sn->cidr.ToString() + ") has " +
                  std::to_string(capacity) +
                  " usable addresses; its node groups, NAT gateways and endpoints need " +
                  std::to_string(used[sn->id]));
      }
    }
  }

  void CheckProxies() {
    for (const Proxy& x : s_.proxies) {
      if (!x.node_group.empty() && !group_.count(x.node_group)) {
        Error(PointerAppend(x.pointer, "node_group"),
              "no node group \"" + x.node_group + "\" in this scenario");
      }
      if (!x.onprem_site.empty()) {
        const auto site = std::find_if(s_.onprem_sites.begin(), s_.onprem_sites.end(),
                                       [&](const OnPremSite& o) { return o.id == x.onprem_site; });
        if (site == s_.onprem_sites.end()) {
          Error(PointerAppend(x.pointer, "onprem_site"),
                "no on-premises site \"" + x.onprem_site + "\"");
        } else if (x.address &&
                   std::none_of(site->cidrs.begin(), site->cidrs.end(),
                                [&](const Cidr& c) { return c.Contains(*x.address); })) {
          Error(PointerAppend(x.pointer, "address"),
                FormatIpv4(*x.address) + " is not inside the CIDRs of site " + site->id);
        }
      }
    }
  }

  const Scenario& s_;
  const ServiceCatalog& catalog_;
  DiagnosticSink& sink_;
  std::size_t parse_errors_;  // errors reported while parsing, before validation
  std::map<std::string, std::pair<std::string, P>> ids_;
  std::map<std::string, const Vpc*> vpc_;
  std::map<std::string, const Subnet*> subnet_;
  std::map<std::string, const SecurityGroup*> sg_;
  std::map<std::string, const RouteTable*> rtb_;
  std::map<std::string, const PrefixList*> pl_;
  std::map<std::string, const NodeGroup*> group_;
  std::map<std::string, const VpcEndpoint*> endpoint_;
};

}  // namespace

void ValidateScenario(const Scenario& scenario, const ServiceCatalog& catalog,
                      DiagnosticSink& sink) {
  Validator(scenario, catalog, sink).Run();
}

}  // namespace sim
