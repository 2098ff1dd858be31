#include "sim/load/scenario_loader.hpp"

#include <algorithm>

namespace sim {
namespace {

using P = std::string;  // a JSON pointer

int ProtocolField(JsonReader& r, const Json& o, const P& p, std::string_view key, bool required,
                  int fallback) {
  if (!o.contains(std::string(key))) {
    if (required)
      r.Error(PointerAppend(p, key), "missing required key \"" + std::string(key) + "\"");
    return fallback;
  }
  const Json& v = o.at(std::string(key));
  std::optional<int> parsed;
  if (v.is_string()) parsed = ParseProtocol(v.get<std::string>());
  if (v.is_number_integer()) {
    const auto n = v.get<std::int64_t>();
    if (n == -1 || (n >= 0 && n <= 255)) parsed = static_cast<int>(n);
  }
  if (!parsed) {
    r.Error(PointerAppend(p, key),
            "protocol must be \"tcp\", \"udp\", \"icmp\", \"all\" (or \"-1\") or a protocol number "
            "0-255");
    return fallback;
  }
  return *parsed;
}

// "443", "1024-65535"
std::optional<std::pair<int, int>> ParsePortRange(std::string_view text) {
  const std::size_t dash = text.find('-');
  auto num = [](std::string_view s) -> std::optional<int> {
    if (s.empty() || s.size() > 5) return std::nullopt;
    int n = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + (c - '0');
    }
    return n <= 65535 ? std::optional<int>(n) : std::nullopt;
  };
  const auto lo = num(dash == std::string_view::npos ? text : text.substr(0, dash));
  const auto hi = dash == std::string_view::npos ? lo : num(text.substr(dash + 1));
  if (!lo || !hi || *lo > *hi) return std::nullopt;
  return std::make_pair(*lo, *hi);
}

void ReadPorts(JsonReader& r, const Json& o, const P& p, int protocol, int& from, int& to,
               bool nacl) {
  const auto f = r.Int(o, p, "from_port", false, -1, 65535);
  const auto t = r.Int(o, p, "to_port", false, -1, 65535);
  if (HasPorts(protocol)) {
    if (!f || !t) {
      if (!o.contains("from_port") && !o.contains("to_port")) {
        r.Error(p, "a " + ProtocolName(protocol) + " rule needs \"from_port\" and \"to_port\"");
      } else if (!f && !o.contains("from_port")) {
        r.Error(PointerAppend(p, "from_port"), "missing required key \"from_port\"");
      } else if (!t && !o.contains("to_port")) {
        r.Error(PointerAppend(p, "to_port"), "missing required key \"to_port\"");
      }
      return;
    }
    if (*f < 0 || *t < 0 || *f > *t) {
      r.Error(PointerAppend(p, "from_port"), "port range " + std::to_string(*f) + "-" +
                                                 std::to_string(*t) +
                                                 " is not a range within 0-65535");
      return;
    }
    from = static_cast<int>(*f);
    to = static_cast<int>(*t);
    return;
  }
  if (protocol == proto::kIcmp) {
    // Security groups: from_port is the ICMP type, to_port the code (-1 = all).
    if (!nacl) {
      from = f ? static_cast<int>(*f) : -1;
      to = t ? static_cast<int>(*t) : -1;
      if (from > 255) r.Error(PointerAppend(p, "from_port"), "ICMP type must be -1..255");
      if (to > 255) r.Error(PointerAppend(p, "to_port"), "ICMP code must be -1..255");
    }
    return;
  }
  if (f || t) {
    r.Error(PointerAppend(p, f ? "from_port" : "to_port"),
            "ports apply only to tcp and udp rules; a " + ProtocolName(protocol) +
                " rule covers every port");
  }
}

SgRule ReadSgRule(JsonReader& r, const Json& o, const P& p) {
  SgRule rule;
  rule.pointer = p;
  if (!r.Object(o, p,
                {"protocol", "from_port", "to_port", "cidr", "prefix_list", "security_group",
                 "description"})) {
    return rule;
  }
  rule.protocol = ProtocolField(r, o, p, "protocol", true, proto::kAll);
  ReadPorts(r, o, p, rule.protocol, rule.from_port, rule.to_port, false);
  const int peers = static_cast<int>(o.contains("cidr")) +
                    static_cast<int>(o.contains("prefix_list")) +
                    static_cast<int>(o.contains("security_group"));
  if (peers != 1) {
    r.Error(p, "a rule names exactly one of \"cidr\", \"prefix_list\" and \"security_group\"");
  }
  if (o.contains("cidr")) {
    rule.peer_kind = PeerKind::kCidr;
    if (auto c = r.CidrField(o, p, "cidr", true, false)) rule.cidr = *c;
  } else if (o.contains("prefix_list")) {
    rule.peer_kind = PeerKind::kPrefixList;
    rule.peer = r.String(o, p, "prefix_list", true).value_or("");
  } else if (o.contains("security_group")) {
    rule.peer_kind = PeerKind::kSecurityGroup;
    rule.peer = r.String(o, p, "security_group", true).value_or("");
  }
  rule.description = r.String(o, p, "description", false).value_or("");
  return rule;
}

NaclEntry ReadNaclEntry(JsonReader& r, const Json& o, const P& p) {
  NaclEntry e;
  e.pointer = p;
  if (!r.Object(o, p,
                {"rule_number", "protocol", "action", "cidr", "from_port", "to_port", "icmp_type",
                 "icmp_code", "description"})) {
    return e;
  }
  // 32767 is AWS's catch-all deny, which every ACL has implicitly.
  e.rule_number = static_cast<int>(r.Int(o, p, "rule_number", true, 1, 32766).value_or(0));
  e.protocol = ProtocolField(r, o, p, "protocol", true, proto::kAll);
  e.allow = r.Enum(o, p, "action", true, {"allow", "deny"}).value_or("deny") == "allow";
  if (auto c = r.CidrField(o, p, "cidr", true, false)) e.cidr = *c;
  ReadPorts(r, o, p, e.protocol, e.from_port, e.to_port, true);
  if (!HasPorts(e.protocol)) {
    e.from_port = 0;
    e.to_port = 65535;
  }
  if (e.protocol == proto::kIcmp) {
    e.icmp_type = static_cast<int>(r.Int(o, p, "icmp_type", false, -1, 255).value_or(-1));
    e.icmp_code = static_cast<int>(r.Int(o, p, "icmp_code", false, -1, 255).value_or(-1));
  } else if (o.contains("icmp_type") || o.contains("icmp_code")) {
    r.Error(PointerAppend(p, o.contains("icmp_type") ? "icmp_type" : "icmp_code"),
            "ICMP type and code apply only to icmp entries");
  }
  return e;
}

template <typename T, typename F>
std::vector<T> ReadList(JsonReader& r, const Json& doc, const P& p, std::string_view key, F read) {
  std::vector<T> out;
  const Json* array = r.ArrayField(doc, p, key, false);
  if (!array) return out;
  const P base = PointerAppend(p, key);
  for (std::size_t i = 0; i < array->size(); ++i)
    out.push_back(read((*array)[i], PointerAppend(base, i)));
  return out;
}

Route ReadRoute(JsonReader& r, const Json& o, const P& p) {
  Route route;
  route.pointer = p;
  if (!r.Object(o, p,
                {"destination", "destination_prefix_list", "local", "internet_gateway",
                 "nat_gateway", "vpn_gateway", "peering_connection", "network_interface",
                 "vpc_endpoint", "transit_gateway", "state", "origin", "description"})) {
    return route;
  }
  const bool has_cidr = o.contains("destination");
  const bool has_pl = o.contains("destination_prefix_list");
  if (has_cidr == has_pl) {
    r.Error(p,
            "a route names exactly one of \"destination\" (a CIDR) and "
            "\"destination_prefix_list\"");
  }
  if (has_cidr) route.destination = r.CidrField(o, p, "destination", true, true);
  if (has_pl)
    route.destination_prefix_list = r.String(o, p, "destination_prefix_list", true).value_or("");
  static const std::pair<const char*, TargetKind> kTargets[] = {
      {"local", TargetKind::kLocal},
      {"internet_gateway", TargetKind::kInternetGateway},
      {"nat_gateway", TargetKind::kNatGateway},
      {"vpn_gateway", TargetKind::kVpnGateway},
      {"peering_connection", TargetKind::kPeeringConnection},
      {"network_interface", TargetKind::kNetworkInterface},
      {"vpc_endpoint", TargetKind::kVpcEndpoint},
      {"transit_gateway", TargetKind::kTransitGateway},
  };
  int targets = 0;
  for (const auto& [key, kind] : kTargets) {
    if (!o.contains(key)) continue;
    ++targets;
    route.target_kind = kind;
    if (kind == TargetKind::kLocal) {
      if (auto b = r.Bool(o, p, key, true); b && !*b) {
        r.Error(PointerAppend(p, key), "\"local\" can only be true");
      }
    } else {
      route.target = r.String(o, p, key, true).value_or("");
    }
  }
  if (targets != 1) {
    r.Error(p,
            "a route names exactly one target: \"local\", \"internet_gateway\", "
            "\"nat_gateway\", \"vpn_gateway\", \"peering_connection\", "
            "\"network_interface\", \"vpc_endpoint\" or \"transit_gateway\"");
  }
  if (auto s = r.Enum(o, p, "state", false, {"active", "blackhole"}, true)) {
    route.state = *s == "active" ? RouteState::kActive : RouteState::kBlackhole;
  }
  if (auto s = r.Enum(o, p, "origin", false, {"static", "propagated"})) {
    route.origin = *s == "static" ? RouteOrigin::kStatic : RouteOrigin::kPropagated;
  }
  r.String(o, p, "description", false);
  return route;
}

// Internet gateways and virtual private gateways: an id and the VPC they are attached
// to (absent when detached).
template <typename Gateway>
Gateway ReadGateway(JsonReader& r, const Json& o, const P& p) {
  Gateway g;
  g.pointer = p;
  if (!r.Object(o, p, {"id", "vpc", "description"})) return g;
  g.id = r.String(o, p, "id", true).value_or("");
  g.vpc = r.String(o, p, "vpc", false).value_or("");
  return g;
}

std::optional<Verdict> ParseVerdict(const std::string& s) {
  if (s == "reachable") return Verdict::kReachable;
  if (s == "unreachable") return Verdict::kUnreachable;
  if (s == "partial") return Verdict::kPartial;
  return std::nullopt;
}

Scenario ParseDocument(JsonReader& r, const Json& doc, const std::string& source) {
  Scenario s;
  s.source = source;
  const P root;
  if (!r.Object(doc, root, {"$schema",      "name",
                            "description",  "region",
                            "vpcs",         "subnets",
                            "route_tables", "internet_gateways",
                            "nat_gateways", "vpn_gateways",
                            "onprem_sites", "peering_connections",
                            "prefix_lists", "security_groups",
                            "network_acls", "vpc_endpoints",
                            "proxies",      "node_groups",
                            "services",     "expectations",
                            "pcluster"})) {
    return s;
  }
  r.String(doc, root, "$schema", false);
  s.name = r.String(doc, root, "name", false).value_or("");
  s.description = r.String(doc, root, "description", false).value_or("");
  s.region = r.String(doc, root, "region", true).value_or("");

  s.vpcs = ReadList<Vpc>(r, doc, root, "vpcs", [&](const Json& o, const P& p) {
    Vpc v;
    v.pointer = p;
    if (!r.Object(o, p,
                  {"id", "cidr_blocks", "enableDnsSupport", "enableDnsHostnames", "description"}))
      return v;
    v.id = r.String(o, p, "id", true).value_or("");
    v.cidr_blocks = r.CidrArray(o, p, "cidr_blocks", true, true);
    if (o.contains("cidr_blocks") && o.at("cidr_blocks").is_array() &&
        o.at("cidr_blocks").empty()) {
      r.Error(PointerAppend(p, "cidr_blocks"), "a VPC needs at least one IPv4 CIDR block");
    }
    v.enable_dns_support = r.Bool(o, p, "enableDnsSupport", false).value_or(true);
    v.enable_dns_hostnames = r.Bool(o, p, "enableDnsHostnames", false).value_or(false);
    return v;
  });

  s.subnets = ReadList<Subnet>(r, doc, root, "subnets", [&](const Json& o, const P& p) {
    Subnet sn;
    sn.pointer = p;
    if (!r.Object(
            o, p,
            {"id", "vpc", "cidr", "availability_zone", "map_public_ip_on_launch", "description"}))
      return sn;
    sn.id = r.String(o, p, "id", true).value_or("");
    sn.vpc = r.String(o, p, "vpc", true).value_or("");
    if (auto c = r.CidrField(o, p, "cidr", true, true)) sn.cidr = *c;
    sn.availability_zone = r.String(o, p, "availability_zone", false).value_or(s.region + "a");
    sn.map_public_ip_on_launch = r.Bool(o, p, "map_public_ip_on_launch", false).value_or(false);
    return sn;
  });

  s.route_tables =
      ReadList<RouteTable>(r, doc, root, "route_tables", [&](const Json& o, const P& p) {
        RouteTable t;
        t.pointer = p;
        if (!r.Object(
                o, p,
                {"id", "vpc", "main", "subnets", "routes", "propagating_vgws", "description"}))
          return t;
        t.id = r.String(o, p, "id", true).value_or("");
        t.vpc = r.String(o, p, "vpc", true).value_or("");
        t.main = r.Bool(o, p, "main", false).value_or(false);
        t.subnets = r.StringArray(o, p, "subnets", false);
        t.propagating_vgws = r.StringArray(o, p, "propagating_vgws", false);
        t.routes = ReadList<Route>(
            r, o, p, "routes", [&](const Json& ro, const P& rp) { return ReadRoute(r, ro, rp); });
        return t;
      });

  s.internet_gateways = ReadList<InternetGateway>(
      r, doc, root, "internet_gateways",
      [&](const Json& o, const P& p) { return ReadGateway<InternetGateway>(r, o, p); });

  s.nat_gateways =
      ReadList<NatGateway>(r, doc, root, "nat_gateways", [&](const Json& o, const P& p) {
        NatGateway n;
        n.pointer = p;
        if (!r.Object(o, p,
                      {"id", "subnet", "connectivity", "elastic_ip", "private_ip", "state",
                       "description"}))
          return n;
        n.id = r.String(o, p, "id", true).value_or("");
        n.subnet = r.String(o, p, "subnet", true).value_or("");
        if (auto c = r.Enum(o, p, "connectivity", false, {"public", "private"}, true)) {
          n.connectivity = *c == "public" ? NatConnectivity::kPublic : NatConnectivity::kPrivate;
        }
        n.elastic_ip = r.Ip(o, p, "elastic_ip", false);
        n.private_ip = r.Ip(o, p, "private_ip", false);
        n.state = r.Enum(o, p, "state", false,
                         {"pending", "failed", "available", "deleting", "deleted"}, true)
                      .value_or("available");
        return n;
      });

  s.vpn_gateways = ReadList<VpnGateway>(
      r, doc, root, "vpn_gateways",
      [&](const Json& o, const P& p) { return ReadGateway<VpnGateway>(r, o, p); });

  s.onprem_sites = ReadList<
      OnPremSite>(r, doc, root, "onprem_sites", [&](const Json& o, const P& p) {
    OnPremSite site;
    site.pointer = p;
    if (!r.Object(o, p,
                  {"id", "vpn_gateway", "connection", "state", "cidrs", "advertised",
                   "internet_egress", "description"})) {
      return site;
    }
    site.id = r.String(o, p, "id", true).value_or("");
    site.vpn_gateway = r.String(o, p, "vpn_gateway", true).value_or("");
    site.connection = r.Enum(o, p, "connection", false, {"vpn", "direct-connect"}).value_or("vpn");
    site.connection_up = r.Enum(o, p, "state", false, {"up", "down"}).value_or("up") == "up";
    site.cidrs = r.CidrArray(o, p, "cidrs", true, true);
    site.advertised =
        o.contains("advertised") ? r.CidrArray(o, p, "advertised", true, true) : site.cidrs;
    site.internet_egress = r.Bool(o, p, "internet_egress", false).value_or(false);
    return site;
  });

  s.peering_connections = ReadList<PeeringConnection>(
      r, doc, root, "peering_connections", [&](const Json& o, const P& p) {
        PeeringConnection c;
        c.pointer = p;
        if (!r.Object(o, p, {"id", "requester_vpc", "accepter_vpc", "status", "description"}))
          return c;
        c.id = r.String(o, p, "id", true).value_or("");
        c.requester_vpc = r.String(o, p, "requester_vpc", true).value_or("");
        c.accepter_vpc = r.String(o, p, "accepter_vpc", true).value_or("");
        c.status = r.Enum(o, p, "status", false,
                          {"initiating-request", "pending-acceptance", "active", "deleted",
                           "rejected", "failed", "expired", "provisioning", "deleting"},
                          true)
                       .value_or("active");
        return c;
      });

  s.prefix_lists =
      ReadList<PrefixList>(r, doc, root, "prefix_lists", [&](const Json& o, const P& p) {
        PrefixList pl;
        pl.pointer = p;
        if (!r.Object(o, p, {"id", "name", "cidrs", "description"})) return pl;
        pl.id = r.String(o, p, "id", true).value_or("");
        pl.name = r.String(o, p, "name", false).value_or("");
        pl.cidrs = r.CidrArray(o, p, "cidrs", true, true);
        return pl;
      });

  s.security_groups =
      ReadList<SecurityGroup>(r, doc, root, "security_groups", [&](const Json& o, const P& p) {
        SecurityGroup g;
        g.pointer = p;
        if (!r.Object(o, p, {"id", "vpc", "name", "description", "ingress", "egress"})) return g;
        g.id = r.String(o, p, "id", true).value_or("");
        g.vpc = r.String(o, p, "vpc", true).value_or("");
        g.name = r.String(o, p, "name", false).value_or(g.id);
        r.String(o, p, "description", false);
        g.ingress = ReadList<SgRule>(
            r, o, p, "ingress", [&](const Json& ro, const P& rp) { return ReadSgRule(r, ro, rp); });
        if (o.contains("egress")) {
          g.egress = ReadList<SgRule>(r, o, p, "egress", [&](const Json& ro, const P& rp) {
            return ReadSgRule(r, ro, rp);
          });
        } else {
          // AWS: a new security group has one outbound rule allowing all traffic.
          SgRule all;
          all.cidr = Cidr{0, 0};
          all.description = "AWS default outbound rule";
          all.pointer = PointerAppend(p, "egress");
          g.egress.push_back(all);
        }
        return g;
      });

  s.network_acls = ReadList<
      NetworkAcl>(r, doc, root, "network_acls", [&](const Json& o, const P& p) {
    NetworkAcl acl;
    acl.pointer = p;
    if (!r.Object(o, p, {"id", "vpc", "default", "subnets", "ingress", "egress", "description"}))
      return acl;
    acl.id = r.String(o, p, "id", true).value_or("");
    acl.vpc = r.String(o, p, "vpc", true).value_or("");
    acl.is_default = r.Bool(o, p, "default", false).value_or(false);
    acl.subnets = r.StringArray(o, p, "subnets", false);
    for (const char* dir : {"ingress", "egress"}) {
      auto& entries = std::string(dir) == "ingress" ? acl.ingress : acl.egress;
      if (o.contains(dir)) {
        entries = ReadList<NaclEntry>(
            r, o, p, dir, [&](const Json& eo, const P& ep) { return ReadNaclEntry(r, eo, ep); });
      } else if (acl.is_default) {
        // AWS: the default network ACL allows all IPv4 traffic (rule 100).
        NaclEntry all;
        all.rule_number = 100;
        all.cidr = Cidr{0, 0};
        all.pointer = PointerAppend(p, dir);
        entries.push_back(all);
      }
      // A custom ACL without entries denies everything: only the catch-all remains.
      std::stable_sort(entries.begin(), entries.end(), [](const NaclEntry& a, const NaclEntry& b) {
        return a.rule_number < b.rule_number;
      });
    }
    return acl;
  });

  s.vpc_endpoints = ReadList<
      VpcEndpoint>(r, doc, root, "vpc_endpoints", [&](const Json& o, const P& p) {
    VpcEndpoint e;
    e.pointer = p;
    if (!r.Object(o, p,
                  {"id", "vpc", "type", "service", "state", "route_tables", "subnets",
                   "security_groups", "private_dns", "addresses", "description"})) {
      return e;
    }
    e.id = r.String(o, p, "id", true).value_or("");
    e.vpc = r.String(o, p, "vpc", true).value_or("");
    e.type = r.Enum(o, p, "type", true, {"gateway", "interface"}, true).value_or("interface") ==
                     "gateway"
                 ? EndpointType::kGateway
                 : EndpointType::kInterface;
    e.service = r.String(o, p, "service", true).value_or("");
    // AWS's endpoint service names ("com.amazonaws.us-east-1.ec2") stand for the
    // catalog's short names.
    const std::string prefix = "com.amazonaws." + s.region + ".";
    if (e.service.starts_with(prefix)) {
      e.service = e.service.substr(prefix.size());
    } else if (e.service.starts_with("com.amazonaws.")) {
      r.Error(PointerAppend(p, "service"), "\"" + e.service +
                                               "\" is an endpoint service of another Region than " +
                                               s.region + "; endpoints serve their own Region");
    }
    e.state = r.Enum(o, p, "state", false,
                     {"pendingacceptance", "pending", "available", "deleting", "deleted",
                      "rejected", "failed", "expired", "partial"},
                     true)
                  .value_or("available");
    e.route_tables = r.StringArray(o, p, "route_tables", false);
    e.subnets = r.StringArray(o, p, "subnets", false);
    e.security_groups = r.StringArray(o, p, "security_groups", false);
    e.private_dns = r.Bool(o, p, "private_dns", false).value_or(e.type == EndpointType::kInterface);
    if (o.contains("addresses")) {
      const Json& a = o.at("addresses");
      const P ap = PointerAppend(p, "addresses");
      if (!a.is_object()) {
        r.Error(ap, std::string("expected an object mapping subnet ids to addresses, found ") +
                        JsonTypeName(a));
      } else {
        for (const auto& item : a.items()) {
          const auto ip =
              item.value().is_string() ? ParseIpv4(item.value().get<std::string>()) : std::nullopt;
          if (!ip) {
            r.Error(PointerAppend(ap, item.key()), "expected an IPv4 address string");
          } else {
            e.addresses[item.key()] = *ip;
          }
        }
      }
    }
    if (e.type == EndpointType::kGateway) {
      for (const char* key : {"subnets", "security_groups", "addresses"}) {
        if (o.contains(key))
          r.Error(PointerAppend(p, key), std::string("a gateway endpoint has no ") + key);
      }
      if (o.contains("private_dns"))
        r.Error(PointerAppend(p, "private_dns"), "a gateway endpoint has no private DNS");
    } else if (o.contains("route_tables")) {
      r.Error(
          PointerAppend(p, "route_tables"),
          "an interface endpoint is not associated with route tables (that is a gateway endpoint)");
    }
    return e;
  });

  s.proxies = ReadList<Proxy>(r, doc, root, "proxies", [&](const Json& o, const P& p) {
    Proxy x;
    x.pointer = p;
    if (!r.Object(o, p,
                  {"id", "host", "port", "node_group", "onprem_site", "address", "allowed_domains",
                   "no_proxy", "description"})) {
      return x;
    }
    x.id = r.String(o, p, "id", true).value_or("");
    x.host = r.String(o, p, "host", false).value_or(x.id);
    x.port = static_cast<int>(r.Int(o, p, "port", false, 1, 65535).value_or(3128));
    x.node_group = r.String(o, p, "node_group", false).value_or("");
    x.onprem_site = r.String(o, p, "onprem_site", false).value_or("");
    x.address = r.Ip(o, p, "address", false);
    if (x.node_group.empty() == x.onprem_site.empty()) {
      r.Error(
          p,
          "a proxy runs either in a node group (\"node_group\") or on premises (\"onprem_site\" "
          "and \"address\")");
    } else if (!x.onprem_site.empty() && !x.address) {
      r.Error(PointerAppend(p, "address"),
              "an on-premises proxy needs the \"address\" of its host");
    } else if (!x.node_group.empty() && o.contains("address")) {
      r.Error(PointerAppend(p, "address"), "a proxy in a node group uses the group's own address");
    }
    x.allowed_domains = r.StringArray(o, p, "allowed_domains", false);
    x.no_proxy = r.StringArray(o, p, "no_proxy", false);
    return x;
  });

  s.node_groups = ReadList<NodeGroup>(r, doc, root, "node_groups", [&](const Json& o, const P& p) {
    NodeGroup g;
    g.pointer = p;
    if (!r.Object(
            o, p,
            {"name", "role", "subnet", "security_groups", "public_ip", "count", "source_dest_check",
             "source_nat", "proxy", "private_ips", "public_ips", "secondary_ips", "eni_ids",
             "instance_ids", "ephemeral_ports", "imds", "description"})) {
      return g;
    }
    g.name = r.String(o, p, "name", true).value_or("");
    g.role = r.Enum(o, p, "role", false,
                    {"head", "compute", "login", "batch-instance", "batch-task", "ecs-task",
                     "proxy", "appliance", "other"})
                 .value_or("other");
    g.subnet = r.String(o, p, "subnet", true).value_or("");
    g.security_groups = r.StringArray(o, p, "security_groups", false);
    g.public_ip = r.Bool(o, p, "public_ip", false);
    g.count = r.Int(o, p, "count", false, 1, 16'777'216).value_or(1);
    g.source_dest_check = r.Bool(o, p, "source_dest_check", false).value_or(true);
    g.source_nat = r.Bool(o, p, "source_nat", false).value_or(false);
    g.proxy = r.String(o, p, "proxy", false).value_or("");
    g.imds = r.Bool(o, p, "imds", false).value_or(true);
    g.private_ips = r.IpArray(o, p, "private_ips", false);
    g.public_ips = r.IpArray(o, p, "public_ips", false);
    g.secondary_ips =
        ReadList<SecondaryIp>(r, o, p, "secondary_ips", [&](const Json& so, const P& sp) {
          SecondaryIp ip;
          ip.pointer = sp;
          if (!r.Object(so, sp, {"private_ip", "public_ip"})) return ip;
          ip.private_ip = r.Ip(so, sp, "private_ip", true).value_or(0);
          ip.public_ip = r.Ip(so, sp, "public_ip", false);
          return ip;
        });
    g.eni_ids = r.StringArray(o, p, "eni_ids", false);
    g.instance_ids = r.StringArray(o, p, "instance_ids", false);
    r.String(o, p, "description", false);
    if (auto text = r.String(o, p, "ephemeral_ports", false)) {
      if (auto range = ParsePortRange(*text); range && range->first >= 1) {
        g.ephemeral_lo = range->first;
        g.ephemeral_hi = range->second;
      } else {
        r.Error(PointerAppend(p, "ephemeral_ports"),
                "\"" + *text + "\" is not a port range such as \"32768-60999\"");
      }
    }
    return g;
  });

  s.services =
      ReadList<ServiceDefinition>(r, doc, root, "services", [&](const Json& o, const P& p) {
        ServiceDefinition d;
        d.pointer = p;
        if (!r.Object(
                o, p,
                {"name", "hostnames", "cidrs", "endpoint_types", "prefix_list", "description"}))
          return d;
        d.name = r.String(o, p, "name", true).value_or("");
        d.hostnames = r.StringArray(o, p, "hostnames", true);
        d.cidrs = r.CidrArray(o, p, "cidrs", true, true);
        const auto types = r.StringArray(o, p, "endpoint_types", false);
        d.interface_endpoint = false;
        for (std::size_t i = 0; i < types.size(); ++i) {
          if (types[i] == "interface") {
            d.interface_endpoint = true;
          } else if (types[i] == "gateway") {
            d.gateway_endpoint = true;
          } else {
            r.Error(PointerAppend(PointerAppend(p, "endpoint_types"), i),
                    "endpoint type must be \"interface\" or \"gateway\"");
          }
        }
        d.prefix_list = r.String(o, p, "prefix_list", false).value_or("");
        if (d.gateway_endpoint && d.prefix_list.empty()) {
          r.Error(PointerAppend(p, "prefix_list"),
                  "a gateway-endpoint service needs its AWS-managed prefix list id");
        }
        return d;
      });

  s.expectations =
      ReadList<Expectation>(r, doc, root, "expectations", [&](const Json& o, const P& p) {
        Expectation e;
        e.pointer = p;
        if (!r.Object(
                o, p,
                {"from", "to", "protocol", "port", "expect", "blocked_by", "code", "description"}))
          return e;
        e.from = r.String(o, p, "from", true).value_or("");
        e.to = r.String(o, p, "to", true).value_or("");
        e.protocol = ProtocolField(r, o, p, "protocol", false, proto::kTcp);
        e.port = static_cast<int>(r.Int(o, p, "port", false, 0, 65535).value_or(443));
        e.expect =
            ParseVerdict(r.Enum(o, p, "expect", true, {"reachable", "unreachable", "partial"})
                             .value_or("reachable"))
                .value_or(Verdict::kReachable);
        e.blocked_by = r.String(o, p, "blocked_by", false).value_or("");
        e.code = r.String(o, p, "code", false).value_or("");
        e.description = r.String(o, p, "description", false).value_or("");
        if ((!e.blocked_by.empty() || !e.code.empty()) && e.expect == Verdict::kReachable) {
          r.Error(PointerAppend(p, e.blocked_by.empty() ? "code" : "blocked_by"),
                  "a reachable expectation has nothing blocking it");
        }
        return e;
      });
  if (doc.contains("pcluster")) {
    const P p = "/pcluster";
    const Json& o = doc.at("pcluster");
    ClusterExpectation c;
    c.pointer = p;
    if (r.Object(o, p, {"config", "expect", "failing", "description", "placed"})) {
      c.placed = r.Bool(o, p, "placed", false).value_or(false);
      c.config = r.String(o, p, "config", true).value_or("");
      c.ready = r.Enum(o, p, "expect", true, {"ready", "fails"}).value_or("ready") == "ready";
      c.failing = r.StringArray(o, p, "failing", false);
      c.description = r.String(o, p, "description", false).value_or("");
      if (c.ready && !c.failing.empty())
        r.Error(PointerAppend(p, "failing"),
                "a cluster expected to be ready has no failing "
                "requirements");
      if (!c.ready && c.failing.empty())
        r.Error(PointerAppend(p, "failing"),
                "list the requirements that fail (ids of the requirement table, or "
                "validator:dns-support / validator:dns-hostnames)");
      s.pcluster = c;
    }
  }
  return s;
}

}  // namespace

bool LooksLikeScenario(const Json& document) {
  return document.is_object() && (document.contains("vpcs") || document.contains("node_groups") ||
                                  document.contains("region") || document.contains("$schema"));
}

LoadedScenario LoadScenarioJson(const Json& document, const std::string& source) {
  DiagnosticSink sink(source);
  JsonReader reader(sink, JsonReader::UnknownKeys::kError);
  Scenario scenario = ParseDocument(reader, document, source);
  if (!document.is_object()) sink.ThrowIfErrors();
  if (scenario.name.empty()) {
    std::string stem = source.substr(source.find_last_of('/') + 1);
    if (stem.size() > 5 && stem.ends_with(".json")) stem.resize(stem.size() - 5);
    scenario.name = stem;
  }
  const ServiceCatalog catalog =
      ServiceCatalog::BuiltIn().WithScenarioServices(scenario.services, scenario.region);
  // The objects AWS creates implicitly exist before validation, so that a file may
  // refer to them (a node group joining its VPC's default security group).
  ApplyAwsDefaults(scenario);
  // Validation runs even after type errors, so that every problem of a file is
  // reported at once; it stays silent at and below a location already reported.
  ValidateScenario(scenario, catalog, sink);
  sink.ThrowIfErrors();
  return {std::move(scenario), sink.warnings()};
}

}  // namespace sim
