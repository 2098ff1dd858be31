#include "sim/model/failure.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace sim {
namespace {

bool Available(const std::string& state) { return state == "available" || state == "Available"; }

// Fails the subnets in `failed`: their NAT gateways, endpoint interfaces and node groups.
void FailSubnets(Scenario& s, const std::set<std::string>& failed, FailureEffect& effect) {
  for (NatGateway& n : s.nat_gateways) {
    if (failed.count(n.subnet)) n.state = "failed";
  }
  for (VpcEndpoint& e : s.vpc_endpoints) {
    if (e.type != EndpointType::kInterface) continue;
    std::vector<std::string> kept;
    for (const std::string& sn : e.subnets) {
      if (failed.count(sn)) {
        e.addresses.erase(sn);
      } else {
        kept.push_back(sn);
      }
    }
    if (kept.size() == e.subnets.size()) continue;
    if (kept.empty()) {
      e.state = "failed";  // keeps its last subnet on record, as AWS lists it
    } else {
      e.subnets = kept;
    }
  }
  std::set<std::string> proxy_groups;
  for (const Proxy& p : s.proxies) {
    if (!p.node_group.empty()) proxy_groups.insert(p.node_group);
  }
  std::set<std::string> gone;  // names, ENI ids and instance ids of the lost groups
  std::vector<NodeGroup> kept;
  for (NodeGroup& g : s.node_groups) {
    if (!failed.count(g.subnet)) {
      kept.push_back(std::move(g));
      continue;
    }
    if (proxy_groups.count(g.name)) {
      effect.notes.push_back("node group " + g.name + " runs a proxy and is kept: the proxy's " +
                             "own failure is not modelled");
      kept.push_back(std::move(g));
      continue;
    }
    effect.lost.push_back(g.name);
    gone.insert(g.name);
    gone.insert(g.eni_ids.begin(), g.eni_ids.end());
    gone.insert(g.instance_ids.begin(), g.instance_ids.end());
  }
  s.node_groups = std::move(kept);
  // AWS: a route to the interface of an instance that is not running is unusable
  // (semantics reference §11, resource states), shown as a blackhole.
  for (RouteTable& t : s.route_tables) {
    for (Route& r : t.routes) {
      if (r.target_kind == TargetKind::kNetworkInterface && gone.count(r.target))
        r.state = RouteState::kBlackhole;
    }
  }
}

}  // namespace

FailureEffect ApplyFailure(Scenario& s, const std::string& id) {
  FailureEffect effect;
  effect.id = id;
  for (NatGateway& n : s.nat_gateways) {
    if (n.id != id) continue;
    n.state = "failed";
    effect.kind = "nat-gateway";
    return effect;
  }
  for (VpcEndpoint& e : s.vpc_endpoints) {
    if (e.id != id) continue;
    effect.kind = "vpc-endpoint";
    if (e.type == EndpointType::kGateway) {
      // A gateway endpoint is regional and has no zone to fail; what can happen to it is
      // deletion, and its routes exist only while route tables are associated with it
      // (semantics reference §2, gateway endpoint routes), so traffic takes the next route.
      e.state = "deleted";
      e.route_tables.clear();
      for (RouteTable& t : s.route_tables) {
        std::erase_if(t.routes, [&](const Route& r) {
          return r.target_kind == TargetKind::kVpcEndpoint && r.target == id;
        });
      }
      effect.notes.push_back(id + " is a gateway endpoint: it is deleted, with its routes");
      return effect;
    }
    e.state = "failed";
    return effect;
  }
  for (InternetGateway& g : s.internet_gateways) {
    if (g.id != id) continue;
    g.vpc.clear();
    effect.kind = "internet-gateway";
    return effect;
  }
  for (VpnGateway& g : s.vpn_gateways) {
    if (g.id != id) continue;
    g.vpc.clear();
    effect.kind = "vpn-gateway";
    return effect;
  }
  for (PeeringConnection& p : s.peering_connections) {
    if (p.id != id) continue;
    p.status = "failed";
    effect.kind = "vpc-peering-connection";
    return effect;
  }
  for (OnPremSite& site : s.onprem_sites) {
    if (site.id != id) continue;
    site.connection_up = false;
    effect.kind = "on-premises";
    return effect;
  }
  for (const Subnet& sn : s.subnets) {
    if (sn.id != id) continue;
    effect.kind = "subnet";
    FailSubnets(s, {sn.id}, effect);
    return effect;
  }
  if (id.starts_with("az:") && id.size() > 3) {
    std::set<std::string> failed;
    for (const Subnet& sn : s.subnets) {
      if (sn.availability_zone == id.substr(3)) failed.insert(sn.id);
    }
    if (!failed.empty()) {
      effect.kind = "availability-zone";
      FailSubnets(s, failed, effect);
      return effect;
    }
  }
  std::string names;
  for (const std::string& c : FailureCandidates(s)) names += (names.empty() ? "" : ", ") + c;
  throw std::invalid_argument("\"" + id +
                              "\" is no NAT gateway, VPC endpoint, internet or virtual private "
                              "gateway, peering connection, on-premises site, subnet or az:NAME "
                              "of this input (what can fail: " +
                              (names.empty() ? "nothing" : names) + ")");
}

std::vector<std::string> FailureCandidates(const Scenario& s) {
  std::vector<std::string> out;
  auto add_sorted = [&](std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    out.insert(out.end(), ids.begin(), ids.end());
  };
  std::vector<std::string> ids;
  for (const NatGateway& n : s.nat_gateways) {
    if (Available(n.state)) ids.push_back(n.id);
  }
  add_sorted(std::move(ids));
  ids = {};
  for (const VpcEndpoint& e : s.vpc_endpoints) {
    if (Available(e.state)) ids.push_back(e.id);
  }
  add_sorted(std::move(ids));
  ids = {};
  for (const InternetGateway& g : s.internet_gateways) {
    if (!g.vpc.empty()) ids.push_back(g.id);
  }
  add_sorted(std::move(ids));
  ids = {};
  for (const VpnGateway& g : s.vpn_gateways) {
    if (!g.vpc.empty()) ids.push_back(g.id);
  }
  add_sorted(std::move(ids));
  ids = {};
  for (const PeeringConnection& p : s.peering_connections) {
    if (p.status == "active") ids.push_back(p.id);
  }
  add_sorted(std::move(ids));
  ids = {};
  for (const OnPremSite& site : s.onprem_sites) {
    if (site.connection_up) ids.push_back(site.id);
  }
  add_sorted(std::move(ids));
  std::set<std::string> used, zones;
  for (const NatGateway& n : s.nat_gateways) used.insert(n.subnet);
  for (const VpcEndpoint& e : s.vpc_endpoints) used.insert(e.subnets.begin(), e.subnets.end());
  for (const NodeGroup& g : s.node_groups) used.insert(g.subnet);
  ids = {};
  for (const Subnet& sn : s.subnets) {
    if (!used.count(sn.id)) continue;
    ids.push_back(sn.id);
    if (!sn.availability_zone.empty()) zones.insert("az:" + sn.availability_zone);
  }
  add_sorted(std::move(ids));
  out.insert(out.end(), zones.begin(), zones.end());
  return out;
}

}  // namespace sim
