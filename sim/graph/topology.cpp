#include "sim/graph/topology.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "sim/graph/graph_impl.hpp"

namespace sim {

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kNetworkInterface:
      return "network-interface";
    case Kind::kInstance:
      return "instance";
    case Kind::kSecurityGroup:
      return "security-group";
    case Kind::kNetworkAcl:
      return "network-acl";
    case Kind::kSubnet:
      return "subnet";
    case Kind::kRouteTable:
      return "route-table";
    case Kind::kInternetGateway:
      return "internet-gateway";
    case Kind::kNatGateway:
      return "nat-gateway";
    case Kind::kVpnGateway:
      return "vpn-gateway";
    case Kind::kVpcEndpoint:
      return "vpc-endpoint";
    case Kind::kPeeringConnection:
      return "vpc-peering-connection";
    case Kind::kTransitGateway:
      return "transit-gateway";
    case Kind::kPrefixList:
      return "prefix-list";
    case Kind::kVpc:
      return "vpc";
    case Kind::kDns:
      return "dns";
    case Kind::kProxy:
      return "proxy";
    case Kind::kOnPremises:
      return "on-premises";
    case Kind::kInternet:
      return "internet";
    case Kind::kAwsService:
      return "aws-service";
    case Kind::kNodeGroup:
      return "node-group";
  }
  return "unknown";
}

std::string CompiledRoute::Describe() const {
  const std::string dest = prefix_list.empty() ? destination.ToString() : prefix_list;
  return dest + " -> " + (target_kind == TargetKind::kLocal ? std::string("local") : target_id);
}

Topology::Topology() : graph_(std::make_unique<Graph>()) {}
Topology::Topology(Topology&&) noexcept = default;
Topology& Topology::operator=(Topology&&) noexcept = default;
Topology::~Topology() = default;

class TopologyBuilder {
 public:
  TopologyBuilder(const Scenario& scenario, const Topology* previous) {
    t_.scenario_ = scenario;
    ApplyAwsDefaults(t_.scenario_);
    t_.catalog_ =
        ServiceCatalog::BuiltIn().WithScenarioServices(t_.scenario_.services, t_.scenario_.region);
    if (previous && SameAddressing(previous->scenario_, t_.scenario_)) {
      t_.eni_table_ = previous->eni_table_;
    } else {
      eni_ = std::make_shared<Topology::EniTable>();
      t_.eni_table_ = eni_;
    }
  }

  Topology Build() {
    const Scenario& s = t_.scenario_;
    Index(s.vpcs, vpc_, [](const Vpc& x) { return x.id; });
    Index(s.subnets, subnet_, [](const Subnet& x) { return x.id; });
    Index(s.route_tables, rtb_, [](const RouteTable& x) { return x.id; });
    Index(s.network_acls, acl_, [](const NetworkAcl& x) { return x.id; });
    Index(s.security_groups, sg_, [](const SecurityGroup& x) { return x.id; });
    Index(s.nat_gateways, nat_, [](const NatGateway& x) { return x.id; });
    Index(s.internet_gateways, igw_, [](const InternetGateway& x) { return x.id; });
    Index(s.vpn_gateways, vgw_, [](const VpnGateway& x) { return x.id; });
    Index(s.onprem_sites, site_, [](const OnPremSite& x) { return x.id; });
    Index(s.peering_connections, pcx_, [](const PeeringConnection& x) { return x.id; });
    Index(s.vpc_endpoints, vpce_, [](const VpcEndpoint& x) { return x.id; });
    Index(s.node_groups, group_, [](const NodeGroup& x) { return x.name; });
    for (const auto& pl : s.prefix_lists) prefix_lists_[pl.id] = pl.cidrs;

    BuildVpcs();
    BuildSubnets();
    BuildSecurityGroups();
    BuildGateways();
    BuildEndpoints();
    BuildGroups();
    AllocateAddresses();
    BuildProxies();
    BuildGraph();
    ComputeAtoms();
    return std::move(t_);
  }

 private:
  template <typename T, typename F>
  static void Index(const std::vector<T>& items, std::unordered_map<std::string, int>& map, F id) {
    for (std::size_t i = 0; i < items.size(); ++i) map[id(items[i])] = static_cast<int>(i);
  }
  static int Find(const std::unordered_map<std::string, int>& map, const std::string& id) {
    const auto it = map.find(id);
    return it == map.end() ? -1 : it->second;
  }
  static bool IsAvailable(const std::string& state) {
    std::string s = state;
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s == "available";
  }

  void BuildVpcs() {
    for (const Vpc& v : t_.scenario_.vpcs) {
      VpcInfo info;
      info.id = v.id;
      info.cidrs = v.cidr_blocks;
      info.dns_support = v.enable_dns_support;
      info.dns_hostnames = v.enable_dns_hostnames;
      t_.vpcs_.push_back(info);
    }
    for (std::size_t i = 0; i < t_.scenario_.route_tables.size(); ++i) {
      const RouteTable& r = t_.scenario_.route_tables[i];
      t_.route_tables_.push_back({r.id, Find(vpc_, r.vpc), -1});
    }
    for (const NetworkAcl& a : t_.scenario_.network_acls) {
      t_.acls_.push_back({a.id, a.ingress, a.egress});
      if (a.is_default) t_.vpcs_[Find(vpc_, a.vpc)].default_acl = Find(acl_, a.id);
    }
  }

  void BuildSubnets() {
    const Scenario& s = t_.scenario_;
    std::unordered_map<std::string, int> main_table, table_of_subnet, acl_of_subnet;
    for (std::size_t i = 0; i < s.route_tables.size(); ++i) {
      const RouteTable& r = s.route_tables[i];
      if (r.main) main_table[r.vpc] = static_cast<int>(i);
      for (const auto& sn : r.subnets) table_of_subnet[sn] = static_cast<int>(i);
    }
    for (std::size_t i = 0; i < s.network_acls.size(); ++i) {
      for (const auto& sn : s.network_acls[i].subnets) acl_of_subnet[sn] = static_cast<int>(i);
    }
    for (const Subnet& sn : s.subnets) {
      SubnetInfo info;
      info.id = sn.id;
      info.vpc = Find(vpc_, sn.vpc);
      info.cidr = sn.cidr;
      info.az = sn.availability_zone;
      // AWS: a subnet without an explicit association uses the main route table and
      // the default network ACL of its VPC.
      const auto rt = table_of_subnet.find(sn.id);
      info.route_table = rt != table_of_subnet.end() ? rt->second : main_table.at(sn.vpc);
      const auto acl = acl_of_subnet.find(sn.id);
      info.acl = acl != acl_of_subnet.end() ? acl->second : t_.vpcs_[info.vpc].default_acl;
      t_.vpcs_[info.vpc].subnets.push_back(static_cast<int>(t_.subnets_.size()));
      t_.subnets_.push_back(info);
    }
  }

  std::vector<Cidr> PrefixListCidrs(const std::string& id) const {
    const auto it = prefix_lists_.find(id);
    if (it != prefix_lists_.end()) return it->second;
    std::string region;
    if (const CatalogService* service = t_.catalog_.PrefixListOwner(id, &region)) {
      return t_.catalog_.Cidrs(*service, region);
    }
    return {};
  }

  CompiledSgRule CompileRule(const SgRule& r, int index) const {
    CompiledSgRule c;
    c.protocol = r.protocol;
    c.from_port = r.from_port;
    c.to_port = r.to_port;
    c.peer_kind = r.peer_kind;
    c.index = index;
    switch (r.peer_kind) {
      case PeerKind::kCidr:
        c.cidrs = {r.cidr};
        c.peer = r.cidr.ToString();
        break;
      case PeerKind::kPrefixList:
        c.cidrs = PrefixListCidrs(r.peer);
        c.peer = r.peer;
        break;
      case PeerKind::kSecurityGroup:
        c.group = Find(sg_, r.peer);
        c.peer = r.peer;
        break;
    }
    return c;
  }

  void BuildSecurityGroups() {
    for (const SecurityGroup& g : t_.scenario_.security_groups) {
      SecurityGroupInfo info;
      info.id = g.id;
      info.vpc = Find(vpc_, g.vpc);
      for (std::size_t i = 0; i < g.ingress.size(); ++i)
        info.ingress.push_back(CompileRule(g.ingress[i], static_cast<int>(i)));
      for (std::size_t i = 0; i < g.egress.size(); ++i)
        info.egress.push_back(CompileRule(g.egress[i], static_cast<int>(i)));
      if (g.name == "default" && info.vpc >= 0)
        t_.vpcs_[info.vpc].default_sg = static_cast<int>(t_.security_groups_.size());
      t_.security_groups_.push_back(info);
    }
  }

  void BuildGateways() {
    const Scenario& s = t_.scenario_;
    for (const InternetGateway& g : s.internet_gateways) {
      const int vpc = g.vpc.empty() ? -1 : Find(vpc_, g.vpc);
      if (vpc >= 0) t_.vpcs_[vpc].internet_gateway = static_cast<int>(t_.igws_.size());
      t_.igws_.push_back({g.id, vpc, -1});
    }
    for (const VpnGateway& g : s.vpn_gateways) {
      const int vpc = g.vpc.empty() ? -1 : Find(vpc_, g.vpc);
      if (vpc >= 0) t_.vpcs_[vpc].vpn_gateway = static_cast<int>(t_.vgws_.size());
      t_.vgws_.push_back({g.id, vpc, -1});
    }
    for (const NatGateway& n : s.nat_gateways) {
      NatInfo info;
      info.id = n.id;
      info.subnet = Find(subnet_, n.subnet);
      info.is_public = n.connectivity == NatConnectivity::kPublic;
      info.elastic_ip = n.elastic_ip.value_or(0);
      info.state = n.state;
      info.available = IsAvailable(n.state);
      t_.nats_.push_back(info);
    }
    for (const OnPremSite& site : s.onprem_sites) {
      SiteInfo info;
      info.id = site.id;
      info.vpn_gateway = Find(vgw_, site.vpn_gateway);
      info.connection = site.connection;
      info.up = site.connection_up;
      info.cidrs = site.cidrs;
      info.advertised = site.advertised;
      info.internet_egress = site.internet_egress;
      t_.sites_.push_back(info);
    }
    for (const PeeringConnection& c : s.peering_connections) {
      PeeringInfo info;
      info.id = c.id;
      info.requester = Find(vpc_, c.requester_vpc);
      info.accepter = Find(vpc_, c.accepter_vpc);
      info.status = c.status;
      info.active = c.status == "active";
      const int index = static_cast<int>(t_.peerings_.size());
      if (info.requester >= 0) t_.vpcs_[info.requester].peerings.push_back(index);
      if (info.accepter >= 0) t_.vpcs_[info.accepter].peerings.push_back(index);
      t_.peerings_.push_back(info);
    }
  }

  void BuildEndpoints() {
    for (const VpcEndpoint& e : t_.scenario_.vpc_endpoints) {
      EndpointInfo info;
      info.id = e.id;
      info.vpc = Find(vpc_, e.vpc);
      info.type = e.type;
      info.service = t_.catalog_.Find(e.service);
      info.state = e.state;
      info.available = IsAvailable(e.state);
      info.private_dns = e.type == EndpointType::kInterface && e.private_dns;
      for (const auto& g : e.security_groups) info.security_groups.push_back(Find(sg_, g));
      // AWS: an interface endpoint created without security groups gets the VPC's
      // default security group.
      if (e.type == EndpointType::kInterface && info.security_groups.empty()) {
        info.security_groups.push_back(t_.vpcs_[info.vpc].default_sg);
      }
      std::sort(info.security_groups.begin(), info.security_groups.end());
      t_.endpoints_.push_back(info);
    }
  }

  void BuildGroups() {
    std::int64_t next = 0;
    for (const NodeGroup& g : t_.scenario_.node_groups) {
      GroupInfo info;
      info.name = g.name;
      info.role = g.role;
      info.subnet = Find(subnet_, g.subnet);
      const int vpc = t_.subnets_[info.subnet].vpc;
      for (const auto& sg : g.security_groups) info.security_groups.push_back(Find(sg_, sg));
      // AWS: an instance launched without security groups gets the VPC's default group.
      if (info.security_groups.empty()) info.security_groups.push_back(t_.vpcs_[vpc].default_sg);
      std::sort(info.security_groups.begin(), info.security_groups.end());
      info.security_groups.erase(
          std::unique(info.security_groups.begin(), info.security_groups.end()),
          info.security_groups.end());
      // AWS: public IPv4 follows the subnet's auto-assign setting unless the launch says
      // otherwise; awsvpc task ENIs never get one (semantics reference §3, §9).
      const bool subnet_default = t_.scenario_.subnets[info.subnet].map_public_ip_on_launch;
      info.public_ip = IsAwsvpcTask(g.role)
                           ? false
                           : g.public_ip.value_or(subnet_default || !g.public_ips.empty());
      info.source_dest_check = g.source_dest_check;
      info.source_nat = g.source_nat;
      info.ephemeral_lo = g.ephemeral_lo;
      info.ephemeral_hi = g.ephemeral_hi;
      info.first_eni = next;
      info.count = g.count;
      next += g.count;
      t_.groups_.push_back(info);
    }
    for (std::size_t i = 0; i < t_.groups_.size(); ++i)
      t_.groups_[i].model = &t_.scenario_.node_groups[i];
    if (!eni_) return;  // shared with the previous topology (the same names, in order)
    for (std::size_t i = 0; i < t_.groups_.size(); ++i)
      eni_->group_names.emplace_back(t_.groups_[i].name, static_cast<int>(i));
    std::sort(eni_->group_names.begin(), eni_->group_names.end());
    eni_->enis.resize(static_cast<std::size_t>(next));
    for (const GroupInfo& g : t_.groups_) {
      const NodeGroup& m =
          t_.scenario_.node_groups[static_cast<std::size_t>(&g - t_.groups_.data())];
      for (std::size_t k = 0; k < m.eni_ids.size(); ++k)
        eni_->explicit_ids[m.eni_ids[k]] = g.first_eni + static_cast<std::int64_t>(k);
      for (std::size_t k = 0; k < m.instance_ids.size(); ++k) {
        eni_->explicit_ids[m.instance_ids[k]] = g.first_eni + static_cast<std::int64_t>(k);
      }
    }
    for (std::size_t i = 0; i < t_.groups_.size(); ++i) {
      const GroupInfo& g = t_.groups_[i];
      for (std::int64_t k = 0; k < g.count; ++k)
        eni_->enis[static_cast<std::size_t>(g.first_eni + k)].group = static_cast<int>(i);
    }
  }

  // Private addresses: explicit ones first, then NAT gateways, endpoint ENIs and node
  // groups in file order, each from the lowest free address of its subnet (AWS
  // reserves the first four and the last address). Public addresses: explicit ones,
  // then the region's EC2 ranges of the catalog.
  void AllocateAddresses() {
    const Scenario& s = t_.scenario_;
    std::vector<std::set<Ipv4>> taken(t_.subnets_.size());
    std::vector<Ipv4> cursor(t_.subnets_.size());
    for (std::size_t i = 0; i < t_.subnets_.size(); ++i)
      cursor[i] = t_.subnets_[i].cidr.first() + 4;
    for (std::size_t i = 0; i < s.nat_gateways.size(); ++i) {
      if (s.nat_gateways[i].private_ip)
        taken[static_cast<std::size_t>(t_.nats_[i].subnet)].insert(*s.nat_gateways[i].private_ip);
    }
    for (const auto& e : s.vpc_endpoints) {
      for (const auto& [subnet, ip] : e.addresses)
        taken[static_cast<std::size_t>(Find(subnet_, subnet))].insert(ip);
    }
    for (std::size_t i = 0; i < s.node_groups.size(); ++i) {
      for (Ipv4 ip : s.node_groups[i].private_ips)
        taken[static_cast<std::size_t>(t_.groups_[i].subnet)].insert(ip);
    }
    auto next_free = [&](int subnet) -> Ipv4 {
      const auto sn = static_cast<std::size_t>(subnet);
      Ipv4& c = cursor[sn];
      while (taken[sn].count(c)) ++c;
      if (c >= t_.subnets_[sn].cidr.last()) {
        throw InputError(Diagnostic{s.source, s.subnets[sn].pointer,
                                    "subnet " + t_.subnets_[sn].id + " has no free address left"});
      }
      return c++;
    };
    for (std::size_t i = 0; i < s.nat_gateways.size(); ++i) {
      NatInfo& n = t_.nats_[i];
      n.private_ip =
          s.nat_gateways[i].private_ip ? *s.nat_gateways[i].private_ip : next_free(n.subnet);
    }
    for (std::size_t i = 0; i < s.vpc_endpoints.size(); ++i) {
      const VpcEndpoint& e = s.vpc_endpoints[i];
      for (const auto& subnet : e.subnets) {
        EndpointEni eni;
        eni.endpoint = static_cast<int>(i);
        eni.subnet = Find(subnet_, subnet);
        const auto fixed = e.addresses.find(subnet);
        eni.ip = fixed != e.addresses.end() ? fixed->second : next_free(eni.subnet);
        eni.id = e.id + "/" + subnet;
        t_.endpoints_[i].enis.push_back(static_cast<int>(t_.endpoint_enis_.size()));
        t_.endpoint_enis_.push_back(eni);
      }
    }
    if (!eni_) return;  // node addresses and owners shared with the previous topology
    std::set<Ipv4> public_taken;
    for (const auto& n : t_.nats_) {
      if (n.elastic_ip) public_taken.insert(n.elastic_ip);
    }
    for (const auto& g : s.node_groups)
      public_taken.insert(g.public_ips.begin(), g.public_ips.end());
    const std::vector<Cidr> pool = t_.catalog_.RegionCidrs(t_.scenario_.region, "ec2");
    std::size_t pool_index = 0;
    Ipv4 pool_next = pool.empty() ? 0 : pool[0].first();
    auto next_public = [&](const NodeGroup& g) -> Ipv4 {
      while (pool_index < pool.size()) {
        if (pool_next > pool[pool_index].last() || pool_next < pool[pool_index].first()) {
          if (++pool_index < pool.size()) pool_next = pool[pool_index].first();
          continue;
        }
        const Ipv4 ip = pool_next++;
        // Skip .0 and .255, which read like network and broadcast addresses.
        if ((ip & 0xFF) == 0 || (ip & 0xFF) == 0xFF) continue;
        if (!public_taken.count(ip)) return ip;
      }
      throw InputError(
          Diagnostic{s.source, PointerAppend(g.pointer, "public_ip"),
                     "no public IPv4 address left to assign: give \"public_ips\" explicitly"});
    };
    for (std::size_t i = 0; i < s.node_groups.size(); ++i) {
      const NodeGroup& g = s.node_groups[i];
      const GroupInfo& info = t_.groups_[i];
      for (std::int64_t k = 0; k < info.count; ++k) {
        Eni& eni = eni_->enis[static_cast<std::size_t>(info.first_eni + k)];
        eni.ip = g.private_ips.empty() ? next_free(info.subnet)
                                       : g.private_ips[static_cast<std::size_t>(k)];
        if (info.public_ip)
          eni.public_ip =
              g.public_ips.empty() ? next_public(g) : g.public_ips[static_cast<std::size_t>(k)];
      }
    }
    // Owners, sorted for binary search.
    auto key = [](int vpc, Ipv4 ip) { return (static_cast<std::uint64_t>(vpc) << 32) | ip; };
    for (std::size_t i = 0; i < eni_->enis.size(); ++i) {
      const Eni& e = eni_->enis[i];
      const int vpc = t_.subnets_[static_cast<std::size_t>(
                                      t_.groups_[static_cast<std::size_t>(e.group)].subnet)]
                          .vpc;
      eni_->private_owners.push_back(
          {key(vpc, e.ip), {Owner::Type::kNodeEni, static_cast<std::int64_t>(i)}});
      if (e.public_ip)
        eni_->public_owners.push_back(
            {e.public_ip, {Owner::Type::kNodeEni, static_cast<std::int64_t>(i)}});
    }
    // Secondary addresses of one-interface groups belong to that interface.
    for (const GroupInfo& g : t_.groups_) {
      const Owner eni{Owner::Type::kNodeEni, g.first_eni};
      const int vpc = t_.subnets_[static_cast<std::size_t>(g.subnet)].vpc;
      for (const SecondaryIp& ip : g.model->secondary_ips) {
        eni_->private_owners.push_back({key(vpc, ip.private_ip), eni});
        if (ip.public_ip) eni_->public_owners.push_back({*ip.public_ip, eni});
      }
    }
    for (std::size_t i = 0; i < t_.nats_.size(); ++i) {
      const NatInfo& n = t_.nats_[i];
      eni_->private_owners.push_back(
          {key(t_.subnets_[static_cast<std::size_t>(n.subnet)].vpc, n.private_ip),
           {Owner::Type::kNatGateway, static_cast<std::int64_t>(i)}});
      if (n.elastic_ip)
        eni_->public_owners.push_back(
            {n.elastic_ip, {Owner::Type::kNatGateway, static_cast<std::int64_t>(i)}});
    }
    for (std::size_t i = 0; i < t_.endpoint_enis_.size(); ++i) {
      const EndpointEni& e = t_.endpoint_enis_[i];
      eni_->private_owners.push_back(
          {key(t_.subnets_[static_cast<std::size_t>(e.subnet)].vpc, e.ip),
           {Owner::Type::kEndpointEni, static_cast<std::int64_t>(i)}});
    }
    auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::sort(eni_->private_owners.begin(), eni_->private_owners.end(), by_key);
    std::sort(eni_->public_owners.begin(), eni_->public_owners.end(), by_key);
  }

  void BuildProxies() {
    for (const Proxy& x : t_.scenario_.proxies) {
      ProxyInfo info;
      info.id = x.id;
      info.host = x.host;
      info.port = x.port;
      info.group = x.node_group.empty() ? -1 : Find(group_, x.node_group);
      info.site = x.onprem_site.empty() ? -1 : Find(site_, x.onprem_site);
      info.address = x.address.value_or(0);
      info.allowed_domains = x.allowed_domains;
      info.no_proxy = x.no_proxy;
      t_.proxies_.push_back(info);
    }
    for (std::size_t i = 0; i < t_.scenario_.node_groups.size(); ++i) {
      const std::string& p = t_.scenario_.node_groups[i].proxy;
      if (!p.empty()) {
        for (std::size_t k = 0; k < t_.proxies_.size(); ++k) {
          if (t_.proxies_[k].id == p) t_.groups_[i].proxy = static_cast<int>(k);
        }
      }
    }
  }

  int AddVertex(Kind kind, int index) {
    return static_cast<int>(boost::add_vertex(VertexProps{kind, index}, graph().g));
  }
  void AddEdge(int from, int to, EdgeType type) {
    boost::add_edge(static_cast<std::size_t>(from), static_cast<std::size_t>(to),
                    EdgeProps{type, {}}, graph().g);
  }
  Topology::Graph& graph() { return *t_.graph_; }

  void BuildGraph() {
    Topology::Graph& G = graph();
    for (std::size_t i = 0; i < t_.vpcs_.size(); ++i)
      t_.vpcs_[i].vertex = AddVertex(Kind::kVpc, static_cast<int>(i));
    for (std::size_t i = 0; i < t_.subnets_.size(); ++i) {
      SubnetInfo& sn = t_.subnets_[i];
      sn.vertex = AddVertex(Kind::kSubnet, static_cast<int>(i));
      AddEdge(t_.vpcs_[static_cast<std::size_t>(sn.vpc)].vertex, sn.vertex, EdgeType::kContains);
    }
    for (std::size_t i = 0; i < t_.route_tables_.size(); ++i) {
      t_.route_tables_[i].vertex = AddVertex(Kind::kRouteTable, static_cast<int>(i));
    }
    std::vector<int> acl_vertex(t_.acls_.size());
    for (std::size_t i = 0; i < t_.acls_.size(); ++i)
      acl_vertex[i] = AddVertex(Kind::kNetworkAcl, static_cast<int>(i));
    for (const SubnetInfo& sn : t_.subnets_) {
      AddEdge(sn.vertex, t_.route_tables_[static_cast<std::size_t>(sn.route_table)].vertex,
              EdgeType::kAssociation);
      AddEdge(sn.vertex, acl_vertex[static_cast<std::size_t>(sn.acl)], EdgeType::kAssociation);
    }
    G.internet_vertex = AddVertex(Kind::kInternet, -1);
    G.blackhole_vertex = AddVertex(Kind::kRouteTable, -1);
    for (std::size_t i = 0; i < t_.igws_.size(); ++i) {
      GatewayInfo& g = t_.igws_[i];
      g.vertex = AddVertex(Kind::kInternetGateway, static_cast<int>(i));
      if (g.vpc >= 0)
        AddEdge(g.vertex, t_.vpcs_[static_cast<std::size_t>(g.vpc)].vertex, EdgeType::kAttachment);
      AddEdge(g.vertex, G.internet_vertex, EdgeType::kDelivers);
    }
    for (std::size_t i = 0; i < t_.vgws_.size(); ++i) {
      GatewayInfo& g = t_.vgws_[i];
      g.vertex = AddVertex(Kind::kVpnGateway, static_cast<int>(i));
      if (g.vpc >= 0)
        AddEdge(g.vertex, t_.vpcs_[static_cast<std::size_t>(g.vpc)].vertex, EdgeType::kAttachment);
    }
    for (std::size_t i = 0; i < t_.sites_.size(); ++i) {
      SiteInfo& site = t_.sites_[i];
      site.vertex = AddVertex(Kind::kOnPremises, static_cast<int>(i));
      if (site.vpn_gateway >= 0) {
        AddEdge(t_.vgws_[static_cast<std::size_t>(site.vpn_gateway)].vertex, site.vertex,
                EdgeType::kDelivers);
        AddEdge(site.vertex, t_.vgws_[static_cast<std::size_t>(site.vpn_gateway)].vertex,
                EdgeType::kDelivers);
      }
      if (site.internet_egress) AddEdge(site.vertex, G.internet_vertex, EdgeType::kDelivers);
    }
    for (std::size_t i = 0; i < t_.nats_.size(); ++i) {
      NatInfo& n = t_.nats_[i];
      n.vertex = AddVertex(Kind::kNatGateway, static_cast<int>(i));
      AddEdge(n.vertex, t_.subnets_[static_cast<std::size_t>(n.subnet)].vertex, EdgeType::kMember);
    }
    for (std::size_t i = 0; i < t_.peerings_.size(); ++i) {
      PeeringInfo& p = t_.peerings_[i];
      p.vertex = AddVertex(Kind::kPeeringConnection, static_cast<int>(i));
      if (p.requester >= 0)
        AddEdge(p.vertex, t_.vpcs_[static_cast<std::size_t>(p.requester)].vertex,
                EdgeType::kAttachment);
      if (p.accepter >= 0)
        AddEdge(p.vertex, t_.vpcs_[static_cast<std::size_t>(p.accepter)].vertex,
                EdgeType::kAttachment);
    }
    G.service_vertex.assign(t_.catalog_.services().size(), -1);
    for (std::size_t i = 0; i < t_.catalog_.services().size(); ++i) {
      G.service_vertex[i] = AddVertex(Kind::kAwsService, static_cast<int>(i));
      AddEdge(G.internet_vertex, G.service_vertex[i], EdgeType::kDelivers);
    }
    for (std::size_t i = 0; i < t_.endpoints_.size(); ++i) {
      EndpointInfo& e = t_.endpoints_[i];
      e.vertex = AddVertex(Kind::kVpcEndpoint, static_cast<int>(i));
      if (e.service) {
        const auto index = static_cast<std::size_t>(e.service - t_.catalog_.services().data());
        AddEdge(e.vertex, G.service_vertex[index], EdgeType::kDelivers);
      }
      for (int eni : e.enis) {
        AddEdge(e.vertex,
                t_.subnets_[static_cast<std::size_t>(
                                t_.endpoint_enis_[static_cast<std::size_t>(eni)].subnet)]
                    .vertex,
                EdgeType::kMember);
      }
    }
    for (std::size_t i = 0; i < t_.groups_.size(); ++i) {
      GroupInfo& g = t_.groups_[i];
      g.vertex = AddVertex(Kind::kNodeGroup, static_cast<int>(i));
      AddEdge(g.vertex, t_.subnets_[static_cast<std::size_t>(g.subnet)].vertex, EdgeType::kMember);
    }
    for (std::size_t i = 0; i < t_.proxies_.size(); ++i) {
      ProxyInfo& p = t_.proxies_[i];
      p.vertex = AddVertex(Kind::kProxy, static_cast<int>(i));
      if (p.group >= 0)
        AddEdge(p.vertex, t_.groups_[static_cast<std::size_t>(p.group)].vertex,
                EdgeType::kDelivers);
      if (p.site >= 0)
        AddEdge(p.vertex, t_.sites_[static_cast<std::size_t>(p.site)].vertex, EdgeType::kDelivers);
    }
    for (std::size_t i = 0; i < t_.route_tables_.size(); ++i) AddRoutes(static_cast<int>(i));
  }

  // Compiles one route table's routes and adds them as edges in selection order.
  void AddRoutes(int table) {
    const RouteTable& model = t_.scenario_.route_tables[static_cast<std::size_t>(table)];
    const VpcInfo& vpc =
        t_.vpcs_[static_cast<std::size_t>(t_.route_tables_[static_cast<std::size_t>(table)].vpc)];
    const int vpc_index = t_.route_tables_[static_cast<std::size_t>(table)].vpc;
    struct Pending {
      CompiledRoute route;
      int vertex;
    };
    std::vector<Pending> pending;
    // AWS: every route table holds a local route for each VPC CIDR block, unless the
    // table writes that route itself (explicitly, or with its target replaced by a NAT
    // gateway or network interface, semantics reference §2.1).
    for (const Cidr& block : vpc.cidrs) {
      const bool written =
          std::any_of(model.routes.begin(), model.routes.end(), [&](const Route& r) {
            return r.origin == RouteOrigin::kStatic && r.destination && *r.destination == block;
          });
      if (written) continue;
      CompiledRoute local;
      local.destination = block;
      local.priority = 0;
      local.target_kind = TargetKind::kLocal;
      local.target = vpc_index;
      local.target_id = "local";
      pending.push_back({local, vpc.vertex});
    }
    std::vector<Route> routes = model.routes;
    // AWS: route propagation installs the prefixes an attached VGW learned from its
    // connections that are up (semantics reference §10.1: propagated once the connection
    // status is UP).
    for (const std::string& vgw : model.propagating_vgws) {
      // A detached VGW propagates nothing.
      const int vgw_index = Find(vgw_, vgw);
      if (vgw_index < 0 || t_.vgws_[static_cast<std::size_t>(vgw_index)].vpc != vpc_index) continue;
      for (const OnPremSite& site : t_.scenario_.onprem_sites) {
        if (site.vpn_gateway != vgw || !site.connection_up) continue;
        for (const Cidr& prefix : site.advertised) {
          const bool written =
              std::any_of(model.routes.begin(), model.routes.end(), [&](const Route& r) {
                return r.origin == RouteOrigin::kPropagated && r.destination == prefix &&
                       r.target == vgw;
              });
          if (written) continue;
          Route r;
          r.destination = prefix;
          r.target_kind = TargetKind::kVpnGateway;
          r.target = vgw;
          r.origin = RouteOrigin::kPropagated;
          r.pointer = model.pointer;
          routes.push_back(r);
        }
      }
    }
    // AWS: associating a route table with a gateway endpoint adds a route from the
    // service's prefix list to the endpoint.
    for (const VpcEndpoint& e : t_.scenario_.vpc_endpoints) {
      if (e.type != EndpointType::kGateway) continue;
      if (std::find(e.route_tables.begin(), e.route_tables.end(), model.id) == e.route_tables.end())
        continue;
      const CatalogService* service = t_.catalog_.Find(e.service);
      const std::string pl = service ? t_.catalog_.PrefixListId(*service, t_.scenario_.region) : "";
      const bool explicit_route = std::any_of(routes.begin(), routes.end(), [&](const Route& r) {
        return r.target_kind == TargetKind::kVpcEndpoint && r.target == e.id;
      });
      if (pl.empty() || explicit_route) continue;
      Route r;
      r.destination_prefix_list = pl;
      r.target_kind = TargetKind::kVpcEndpoint;
      r.target = e.id;
      r.pointer = e.pointer;
      routes.push_back(r);
    }
    for (const Route& r : routes) {
      CompiledRoute base;
      base.target_kind = r.target_kind;
      base.target_id = r.target_kind == TargetKind::kLocal ? "local" : r.target;
      base.propagated = r.origin == RouteOrigin::kPropagated;
      base.prefix_list = r.destination_prefix_list;
      base.priority = base.propagated ? 3 : (!r.destination_prefix_list.empty() ? 2 : 1);
      if (r.state == RouteState::kBlackhole) {
        base.blackhole = true;
        base.blackhole_reason = "the route's state is blackhole";
      }
      const int vertex = ResolveTarget(r, vpc_index, base);
      std::vector<Cidr> destinations;
      if (r.destination) {
        destinations.push_back(*r.destination);
      } else {
        destinations = PrefixListCidrs(r.destination_prefix_list);
      }
      for (const Cidr& d : destinations) {
        CompiledRoute c = base;
        c.destination = d;
        // AWS: a propagated route never wins over the local route, even when it is
        // more specific (semantics reference §2.2 rule 4).
        if (c.propagated) {
          c.shadowed_by_local = std::any_of(vpc.cidrs.begin(), vpc.cidrs.end(),
                                            [&](const Cidr& b) { return b.Overlaps(d); });
        }
        pending.push_back({c, vertex});
      }
    }
    std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
      if (a.route.destination.length != b.route.destination.length)
        return a.route.destination.length > b.route.destination.length;
      return a.route.priority < b.route.priority;
    });
    const int from = t_.route_tables_[static_cast<std::size_t>(table)].vertex;
    for (Pending& p : pending) {
      boost::add_edge(static_cast<std::size_t>(from), static_cast<std::size_t>(p.vertex),
                      EdgeProps{EdgeType::kRoute, std::move(p.route)}, graph().g);
    }
  }

  // Resolves a route's target to its index and vertex; marks routes whose target is
  // missing or unusable as blackholes, as AWS shows them.
  int ResolveTarget(const Route& r, int vpc, CompiledRoute& c) {
    auto dead = [&](const std::string& reason) {
      if (!c.blackhole) {
        c.blackhole = true;
        c.blackhole_reason = reason;
      }
    };
    const int blackhole = graph().blackhole_vertex;
    switch (r.target_kind) {
      case TargetKind::kLocal:
        c.target = vpc;
        return t_.vpcs_[static_cast<std::size_t>(vpc)].vertex;
      case TargetKind::kInternetGateway: {
        c.target = Find(igw_, r.target);
        if (c.target < 0) {
          dead(r.target + " does not exist");
          return blackhole;
        }
        const GatewayInfo& g = t_.igws_[static_cast<std::size_t>(c.target)];
        if (g.vpc != vpc)
          dead(r.target + " is not attached to " + t_.vpcs_[static_cast<std::size_t>(vpc)].id);
        return g.vertex;
      }
      case TargetKind::kNatGateway: {
        c.target = Find(nat_, r.target);
        if (c.target < 0) {
          dead(r.target + " does not exist");
          return blackhole;
        }
        const NatInfo& n = t_.nats_[static_cast<std::size_t>(c.target)];
        if (!n.available) dead(r.target + " is in state " + n.state);
        return n.vertex;
      }
      case TargetKind::kVpnGateway: {
        c.target = Find(vgw_, r.target);
        if (c.target < 0) {
          dead(r.target + " does not exist");
          return blackhole;
        }
        const GatewayInfo& g = t_.vgws_[static_cast<std::size_t>(c.target)];
        if (g.vpc != vpc)
          dead(r.target + " is not attached to " + t_.vpcs_[static_cast<std::size_t>(vpc)].id);
        return g.vertex;
      }
      case TargetKind::kPeeringConnection: {
        c.target = Find(pcx_, r.target);
        if (c.target < 0) {
          dead(r.target + " does not exist");
          return blackhole;
        }
        const PeeringInfo& p = t_.peerings_[static_cast<std::size_t>(c.target)];
        if (!p.active) dead(r.target + " is " + p.status + ", not active");
        return p.vertex;
      }
      case TargetKind::kNetworkInterface: {
        const auto eni = t_.FindEniById(r.target);
        if (eni) {
          c.target = static_cast<int>(*eni);
          return t_
              .groups_[static_cast<std::size_t>(
                  t_.eni_table_->enis[static_cast<std::size_t>(*eni)].group)]
              .vertex;
        }
        const int group = Find(group_, r.target);
        if (group >= 0) {
          c.target = static_cast<int>(t_.groups_[static_cast<std::size_t>(group)].first_eni);
          return t_.groups_[static_cast<std::size_t>(group)].vertex;
        }
        dead(r.target + " does not exist");
        return blackhole;
      }
      case TargetKind::kVpcEndpoint: {
        c.target = Find(vpce_, r.target);
        if (c.target < 0) {
          dead(r.target + " does not exist");
          return blackhole;
        }
        const EndpointInfo& e = t_.endpoints_[static_cast<std::size_t>(c.target)];
        if (!e.available) dead(r.target + " is in state " + e.state);
        return e.vertex;
      }
      case TargetKind::kTransitGateway:
        c.target = -1;
        return blackhole;
    }
    return blackhole;
  }

  void ComputeAtoms() {
    std::vector<Cidr> all;
    for (const auto& v : t_.vpcs_) all.insert(all.end(), v.cidrs.begin(), v.cidrs.end());
    for (const auto& sn : t_.subnets_) all.push_back(sn.cidr);
    for (const auto& e : boost::make_iterator_range(boost::edges(graph().g))) {
      const EdgeProps& p = graph().g[e];
      if (p.type == EdgeType::kRoute) all.push_back(p.route.destination);
    }
    for (const auto& g : t_.security_groups_) {
      for (const auto* rules : {&g.ingress, &g.egress}) {
        for (const auto& r : *rules) all.insert(all.end(), r.cidrs.begin(), r.cidrs.end());
      }
    }
    for (const auto& a : t_.acls_) {
      for (const auto* entries : {&a.ingress, &a.egress}) {
        for (const auto& e : *entries) all.push_back(e.cidr);
      }
    }
    for (const auto& site : t_.sites_) {
      all.insert(all.end(), site.cidrs.begin(), site.cidrs.end());
      all.insert(all.end(), site.advertised.begin(), site.advertised.end());
    }
    for (const auto& region : t_.catalog_.Regions()) {
      const auto cidrs = t_.catalog_.AllCidrs(region);
      all.insert(all.end(), cidrs.begin(), cidrs.end());
    }
    for (const auto& p : t_.proxies_) {
      for (const auto& entry : p.no_proxy) {
        if (auto c = ParseCidr(entry, false)) all.push_back(*c);
      }
    }
    std::vector<Ipv4> cuts{0};
    for (const Cidr& c : all) {
      cuts.push_back(c.first());
      if (c.last() != 0xFFFFFFFFu) cuts.push_back(c.last() + 1);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    t_.cuts_ = std::move(cuts);

    // "The internet": a well-known public address that no input CIDR narrower than /8
    // covers, so rules about specific AWS or corporate ranges do not apply to it.
    const Ipv4 candidates[] = {0x08080808u /*8.8.8.8*/, 0x01010101u /*1.1.1.1*/,
                               0x09090909u /*9.9.9.9*/, 0xD043DEDEu /*208.67.222.222*/,
                               0x4A7D0001u /*74.125.0.1*/};
    t_.internet_address_ = candidates[0];
    for (Ipv4 candidate : candidates) {
      const bool covered = std::any_of(all.begin(), all.end(), [&](const Cidr& c) {
        return c.length >= 8 && c.Contains(candidate);
      });
      if (!covered) {
        t_.internet_address_ = candidate;
        break;
      }
    }
  }

  // Whether two scenarios (AWS defaults applied) put every ENI, NAT gateway and endpoint
  // address in the same place, in the same order: then the per-ENI tables are the same.
  static bool SameAddressing(const Scenario& a, const Scenario& b) {
    auto same = [](const auto& x, const auto& y, auto eq) {
      return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), eq);
    };
    const auto vpcs = [](const Vpc& x, const Vpc& y) { return x.id == y.id; };
    const auto subnets = [](const Subnet& x, const Subnet& y) {
      return std::tie(x.id, x.vpc, x.cidr, x.map_public_ip_on_launch) ==
             std::tie(y.id, y.vpc, y.cidr, y.map_public_ip_on_launch);
    };
    const auto nats = [](const NatGateway& x, const NatGateway& y) {
      return std::tie(x.id, x.subnet, x.elastic_ip, x.private_ip) ==
             std::tie(y.id, y.subnet, y.elastic_ip, y.private_ip);
    };
    const auto endpoints = [](const VpcEndpoint& x, const VpcEndpoint& y) {
      return std::tie(x.id, x.subnets, x.addresses) == std::tie(y.id, y.subnets, y.addresses);
    };
    const auto secondary = [](const SecondaryIp& x, const SecondaryIp& y) {
      return x.private_ip == y.private_ip && x.public_ip == y.public_ip;
    };
    const auto groups = [&](const NodeGroup& x, const NodeGroup& y) {
      return std::tie(x.name, x.role, x.subnet, x.count, x.public_ip, x.private_ips, x.public_ips,
                      x.eni_ids, x.instance_ids) ==
                 std::tie(y.name, y.role, y.subnet, y.count, y.public_ip, y.private_ips,
                          y.public_ips, y.eni_ids, y.instance_ids) &&
             same(x.secondary_ips, y.secondary_ips, secondary);
    };
    const auto services = [](const ServiceDefinition& x, const ServiceDefinition& y) {
      return std::tie(x.name, x.cidrs) == std::tie(y.name, y.cidrs);
    };
    return a.region == b.region && same(a.vpcs, b.vpcs, vpcs) &&
           same(a.subnets, b.subnets, subnets) && same(a.nat_gateways, b.nat_gateways, nats) &&
           same(a.vpc_endpoints, b.vpc_endpoints, endpoints) &&
           same(a.node_groups, b.node_groups, groups) && same(a.services, b.services, services);
  }

  Topology t_;
  std::shared_ptr<Topology::EniTable> eni_;  // null when shared with the previous topology
  std::unordered_map<std::string, int> vpc_, subnet_, rtb_, acl_, sg_, nat_, igw_, vgw_, site_,
      pcx_, vpce_, group_;
  std::map<std::string, std::vector<Cidr>> prefix_lists_;
};

Topology Topology::Build(const Scenario& scenario, const Topology* previous) {
  return TopologyBuilder(scenario, previous).Build();
}

std::vector<const CompiledRoute*> Topology::Routes(int route_table) const {
  std::vector<const CompiledRoute*> out;
  const auto v =
      static_cast<std::size_t>(route_tables_[static_cast<std::size_t>(route_table)].vertex);
  for (const auto& e : boost::make_iterator_range(boost::out_edges(v, graph_->g))) {
    const EdgeProps& p = graph_->g[e];
    if (p.type == EdgeType::kRoute) out.push_back(&p.route);
  }
  return out;
}

// The first route edge of the table (they are in selection order) whose destination
// contains the address, skipping propagated routes that the local route overrides.
const CompiledRoute* Topology::SelectRoute(int route_table, Ipv4 destination) const {
  const RouteTableInfo& table = route_tables_[static_cast<std::size_t>(route_table)];
  const auto& cidrs = vpcs_[static_cast<std::size_t>(table.vpc)].cidrs;
  for (const auto& e : boost::make_iterator_range(
           boost::out_edges(static_cast<std::size_t>(table.vertex), graph_->g))) {
    const EdgeProps& p = graph_->g[e];
    if (p.type != EdgeType::kRoute) continue;
    if (!p.route.destination.Contains(destination)) continue;
    if (p.route.shadowed_by_local && std::any_of(cidrs.begin(), cidrs.end(), [&](const Cidr& c) {
          return c.Contains(destination);
        }))
      continue;
    return &p.route;
  }
  return nullptr;
}

std::string Topology::IdOf(ComponentRef ref) const {
  const auto i = static_cast<std::size_t>(IndexOfRef(ref));
  switch (KindOfRef(ref)) {
    case Kind::kRouteTable:
      return route_tables_[i].id;
    case Kind::kNetworkAcl:
      return acls_[i].id;
    case Kind::kSecurityGroup:
      return security_groups_[i].id;
    case Kind::kNatGateway:
      return nats_[i].id;
    case Kind::kInternetGateway:
      return igws_[i].id;
    case Kind::kVpnGateway:
      return vgws_[i].id;
    case Kind::kPeeringConnection:
      return peerings_[i].id;
    case Kind::kVpcEndpoint:
      return endpoints_[i].id;
    default:
      return std::string(KindName(KindOfRef(ref))) + " " + std::to_string(i);
  }
}

std::string Topology::EniId(std::int64_t eni) const {
  const Eni& e = eni_table_->enis[static_cast<std::size_t>(eni)];
  const GroupInfo& g = groups_[static_cast<std::size_t>(e.group)];
  const std::int64_t k = eni - g.first_eni;
  if (!g.model->eni_ids.empty()) return g.model->eni_ids[static_cast<std::size_t>(k)];
  return "eni-" + g.name + "-" + std::to_string(k + 1);
}

std::string Topology::InstanceId(std::int64_t eni) const {
  const Eni& e = eni_table_->enis[static_cast<std::size_t>(eni)];
  const GroupInfo& g = groups_[static_cast<std::size_t>(e.group)];
  const std::int64_t k = eni - g.first_eni;
  if (!g.model->instance_ids.empty()) return g.model->instance_ids[static_cast<std::size_t>(k)];
  if (IsAwsvpcTask(g.role)) return "";
  return "i-" + g.name + "-" + std::to_string(k + 1);
}

std::optional<int> Topology::FindGroup(std::string_view name) const {
  const auto& names = eni_table_->group_names;
  const auto it = std::lower_bound(names.begin(), names.end(), name,
                                   [](const auto& a, std::string_view b) { return a.first < b; });
  if (it == names.end() || it->first != name) return std::nullopt;
  return it->second;
}

std::vector<int> Topology::GroupsWithPrefix(std::string_view prefix) const {
  const auto& names = eni_table_->group_names;
  std::vector<int> out;
  for (auto it = std::lower_bound(names.begin(), names.end(), prefix,
                                  [](const auto&a, std::string_view b) { return a.first < b; });
       it != names.end() && it->first.starts_with(prefix); ++it) {
    out.push_back(it->second);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::int64_t> Topology::FindEniById(std::string_view id) const {
  if (const auto it = eni_table_->explicit_ids.find(std::string(id));
      it != eni_table_->explicit_ids.end())
    return it->second;
  // Synthesised ids: "eni-<group>-<n>" and "i-<group>-<n>".
  for (std::string_view prefix : {"eni-", "i-"}) {
    if (!id.starts_with(prefix)) continue;
    const std::string_view rest = id.substr(prefix.size());
    const std::size_t dash = rest.rfind('-');
    if (dash == std::string_view::npos) continue;
    std::int64_t n = 0;
    const std::string_view digits = rest.substr(dash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc() || end != digits.data() + digits.size()) continue;
    const auto group = FindGroup(rest.substr(0, dash));
    if (!group) continue;
    const GroupInfo& g = groups_[static_cast<std::size_t>(*group)];
    const bool synthesised = prefix == "eni-"
                                 ? g.model->eni_ids.empty()
                                 : g.model->instance_ids.empty() && !IsAwsvpcTask(g.role);
    if (synthesised && n >= 1 && n <= g.count) return g.first_eni + n - 1;
  }
  return std::nullopt;
}

Owner Topology::FindPrivateOwner(int vpc, Ipv4 address) const {
  const std::uint64_t key = (static_cast<std::uint64_t>(vpc) << 32) | address;
  const auto it =
      std::lower_bound(eni_table_->private_owners.begin(), eni_table_->private_owners.end(), key,
                       [](const auto& entry, std::uint64_t k) { return entry.first < k; });
  if (it != eni_table_->private_owners.end() && it->first == key) return it->second;
  return {};
}

Ipv4 Topology::PublicAddressOf(std::int64_t eni, Ipv4 private_ip) const {
  const Eni& e = eni_table_->enis[static_cast<std::size_t>(eni)];
  if (private_ip == e.ip) return e.public_ip;
  for (const SecondaryIp& ip : groups_[static_cast<std::size_t>(e.group)].model->secondary_ips) {
    if (ip.private_ip == private_ip) return ip.public_ip.value_or(0);
  }
  return 0;
}

Ipv4 Topology::PrivateAddressOf(std::int64_t eni, Ipv4 public_ip) const {
  const Eni& e = eni_table_->enis[static_cast<std::size_t>(eni)];
  for (const SecondaryIp& ip : groups_[static_cast<std::size_t>(e.group)].model->secondary_ips) {
    if (ip.public_ip == public_ip) return ip.private_ip;
  }
  return e.ip;
}

Owner Topology::FindPublicOwner(Ipv4 address, int* vpc) const {
  const auto it =
      std::lower_bound(eni_table_->public_owners.begin(), eni_table_->public_owners.end(), address,
                       [](const auto& entry, Ipv4 a) { return entry.first < a; });
  if (it == eni_table_->public_owners.end() || it->first != address) return {};
  if (vpc) *vpc = VpcOfOwner(it->second);
  return it->second;
}

int Topology::SubnetOfAddress(int vpc, Ipv4 address) const {
  for (int s : vpcs_[static_cast<std::size_t>(vpc)].subnets) {
    if (subnets_[static_cast<std::size_t>(s)].cidr.Contains(address)) return s;
  }
  return -1;
}

int Topology::SubnetOfOwner(const Owner& owner) const {
  switch (owner.type) {
    case Owner::Type::kNodeEni:
      return groups_[static_cast<std::size_t>(
                         eni_table_->enis[static_cast<std::size_t>(owner.index)].group)]
          .subnet;
    case Owner::Type::kNatGateway:
      return nats_[static_cast<std::size_t>(owner.index)].subnet;
    case Owner::Type::kEndpointEni:
      return endpoint_enis_[static_cast<std::size_t>(owner.index)].subnet;
    case Owner::Type::kNone:
      break;
  }
  return -1;
}

int Topology::VpcOfOwner(const Owner& owner) const {
  const int subnet = SubnetOfOwner(owner);
  return subnet < 0 ? -1 : subnets_[static_cast<std::size_t>(subnet)].vpc;
}

const std::vector<int>& Topology::GroupsOfOwner(const Owner& owner) const {
  static const std::vector<int> kNone;
  switch (owner.type) {
    case Owner::Type::kNodeEni:
      return groups_[static_cast<std::size_t>(
                         eni_table_->enis[static_cast<std::size_t>(owner.index)].group)]
          .security_groups;
    case Owner::Type::kEndpointEni:
      return endpoints_[static_cast<std::size_t>(
                            endpoint_enis_[static_cast<std::size_t>(owner.index)].endpoint)]
          .security_groups;
    default:
      return kNone;
  }
}

std::string Topology::OwnerId(const Owner& owner) const {
  switch (owner.type) {
    case Owner::Type::kNodeEni:
      return EniId(owner.index);
    case Owner::Type::kNatGateway:
      return nats_[static_cast<std::size_t>(owner.index)].id;
    case Owner::Type::kEndpointEni:
      return endpoint_enis_[static_cast<std::size_t>(owner.index)].id;
    case Owner::Type::kNone:
      break;
  }
  return "";
}

std::size_t Topology::AtomOf(Ipv4 address) const {
  return static_cast<std::size_t>(std::upper_bound(cuts_.begin(), cuts_.end(), address) -
                                  cuts_.begin());
}

std::pair<Ipv4, Ipv4> Topology::AtomRange(Ipv4 address) const {
  const auto it = std::upper_bound(cuts_.begin(), cuts_.end(), address);  // cuts_[0] == 0
  return {*(it - 1), it == cuts_.end() ? 0xFFFFFFFFu : *it - 1};
}

std::optional<Ipv4> Topology::NextAtomStart(Ipv4 address) const {
  const auto it = std::upper_bound(cuts_.begin(), cuts_.end(), address);
  if (it == cuts_.end()) return std::nullopt;
  return *it;
}

Ipv4 Topology::site_public_address(int site) const {
  // 192.0.2.0/24 (RFC 5737) stands for the sites' own internet-facing addresses.
  return 0xC0000200u + 10u + static_cast<Ipv4>(site);
}

namespace {

bool SameEntries(const std::vector<NaclEntry>& a, const std::vector<NaclEntry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const NaclEntry& x, const NaclEntry& y) { return x.SameRule(y); });
}

bool SameGroup(const GroupInfo& a, const GroupInfo& b) {
  return std::tie(a.name, a.role, a.subnet, a.security_groups, a.public_ip, a.source_dest_check,
                  a.source_nat, a.proxy, a.ephemeral_lo, a.ephemeral_hi, a.first_eni, a.count,
                  a.vertex, a.model->imds) ==
         std::tie(b.name, b.role, b.subnet, b.security_groups, b.public_ip, b.source_dest_check,
                  b.source_nat, b.proxy, b.ephemeral_lo, b.ephemeral_hi, b.first_eni, b.count,
                  b.vertex, b.model->imds);
}

bool SameService(const ServiceDefinition& a, const ServiceDefinition& b) {
  return std::tie(a.name, a.hostnames, a.cidrs, a.interface_endpoint, a.gateway_endpoint,
                  a.prefix_list) == std::tie(b.name, b.hostnames, b.cidrs, b.interface_endpoint,
                                             b.gateway_endpoint, b.prefix_list);
}

bool SameEndpoint(const EndpointInfo& a, const EndpointInfo& b) {
  const std::string sa = a.service ? a.service->name : "", sb = b.service ? b.service->name : "";
  return std::tie(a.id, a.vpc, a.type, sa, a.available, a.state, a.private_dns, a.security_groups,
                  a.enis, a.vertex) == std::tie(b.id, b.vpc, b.type, sb, b.available, b.state,
                                                b.private_dns, b.security_groups, b.enis, b.vertex);
}

template <typename T, typename Eq>
bool SameAll(const std::vector<T>& a, const std::vector<T>& b, Eq eq) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), eq);
}

}  // namespace

std::optional<std::vector<ComponentRef>> Topology::ChangedComponents(const Topology& a,
                                                                     const Topology& b) {
  const bool same_shape =
      a.eni_table_ == b.eni_table_ && a.region() == b.region() &&
      SameAll(a.scenario_.services, b.scenario_.services, SameService) && a.vpcs_ == b.vpcs_ &&
      a.subnets_ == b.subnets_ && a.route_tables_ == b.route_tables_ && a.sites_ == b.sites_ &&
      a.proxies_ == b.proxies_ && a.endpoint_enis_ == b.endpoint_enis_ &&
      SameAll(a.groups_, b.groups_, SameGroup) && a.internet_address_ == b.internet_address_ &&
      a.acls_.size() == b.acls_.size() && a.security_groups_.size() == b.security_groups_.size() &&
      a.nats_.size() == b.nats_.size() && a.igws_.size() == b.igws_.size() &&
      a.vgws_.size() == b.vgws_.size() && a.peerings_.size() == b.peerings_.size() &&
      a.endpoints_.size() == b.endpoints_.size();
  if (!same_shape) return std::nullopt;
  std::vector<ComponentRef> out;
  auto compare = [&](Kind kind, std::size_t n, auto same) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!same(i)) out.push_back(RefOf(kind, static_cast<int>(i)));
    }
  };
  compare(Kind::kRouteTable, a.route_tables_.size(), [&](std::size_t i) {
    const auto ra = a.Routes(static_cast<int>(i)), rb = b.Routes(static_cast<int>(i));
    return std::equal(ra.begin(), ra.end(), rb.begin(), rb.end(),
                      [](const CompiledRoute* x, const CompiledRoute* y) { return *x == *y; });
  });
  compare(Kind::kNetworkAcl, a.acls_.size(), [&](std::size_t i) {
    const AclInfo &x = a.acls_[i], &y = b.acls_[i];
    return x.id == y.id && SameEntries(x.ingress, y.ingress) && SameEntries(x.egress, y.egress);
  });
  compare(Kind::kSecurityGroup, a.security_groups_.size(),
          [&](std::size_t i) { return a.security_groups_[i] == b.security_groups_[i]; });
  compare(Kind::kNatGateway, a.nats_.size(),
          [&](std::size_t i) { return a.nats_[i] == b.nats_[i]; });
  compare(Kind::kInternetGateway, a.igws_.size(),
          [&](std::size_t i) { return a.igws_[i] == b.igws_[i]; });
  compare(Kind::kVpnGateway, a.vgws_.size(),
          [&](std::size_t i) { return a.vgws_[i] == b.vgws_[i]; });
  compare(Kind::kPeeringConnection, a.peerings_.size(),
          [&](std::size_t i) { return a.peerings_[i] == b.peerings_[i]; });
  compare(Kind::kVpcEndpoint, a.endpoints_.size(),
          [&](std::size_t i) { return SameEndpoint(a.endpoints_[i], b.endpoints_[i]); });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sim
