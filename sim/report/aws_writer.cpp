#include "sim/report/aws_writer.hpp"

#include <map>

#include "sim/graph/topology.hpp"

namespace sim {
namespace {

using J = nlohmann::ordered_json;

std::string ProtocolNumber(int protocol) {
  return protocol == proto::kAll ? "-1" : std::to_string(protocol);
}

J Permission(const SgRule& r) {
  J p{{"IpProtocol", r.protocol == proto::kAll    ? "-1"
                     : r.protocol == proto::kTcp  ? "tcp"
                     : r.protocol == proto::kUdp  ? "udp"
                     : r.protocol == proto::kIcmp ? "icmp"
                                                  : std::to_string(r.protocol)}};
  if (HasPorts(r.protocol) || r.protocol == proto::kIcmp) {
    p["FromPort"] = r.from_port;
    p["ToPort"] = r.to_port;
  }
  p["IpRanges"] = J::array();
  p["Ipv6Ranges"] = J::array();
  p["PrefixListIds"] = J::array();
  p["UserIdGroupPairs"] = J::array();
  switch (r.peer_kind) {
    case PeerKind::kCidr:
      p["IpRanges"].push_back({{"CidrIp", r.cidr.ToString()}});
      break;
    case PeerKind::kPrefixList:
      p["PrefixListIds"].push_back({{"PrefixListId", r.peer}});
      break;
    case PeerKind::kSecurityGroup:
      p["UserIdGroupPairs"].push_back({{"GroupId", r.peer}, {"UserId", "111122223333"}});
      break;
  }
  return p;
}

J AclEntry(const NaclEntry& e, bool egress) {
  J j{{"RuleNumber", e.rule_number},
      {"Egress", egress},
      {"Protocol", ProtocolNumber(e.protocol)},
      {"RuleAction", e.allow ? "allow" : "deny"},
      {"CidrBlock", e.cidr.ToString()}};
  if (HasPorts(e.protocol)) j["PortRange"] = {{"From", e.from_port}, {"To", e.to_port}};
  if (e.protocol == proto::kIcmp)
    j["IcmpTypeCode"] = {{"Type", e.icmp_type}, {"Code", e.icmp_code}};
  return j;
}

}  // namespace

std::vector<std::pair<std::string, J>> ScenarioToAwsDump(const Scenario& s) {
  const Topology t = Topology::Build(s);
  std::vector<std::pair<std::string, J>> files;
  std::map<std::string, std::string> subnet_vpc;
  for (const Subnet& sn : s.subnets) subnet_vpc[sn.id] = sn.vpc;

  J vpcs = J::array();
  for (const Vpc& v : s.vpcs) {
    J assoc = J::array();
    for (const Cidr& c : v.cidr_blocks)
      assoc.push_back({{"CidrBlock", c.ToString()}, {"CidrBlockState", {{"State", "associated"}}}});
    vpcs.push_back({{"VpcId", v.id},
                    {"CidrBlock", v.cidr_blocks.front().ToString()},
                    {"CidrBlockAssociationSet", assoc},
                    {"State", "available"}});
    files.push_back({"vpc-attribute-" + v.id + "-dns-support.json",
                     {{"VpcId", v.id}, {"EnableDnsSupport", {{"Value", v.enable_dns_support}}}}});
    files.push_back(
        {"vpc-attribute-" + v.id + "-dns-hostnames.json",
         {{"VpcId", v.id}, {"EnableDnsHostnames", {{"Value", v.enable_dns_hostnames}}}}});
  }
  files.push_back({"Vpcs.json", {{"Vpcs", vpcs}}});

  J subnets = J::array();
  for (const Subnet& sn : s.subnets) {
    subnets.push_back({{"SubnetId", sn.id},
                       {"VpcId", sn.vpc},
                       {"CidrBlock", sn.cidr.ToString()},
                       {"AvailabilityZone", sn.availability_zone},
                       {"MapPublicIpOnLaunch", sn.map_public_ip_on_launch},
                       {"State", "available"}});
  }
  files.push_back({"Subnets.json", {{"Subnets", subnets}}});

  J igws = J::array();
  for (const InternetGateway& g : s.internet_gateways) {
    J att = J::array();
    if (!g.vpc.empty()) att.push_back({{"State", "available"}, {"VpcId", g.vpc}});
    igws.push_back({{"InternetGatewayId", g.id}, {"Attachments", att}});
  }
  files.push_back({"InternetGateways.json", {{"InternetGateways", igws}}});

  J nats = J::array();
  J enis = J::array();
  for (const NatInfo& n : t.nat_gateways()) {
    const std::string eni = "eni-" + n.id;
    J address{
        {"NetworkInterfaceId", eni}, {"PrivateIp", FormatIpv4(n.private_ip)}, {"IsPrimary", true}};
    if (n.elastic_ip) address["PublicIp"] = FormatIpv4(n.elastic_ip);
    const std::string& subnet = t.subnets()[static_cast<std::size_t>(n.subnet)].id;
    nats.push_back({{"NatGatewayId", n.id},
                    {"SubnetId", subnet},
                    {"VpcId", subnet_vpc[subnet]},
                    {"State", n.state},
                    {"ConnectivityType", n.is_public ? "public" : "private"},
                    {"NatGatewayAddresses", J::array({address})}});
    enis.push_back({{"NetworkInterfaceId", eni},
                    {"SubnetId", subnet},
                    {"VpcId", subnet_vpc[subnet]},
                    {"InterfaceType", "nat_gateway"},
                    {"Status", "in-use"},
                    {"PrivateIpAddress", FormatIpv4(n.private_ip)},
                    {"RequesterManaged", true}});
  }
  files.push_back({"NatGateways.json", {{"NatGateways", nats}}});

  J tables = J::array();
  for (const RouteTable& rt : s.route_tables) {
    J assoc = J::array();
    if (rt.main)
      assoc.push_back({{"Main", true},
                       {"RouteTableId", rt.id},
                       {"AssociationState", {{"State", "associated"}}}});
    for (const std::string& sn : rt.subnets)
      assoc.push_back({{"Main", false},
                       {"RouteTableId", rt.id},
                       {"SubnetId", sn},
                       {"AssociationState", {{"State", "associated"}}}});
    J routes = J::array();
    for (const Vpc& v : s.vpcs) {
      if (v.id != rt.vpc) continue;
      for (const Cidr& c : v.cidr_blocks)
        routes.push_back({{"DestinationCidrBlock", c.ToString()},
                          {"GatewayId", "local"},
                          {"Origin", "CreateRouteTable"},
                          {"State", "active"}});
    }
    for (const Route& r : rt.routes) {
      J j;
      if (r.destination) {
        j["DestinationCidrBlock"] = r.destination->ToString();
      } else {
        j["DestinationPrefixListId"] = r.destination_prefix_list;
      }
      switch (r.target_kind) {
        case TargetKind::kLocal:
          j["GatewayId"] = "local";
          break;
        case TargetKind::kNatGateway:
          j["NatGatewayId"] = r.target;
          break;
        case TargetKind::kTransitGateway:
          j["TransitGatewayId"] = r.target;
          break;
        case TargetKind::kPeeringConnection:
          j["VpcPeeringConnectionId"] = r.target;
          break;
        case TargetKind::kNetworkInterface:
          j["NetworkInterfaceId"] = r.target;
          break;
        default:
          j["GatewayId"] = r.target;  // igw-, vgw-, vpce-
      }
      j["Origin"] =
          r.origin == RouteOrigin::kPropagated ? "EnableVgwRoutePropagation" : "CreateRoute";
      j["State"] = r.state == RouteState::kActive ? "active" : "blackhole";
      routes.push_back(j);
    }
    for (const VpcEndpoint& e : s.vpc_endpoints) {
      if (e.type != EndpointType::kGateway) continue;
      if (std::find(e.route_tables.begin(), e.route_tables.end(), rt.id) == e.route_tables.end())
        continue;
      const CatalogService* svc = ServiceCatalog::BuiltIn().Find(e.service);
      const std::string pl = svc ? ServiceCatalog::BuiltIn().PrefixListId(*svc, s.region) : "";
      routes.push_back({{"DestinationPrefixListId", pl},
                        {"GatewayId", e.id},
                        {"Origin", "CreateRoute"},
                        {"State", "active"}});
    }
    J vgws = J::array();
    for (const std::string& g : rt.propagating_vgws) vgws.push_back({{"GatewayId", g}});
    tables.push_back({{"RouteTableId", rt.id},
                      {"VpcId", rt.vpc},
                      {"Associations", assoc},
                      {"PropagatingVgws", vgws},
                      {"Routes", routes}});
  }
  files.push_back({"RouteTables.json", {{"RouteTables", tables}}});

  J groups = J::array();
  for (const SecurityGroup& g : s.security_groups) {
    J in = J::array(), out = J::array();
    for (const SgRule& r : g.ingress) in.push_back(Permission(r));
    for (const SgRule& r : g.egress) out.push_back(Permission(r));
    groups.push_back({{"GroupId", g.id},
                      {"GroupName", g.name},
                      {"VpcId", g.vpc},
                      {"IpPermissions", in},
                      {"IpPermissionsEgress", out}});
  }
  files.push_back({"SecurityGroups.json", {{"SecurityGroups", groups}}});

  J acls = J::array();
  for (const NetworkAcl& a : s.network_acls) {
    J entries = J::array();
    for (const NaclEntry& e : a.ingress) entries.push_back(AclEntry(e, false));
    for (const NaclEntry& e : a.egress) entries.push_back(AclEntry(e, true));
    for (bool egress : {false, true})
      entries.push_back({{"RuleNumber", 32767},
                         {"Egress", egress},
                         {"Protocol", "-1"},
                         {"RuleAction", "deny"},
                         {"CidrBlock", "0.0.0.0/0"}});
    J assoc = J::array();
    for (const std::string& sn : a.subnets)
      assoc.push_back({{"NetworkAclId", a.id}, {"SubnetId", sn}});
    acls.push_back({{"NetworkAclId", a.id},
                    {"VpcId", a.vpc},
                    {"IsDefault", a.is_default},
                    {"Associations", assoc},
                    {"Entries", entries}});
  }
  files.push_back({"NetworkAcls.json", {{"NetworkAcls", acls}}});

  // Every node ENI with its address, as describe-network-interfaces prints it.
  for (std::size_t e = 0; e < t.enis().size(); ++e) {
    const Eni& eni = t.enis()[e];
    const GroupInfo& g = t.groups()[static_cast<std::size_t>(eni.group)];
    const std::string& subnet = t.subnets()[static_cast<std::size_t>(g.subnet)].id;
    J primary{{"PrivateIpAddress", FormatIpv4(eni.ip)}, {"Primary", true}};
    J sgs = J::array();
    for (int sg : g.security_groups)
      sgs.push_back({{"GroupId", t.security_groups()[static_cast<std::size_t>(sg)].id}});
    J j{{"NetworkInterfaceId", t.EniId(static_cast<std::int64_t>(e))},
        {"SubnetId", subnet},
        {"VpcId", subnet_vpc[subnet]},
        {"InterfaceType", "interface"},
        {"Status", "in-use"},
        {"PrivateIpAddress", FormatIpv4(eni.ip)}};
    if (eni.public_ip) {
      j["Association"] = {{"PublicIp", FormatIpv4(eni.public_ip)}, {"IpOwnerId", "amazon"}};
      primary["Association"] = j["Association"];
    }
    j["PrivateIpAddresses"] = J::array({primary});
    j["Groups"] = sgs;
    const std::string instance = t.InstanceId(static_cast<std::int64_t>(e));
    if (!instance.empty())
      j["Attachment"] = {{"InstanceId", instance}, {"DeviceIndex", 0}, {"Status", "attached"}};
    j["SourceDestCheck"] = g.source_dest_check;
    enis.push_back(j);
  }
  J endpoints = J::array();
  for (const EndpointInfo& e : t.endpoints()) {
    J ep{{"VpcEndpointId", e.id},
         {"VpcEndpointType", e.type == EndpointType::kGateway ? "Gateway" : "Interface"},
         {"VpcId", t.vpcs()[static_cast<std::size_t>(e.vpc)].id},
         {"ServiceName", "com.amazonaws." + s.region + "." + (e.service ? e.service->name : "")},
         {"State", e.state}};
    J route_tables = J::array(), subnet_ids = J::array(), eni_ids = J::array(), sgs = J::array();
    for (const VpcEndpoint& m : s.vpc_endpoints) {
      if (m.id == e.id) route_tables = m.route_tables;
    }
    for (int x : e.enis) {
      const EndpointEni& ee = t.endpoint_enis()[static_cast<std::size_t>(x)];
      const std::string& subnet = t.subnets()[static_cast<std::size_t>(ee.subnet)].id;
      const std::string id = "eni-" + e.id + "-" + std::to_string(x);
      subnet_ids.push_back(subnet);
      eni_ids.push_back(id);
      enis.push_back({{"NetworkInterfaceId", id},
                      {"SubnetId", subnet},
                      {"VpcId", subnet_vpc[subnet]},
                      {"InterfaceType", "vpc_endpoint"},
                      {"Status", "in-use"},
                      {"PrivateIpAddress", FormatIpv4(ee.ip)},
                      {"RequesterManaged", true}});
    }
    for (int sg : e.security_groups)
      sgs.push_back({{"GroupId", t.security_groups()[static_cast<std::size_t>(sg)].id}});
    ep["RouteTableIds"] = e.type == EndpointType::kGateway ? route_tables : J::array();
    ep["SubnetIds"] = subnet_ids;
    ep["Groups"] = sgs;
    ep["PrivateDnsEnabled"] = e.private_dns;
    ep["NetworkInterfaceIds"] = eni_ids;
    endpoints.push_back(ep);
  }
  files.push_back({"NetworkInterfaces.json", {{"NetworkInterfaces", enis}}});
  files.push_back({"VpcEndpoints.json", {{"VpcEndpoints", endpoints}}});

  J lists = J::array();
  for (const PrefixList& pl : s.prefix_lists) {
    lists.push_back({{"PrefixListId", pl.id},
                     {"PrefixListName", pl.name},
                     {"AddressFamily", "IPv4"},
                     {"State", "create-complete"},
                     {"OwnerId", "111122223333"}});
    J entries = J::array();
    for (const Cidr& c : pl.cidrs) entries.push_back({{"Cidr", c.ToString()}});
    files.push_back({pl.id + ".json", {{"Entries", entries}}});
  }
  files.push_back({"PrefixLists.json", {{"PrefixLists", lists}}});
  return files;
}

}  // namespace sim
