#include "sim/report/scenario_writer.hpp"

#include <algorithm>

namespace sim {
namespace {

using J = nlohmann::ordered_json;

J Cidrs(const std::vector<Cidr>& cidrs) {
  J out = J::array();
  for (const Cidr& c : cidrs) out.push_back(c.ToString());
  return out;
}

J Ips(const std::vector<Ipv4>& ips) {
  J out = J::array();
  for (Ipv4 ip : ips) out.push_back(FormatIpv4(ip));
  return out;
}

J Strings(const std::vector<std::string>& v) { return J(v); }

std::string ProtocolText(int protocol) {
  return protocol == proto::kAll ? "-1" : ProtocolName(protocol);
}

const char* TargetKey(TargetKind kind) {
  switch (kind) {
    case TargetKind::kLocal:
      return "local";
    case TargetKind::kInternetGateway:
      return "internet_gateway";
    case TargetKind::kNatGateway:
      return "nat_gateway";
    case TargetKind::kVpnGateway:
      return "vpn_gateway";
    case TargetKind::kPeeringConnection:
      return "peering_connection";
    case TargetKind::kNetworkInterface:
      return "network_interface";
    case TargetKind::kVpcEndpoint:
      return "vpc_endpoint";
    case TargetKind::kTransitGateway:
      return "transit_gateway";
  }
  return "local";
}

J RouteJson(const sim::Route& r) {
  J o;
  if (r.destination) {
    o["destination"] = r.destination->ToString();
  } else {
    o["destination_prefix_list"] = r.destination_prefix_list;
  }
  if (r.target_kind == TargetKind::kLocal) {
    o["local"] = true;
  } else {
    o[TargetKey(r.target_kind)] = r.target;
  }
  o["state"] = r.state == RouteState::kActive ? "active" : "blackhole";
  o["origin"] = r.origin == RouteOrigin::kStatic ? "static" : "propagated";
  return o;
}

J SgRuleJson(const sim::SgRule& r) {
  J o;
  o["protocol"] = ProtocolText(r.protocol);
  if (HasPorts(r.protocol) || r.protocol == proto::kIcmp) {
    o["from_port"] = r.from_port;
    o["to_port"] = r.to_port;
  }
  switch (r.peer_kind) {
    case PeerKind::kCidr:
      o["cidr"] = r.cidr.ToString();
      break;
    case PeerKind::kPrefixList:
      o["prefix_list"] = r.peer;
      break;
    case PeerKind::kSecurityGroup:
      o["security_group"] = r.peer;
      break;
  }
  if (!r.description.empty()) o["description"] = r.description;
  return o;
}

J NaclEntryJson(const sim::NaclEntry& e) {
  J o;
  o["rule_number"] = e.rule_number;
  o["protocol"] = ProtocolText(e.protocol);
  o["action"] = e.allow ? "allow" : "deny";
  o["cidr"] = e.cidr.ToString();
  if (HasPorts(e.protocol)) {
    o["from_port"] = e.from_port;
    o["to_port"] = e.to_port;
  }
  if (e.protocol == proto::kIcmp) {
    o["icmp_type"] = e.icmp_type;
    o["icmp_code"] = e.icmp_code;
  }
  return o;
}

template <typename T, typename F>
void List(J& doc, const char* key, const std::vector<T>& items, F write) {
  J out = J::array();
  for (const T& item : items) {
    J o = write(item);
    if (!o.is_null()) out.push_back(std::move(o));
  }
  if (!out.empty()) doc[key] = std::move(out);
}

}  // namespace

J ScenarioToJson(const Scenario& s) {
  J doc;
  doc["name"] = s.name;
  if (!s.description.empty()) doc["description"] = s.description;
  doc["region"] = s.region;
  List(doc, "vpcs", s.vpcs, [](const Vpc& v) {
    return J{{"id", v.id},
             {"cidr_blocks", Cidrs(v.cidr_blocks)},
             {"enableDnsSupport", v.enable_dns_support},
             {"enableDnsHostnames", v.enable_dns_hostnames}};
  });
  List(doc, "subnets", s.subnets, [](const Subnet& sn) {
    return J{{"id", sn.id},
             {"vpc", sn.vpc},
             {"cidr", sn.cidr.ToString()},
             {"availability_zone", sn.availability_zone},
             {"map_public_ip_on_launch", sn.map_public_ip_on_launch}};
  });
  List(doc, "route_tables", s.route_tables, [](const RouteTable& t) {
    if (t.id == MainRouteTableId(t.vpc)) return J();  // ApplyAwsDefaults adds it again
    J o{{"id", t.id}, {"vpc", t.vpc}, {"main", t.main}, {"subnets", Strings(t.subnets)}};
    J routes = J::array();
    for (const auto& r : t.routes) routes.push_back(RouteJson(r));
    o["routes"] = std::move(routes);
    if (!t.propagating_vgws.empty()) o["propagating_vgws"] = Strings(t.propagating_vgws);
    return o;
  });
  List(doc, "internet_gateways", s.internet_gateways, [](const InternetGateway& g) {
    J o{{"id", g.id}};
    if (!g.vpc.empty()) o["vpc"] = g.vpc;
    return o;
  });
  List(doc, "nat_gateways", s.nat_gateways, [](const NatGateway& n) {
    J o{{"id", n.id},
        {"subnet", n.subnet},
        {"connectivity", n.connectivity == NatConnectivity::kPublic ? "public" : "private"}};
    if (n.elastic_ip) o["elastic_ip"] = FormatIpv4(*n.elastic_ip);
    if (n.private_ip) o["private_ip"] = FormatIpv4(*n.private_ip);
    o["state"] = n.state;
    return o;
  });
  List(doc, "vpn_gateways", s.vpn_gateways, [](const VpnGateway& g) {
    J o{{"id", g.id}};
    if (!g.vpc.empty()) o["vpc"] = g.vpc;
    return o;
  });
  List(doc, "onprem_sites", s.onprem_sites, [](const OnPremSite& x) {
    return J{{"id", x.id},
             {"vpn_gateway", x.vpn_gateway},
             {"connection", x.connection},
             {"state", x.connection_up ? "up" : "down"},
             {"cidrs", Cidrs(x.cidrs)},
             {"advertised", Cidrs(x.advertised)},
             {"internet_egress", x.internet_egress}};
  });
  List(doc, "peering_connections", s.peering_connections, [](const PeeringConnection& c) {
    return J{{"id", c.id},
             {"requester_vpc", c.requester_vpc},
             {"accepter_vpc", c.accepter_vpc},
             {"status", c.status}};
  });
  List(doc, "prefix_lists", s.prefix_lists, [](const PrefixList& pl) {
    J o{{"id", pl.id}};
    if (!pl.name.empty()) o["name"] = pl.name;
    o["cidrs"] = Cidrs(pl.cidrs);
    return o;
  });
  List(doc, "security_groups", s.security_groups, [](const SecurityGroup& g) {
    if (g.id == DefaultSecurityGroupId(g.vpc)) return J();
    J ingress = J::array(), egress = J::array();
    for (const auto& r : g.ingress) ingress.push_back(SgRuleJson(r));
    for (const auto& r : g.egress) egress.push_back(SgRuleJson(r));
    return J{{"id", g.id},
             {"vpc", g.vpc},
             {"name", g.name},
             {"ingress", std::move(ingress)},
             {"egress", std::move(egress)}};
  });
  List(doc, "network_acls", s.network_acls, [](const NetworkAcl& a) {
    if (a.id == DefaultNetworkAclId(a.vpc)) return J();
    J ingress = J::array(), egress = J::array();
    for (const auto& e : a.ingress) ingress.push_back(NaclEntryJson(e));
    for (const auto& e : a.egress) egress.push_back(NaclEntryJson(e));
    return J{{"id", a.id},
             {"vpc", a.vpc},
             {"default", a.is_default},
             {"subnets", Strings(a.subnets)},
             {"ingress", std::move(ingress)},
             {"egress", std::move(egress)}};
  });
  List(doc, "vpc_endpoints", s.vpc_endpoints, [](const VpcEndpoint& e) {
    const bool gateway = e.type == EndpointType::kGateway;
    J o{{"id", e.id},
        {"vpc", e.vpc},
        {"type", gateway ? "gateway" : "interface"},
        {"service", e.service},
        {"state", e.state}};
    if (gateway) {
      o["route_tables"] = Strings(e.route_tables);
    } else {
      o["subnets"] = Strings(e.subnets);
      o["security_groups"] = Strings(e.security_groups);
      o["private_dns"] = e.private_dns;
      if (!e.addresses.empty()) {
        J a = J::object();
        for (const auto& [subnet, ip] : e.addresses) a[subnet] = FormatIpv4(ip);
        o["addresses"] = std::move(a);
      }
    }
    return o;
  });
  List(doc, "proxies", s.proxies, [](const Proxy& x) {
    J o{{"id", x.id}, {"host", x.host}, {"port", x.port}};
    if (!x.node_group.empty()) o["node_group"] = x.node_group;
    if (!x.onprem_site.empty()) o["onprem_site"] = x.onprem_site;
    if (x.address) o["address"] = FormatIpv4(*x.address);
    if (!x.allowed_domains.empty()) o["allowed_domains"] = Strings(x.allowed_domains);
    if (!x.no_proxy.empty()) o["no_proxy"] = Strings(x.no_proxy);
    return o;
  });
  List(doc, "node_groups", s.node_groups, [](const NodeGroup& g) {
    J o{{"name", g.name},
        {"role", g.role},
        {"subnet", g.subnet},
        {"security_groups", Strings(g.security_groups)}};
    if (g.public_ip) o["public_ip"] = *g.public_ip;
    o["count"] = g.count;
    o["source_dest_check"] = g.source_dest_check;
    o["source_nat"] = g.source_nat;
    if (!g.proxy.empty()) o["proxy"] = g.proxy;
    o["imds"] = g.imds;
    if (!g.private_ips.empty()) o["private_ips"] = Ips(g.private_ips);
    if (!g.public_ips.empty()) o["public_ips"] = Ips(g.public_ips);
    if (!g.secondary_ips.empty()) {
      J list = J::array();
      for (const SecondaryIp& ip : g.secondary_ips) {
        J entry{{"private_ip", FormatIpv4(ip.private_ip)}};
        if (ip.public_ip) entry["public_ip"] = FormatIpv4(*ip.public_ip);
        list.push_back(std::move(entry));
      }
      o["secondary_ips"] = std::move(list);
    }
    if (!g.eni_ids.empty()) o["eni_ids"] = Strings(g.eni_ids);
    if (!g.instance_ids.empty()) o["instance_ids"] = Strings(g.instance_ids);
    o["ephemeral_ports"] = std::to_string(g.ephemeral_lo) + "-" + std::to_string(g.ephemeral_hi);
    return o;
  });
  List(doc, "services", s.services, [](const ServiceDefinition& d) {
    J types = J::array();
    if (d.interface_endpoint) types.push_back("interface");
    if (d.gateway_endpoint) types.push_back("gateway");
    J o{{"name", d.name},
        {"hostnames", Strings(d.hostnames)},
        {"cidrs", Cidrs(d.cidrs)},
        {"endpoint_types", std::move(types)}};
    if (!d.prefix_list.empty()) o["prefix_list"] = d.prefix_list;
    return o;
  });
  List(doc, "expectations", s.expectations, [](const Expectation& e) {
    J o{{"from", e.from},
        {"to", e.to},
        {"protocol", ProtocolText(e.protocol)},
        {"port", e.port},
        {"expect", VerdictName(e.expect)}};
    if (!e.blocked_by.empty()) o["blocked_by"] = e.blocked_by;
    if (!e.code.empty()) o["code"] = e.code;
    if (!e.description.empty()) o["description"] = e.description;
    return o;
  });
  if (s.pcluster) {
    J o{{"config", s.pcluster->config}, {"expect", s.pcluster->ready ? "ready" : "fails"}};
    if (!s.pcluster->failing.empty()) o["failing"] = Strings(s.pcluster->failing);
    if (!s.pcluster->description.empty()) o["description"] = s.pcluster->description;
    if (s.pcluster->placed) o["placed"] = true;
    doc["pcluster"] = std::move(o);
  }
  return doc;
}

}  // namespace sim
