#include "sim/report/diagram.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "sim/graph/graph_impl.hpp"

namespace sim {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Breaks a long text into lines of about `width` characters at spaces.
std::string Wrap(const std::string& text, std::size_t width = 46) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    if (!line.empty() && line.size() + 1 + w.size() > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  return out + line;
}

struct Palette {
  static constexpr const char* kVpc = "#eef5ff";
  static constexpr const char* kPublic = "#e8f6e8";
  static constexpr const char* kPrivate = "#f2f4f7";
  static constexpr const char* kGateway = "#fff4d6";
  static constexpr const char* kService = "#fde9d9";
  static constexpr const char* kSite = "#f3ecfb";
  static constexpr const char* kPath = "#e07b00";
  static constexpr const char* kBlocked = "#d0021b";
};

class DotWriter {
 public:
  DotWriter(const Topology& t, const DiagramPath* path) : t_(t), g_(t.graph().g), path_(path) {}

  std::string Run() {
    CollectNodes();
    out_ << "digraph " << Quote(t_.scenario().name) << " {\n"
         << "  graph [fontname=\"Helvetica\", fontsize=12, rankdir=TB, compound=true, "
            "newrank=true, nodesep=0.35, ranksep=0.55, labeljust=l, bgcolor=\"white\"];\n"
         << "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded,filled\", "
            "fillcolor=\"white\", color=\"#4a5568\"];\n"
         << "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4a5568\"];\n";
    Outside();
    for (std::size_t v = 0; v < t_.vpcs().size(); ++v) Vpc(static_cast<int>(v));
    Sites();
    Edges();
    if (path_) Path();
    out_ << "}\n";
    return out_.str();
  }

 private:
  // Which optional components appear: services reached through an endpoint or on the
  // drawn path, the internet when a gateway leads to it.
  void CollectNodes() {
    for (const EndpointInfo& e : t_.endpoints()) {
      if (e.service) services_.insert(e.service->name);
    }
    if (path_) {
      for (const Hop& h : path_->hops) {
        if (h.kind == Kind::kAwsService) services_.insert(h.id);
        if (h.kind == Kind::kInternet) internet_ = true;
      }
    }
    if (!t_.internet_gateways().empty()) internet_ = true;
  }

  static std::string Node(const std::string& id) { return Quote(DiagramId(id)); }

  void Declare(const std::string& id, const std::string& label, const std::string& attrs,
               const std::string& indent) {
    declared_.insert(id);
    out_ << indent << Node(id) << " [id=" << Quote(DiagramId(id)) << ", label=" << Quote(label)
         << (attrs.empty() ? "" : ", " + attrs) << "];\n";
  }

  void Outside() {
    if (internet_) {
      Declare("internet", "Internet",
              "shape=ellipse, fillcolor=\"#ffffff\", style=\"filled,dashed\"", "  ");
    }
    if (!services_.empty()) {
      out_ << "  subgraph cluster_aws_services {\n    label="
           << Quote("AWS services (" + t_.region() + ")")
           << "; style=\"rounded,filled\"; fillcolor=\"" << Palette::kService
           << "\"; color=\"#c05621\";\n";
      for (const std::string& s : services_) {
        const CatalogService* svc = t_.catalog().Find(s);
        Declare(s, s + (svc ? "\n" + svc->description : ""), "shape=component, fillcolor=\"white\"",
                "    ");
      }
      out_ << "  }\n";
    }
  }

  bool PublicSubnet(int subnet) const {
    const SubnetInfo& sn = t_.subnets()[static_cast<std::size_t>(subnet)];
    for (const CompiledRoute* r : t_.Routes(sn.route_table)) {
      if (r->target_kind == TargetKind::kInternetGateway && !r->blackhole) return true;
    }
    return false;
  }

  void Vpc(int v) {
    const VpcInfo& vpc = t_.vpcs()[static_cast<std::size_t>(v)];
    std::string cidrs;
    for (const Cidr& c : vpc.cidrs) cidrs += (cidrs.empty() ? "" : ", ") + c.ToString();
    out_ << "  subgraph " << Quote("cluster_" + DiagramId(vpc.id)) << " {\n"
         << "    id=" << Quote(DiagramId(vpc.id))
         << "; label=" << Quote("VPC " + vpc.id + "  " + cidrs)
         << "; style=\"rounded,filled\"; fillcolor=\"" << Palette::kVpc
         << "\"; color=\"#2b6cb0\"; penwidth=1.5;\n";
    // Gateways sit on the VPC's edge, above the subnets.
    std::vector<std::string> top;
    if (vpc.internet_gateway >= 0) {
      const GatewayInfo& igw =
          t_.internet_gateways()[static_cast<std::size_t>(vpc.internet_gateway)];
      Declare(igw.id, igw.id + "\ninternet gateway",
              std::string("shape=box, fillcolor=\"") + Palette::kGateway + "\"", "    ");
      top.push_back(igw.id);
    }
    if (vpc.vpn_gateway >= 0) {
      const GatewayInfo& vgw = t_.vpn_gateways()[static_cast<std::size_t>(vpc.vpn_gateway)];
      Declare(vgw.id, vgw.id + "\nvirtual private gateway",
              std::string("shape=box, fillcolor=\"") + Palette::kGateway + "\"", "    ");
      top.push_back(vgw.id);
    }
    if (!top.empty()) {
      out_ << "    { rank=same;";
      for (const auto& id : top) out_ << " " << Node(id) << ";";
      out_ << " }\n";
    }
    // Availability Zones, in name order, with their subnets.
    std::map<std::string, std::vector<int>> zones;
    for (int s : vpc.subnets) zones[t_.subnets()[static_cast<std::size_t>(s)].az].push_back(s);
    for (const auto& [az, subnets] : zones) {
      out_ << "    subgraph " << Quote("cluster_" + DiagramId(vpc.id + "_" + az)) << " {\n"
           << "      label=" << Quote("Availability Zone " + az)
           << "; style=\"rounded,dashed\"; color=\"#718096\"; fillcolor=\"" << Palette::kVpc
           << "\";\n";
      for (int s : subnets) Subnet(s);
      out_ << "    }\n";
    }
    // Route tables and gateway endpoints belong to the VPC, not to a zone.
    for (std::size_t r = 0; r < t_.route_tables().size(); ++r) {
      const RouteTableInfo& rt = t_.route_tables()[r];
      if (rt.vpc != v) continue;
      // A table no subnet uses carries no traffic: it is left out of the picture.
      if (std::none_of(t_.subnets().begin(), t_.subnets().end(),
                       [&](const SubnetInfo& sn) { return sn.route_table == static_cast<int>(r); }))
        continue;
      std::string label = rt.id + "\nroute table";
      for (const CompiledRoute* route : t_.Routes(static_cast<int>(r))) {
        if (route->target_kind == TargetKind::kLocal) continue;
        const std::string dest =
            route->prefix_list.empty() ? route->destination.ToString() : route->prefix_list;
        if (!seen_routes_.insert(rt.id + dest + route->target_id).second) continue;
        label += "\n" + dest + " -> " + route->target_id + (route->blackhole ? " (blackhole)" : "");
      }
      Declare(rt.id, label, "shape=note, fillcolor=\"white\", fontsize=9", "    ");
    }
    for (const EndpointInfo& e : t_.endpoints()) {
      if (e.vpc != v || e.type != EndpointType::kGateway) continue;
      Declare(e.id, e.id + "\ngateway endpoint " + (e.service ? e.service->name : ""),
              std::string("shape=cds, fillcolor=\"") + Palette::kGateway + "\"", "    ");
    }
    out_ << "  }\n";
  }

  void Subnet(int s) {
    const SubnetInfo& sn = t_.subnets()[static_cast<std::size_t>(s)];
    const bool pub = PublicSubnet(s);
    out_ << "      subgraph " << Quote("cluster_" + DiagramId(sn.id)) << " {\n"
         << "        id=" << Quote(DiagramId(sn.id)) << "; label="
         << Quote(sn.id + (pub ? "  public subnet" : "  private subnet") + "\n" +
                  sn.cidr.ToString())
         << "; style=\"rounded,filled\"; fillcolor=\""
         << (pub ? Palette::kPublic : Palette::kPrivate) << "\"; color=\""
         << (pub ? "#2f855a" : "#4a5568") << "\";\n";
    std::string anchor;
    for (const auto v : boost::make_iterator_range(boost::vertices(g_))) {
      const VertexProps& p = g_[v];
      if (p.index < 0) continue;
      const std::size_t i = static_cast<std::size_t>(p.index);
      if (p.kind == Kind::kNodeGroup && t_.groups()[i].subnet == s) {
        const GroupInfo& g = t_.groups()[i];
        std::string label =
            g.name + "  x" + std::to_string(g.count) + "\n" +
            (g.role == "other" ? std::string() : g.role + ", ") +
            (IsAwsvpcTask(g.role) || !g.public_ip ? "no public IPv4" : "public IPv4");
        for (const ProxyInfo& x : t_.proxies()) {
          if (x.group == static_cast<int>(i)) label += "\nHTTP proxy :" + std::to_string(x.port);
        }
        if (!g.source_dest_check) label += "\nsource/dest check off";
        Declare(g.name, label, "fillcolor=\"white\"", "        ");
        if (anchor.empty()) anchor = g.name;
      }
      if (p.kind == Kind::kNatGateway && t_.nat_gateways()[i].subnet == s) {
        const NatInfo& n = t_.nat_gateways()[i];
        Declare(n.id,
                n.id + "\n" + (n.is_public ? "public" : "private") + " NAT gateway" +
                    (n.elastic_ip ? "\nElastic IP " + FormatIpv4(n.elastic_ip) : "") +
                    (n.available ? "" : "\n(" + n.state + ")"),
                std::string("shape=box, fillcolor=\"") + Palette::kGateway + "\"", "        ");
        if (anchor.empty()) anchor = n.id;
      }
    }
    for (const EndpointEni& e : t_.endpoint_enis()) {
      if (e.subnet != s) continue;
      const EndpointInfo& ep = t_.endpoints()[static_cast<std::size_t>(e.endpoint)];
      Declare(e.id, ep.id + "\ninterface endpoint " + (ep.service ? ep.service->name : ""),
              std::string("shape=cds, fillcolor=\"") + Palette::kGateway + "\"", "        ");
      if (anchor.empty()) anchor = e.id;
    }
    if (anchor.empty()) {
      anchor = sn.id + "/empty";
      Declare(anchor, "no nodes", "shape=plaintext, style=\"\", fontcolor=\"#718096\"", "        ");
    }
    anchors_[s] = anchor;
    out_ << "      }\n";
  }

  void Sites() {
    for (const SiteInfo& site : t_.sites()) {
      std::string cidrs;
      for (const Cidr& c : site.cidrs) cidrs += (cidrs.empty() ? "" : ", ") + c.ToString();
      out_ << "  subgraph " << Quote("cluster_" + DiagramId(site.id)) << " {\n"
           << "    label=" << Quote("On premises") << "; style=\"rounded,filled\"; fillcolor=\""
           << Palette::kSite << "\"; color=\"#6b46c1\";\n";
      Declare(site.id,
              site.id + "\n" + cidrs + (site.internet_egress ? "\ninternet egress" : "") +
                  (site.up ? "" : "\n(connection down)"),
              "shape=box3d, fillcolor=\"white\"", "    ");
      for (const ProxyInfo& x : t_.proxies()) {
        if (x.site < 0 || t_.sites()[static_cast<std::size_t>(x.site)].id != site.id) continue;
        Declare(x.id, x.id + "\nHTTP proxy " + FormatIpv4(x.address) + ":" + std::to_string(x.port),
                "shape=box, fillcolor=\"white\"", "    ");
      }
      out_ << "  }\n";
    }
    for (const PeeringInfo& p : t_.peerings()) {
      Declare(p.id, p.id + "\npeering connection" + (p.active ? "" : " (" + p.status + ")"),
              std::string("shape=hexagon, fillcolor=\"") + Palette::kGateway + "\"", "  ");
    }
  }

  // Where an edge to a component can attach: the component's node, or a subnet's anchor.
  std::string Target(const CompiledRoute& r) const {
    if (r.target_kind == TargetKind::kNetworkInterface && r.target >= 0) {
      return t_
          .groups()[static_cast<std::size_t>(t_.enis()[static_cast<std::size_t>(r.target)].group)]
          .name;
    }
    return r.target_id;
  }

  void Edge(const std::string& from, const std::string& to, const std::string& attrs) {
    out_ << "  " << Node(from) << " -> " << Node(to) << (attrs.empty() ? "" : " [" + attrs + "]")
         << ";\n";
  }

  void Edges() {
    // Subnet -> its route table.
    for (std::size_t s = 0; s < t_.subnets().size(); ++s) {
      const SubnetInfo& sn = t_.subnets()[s];
      const auto a = anchors_.find(static_cast<int>(s));
      if (a == anchors_.end()) continue;
      Edge(a->second, t_.route_tables()[static_cast<std::size_t>(sn.route_table)].id,
           "ltail=" + Quote("cluster_" + DiagramId(sn.id)) +
               ", style=dashed, arrowhead=none, color=\"#a0aec0\"");
    }
    // Routes: one edge per route table and target, labelled with the destinations.
    std::map<std::pair<std::string, std::string>, std::string> routes;
    std::set<std::string> tgws;
    for (const auto e : boost::make_iterator_range(boost::edges(g_))) {
      const EdgeProps& p = g_[e];
      if (p.type != EdgeType::kRoute || p.route.target_kind == TargetKind::kLocal) continue;
      const VertexProps& from = g_[boost::source(e, g_)];
      if (from.index < 0) continue;
      const std::string rt = t_.route_tables()[static_cast<std::size_t>(from.index)].id;
      std::string target = Target(p.route);
      if (p.route.target_kind == TargetKind::kTransitGateway && !target.empty())
        tgws.insert(target);
      if (!declared_.contains(target) && !tgws.contains(target)) continue;  // gone
      std::string& label = routes[{rt, target}];
      const std::string dest =
          p.route.prefix_list.empty() ? p.route.destination.ToString() : p.route.prefix_list;
      if (label.find(dest) == std::string::npos) label += (label.empty() ? "" : "\n") + dest;
    }
    for (const std::string& tgw : tgws) {
      Declare(tgw, tgw + "\ntransit gateway\n(not modelled)", "shape=hexagon, style=\"dashed\"",
              "  ");
    }
    for (const auto& [key, label] : routes) Edge(key.first, key.second, "label=" + Quote(label));
    // Gateways and endpoints deliver: IGW -> internet, VGW -> site, endpoint -> service.
    for (const auto e : boost::make_iterator_range(boost::edges(g_))) {
      const EdgeProps& p = g_[e];
      if (p.type != EdgeType::kDelivers) continue;
      const VertexProps& a = g_[boost::source(e, g_)];
      const VertexProps& b = g_[boost::target(e, g_)];
      const std::string from = VertexId(a), to = VertexId(b);
      if (a.kind == Kind::kInternet || to.empty() || !declared_.contains(to))
        continue;  // the internet reaches every service: one edge to the cluster below
      if (a.kind == Kind::kVpcEndpoint) {
        // Interface endpoints are drawn as their ENIs, one per subnet.
        const EndpointInfo& ep = t_.endpoints()[static_cast<std::size_t>(a.index)];
        for (int eni : ep.enis)
          Edge(t_.endpoint_enis()[static_cast<std::size_t>(eni)].id, to, "style=dotted");
        if (ep.type == EndpointType::kGateway) Edge(from, to, "style=dotted");
        continue;
      }
      if (from.empty() || !declared_.contains(from)) continue;
      Edge(from, to, a.kind == Kind::kVpnGateway ? "label=\"VPN / Direct Connect\"" : "");
    }
    if (internet_ && !services_.empty()) {
      Edge("internet", *services_.begin(),
           "lhead=cluster_aws_services, style=dotted, label=\"public endpoints\"");
    }
    for (const PeeringInfo& p : t_.peerings()) {
      for (int v : {p.requester, p.accepter}) {
        const VpcInfo& vpc = t_.vpcs()[static_cast<std::size_t>(v)];
        if (vpc.subnets.empty()) continue;
        const auto a = anchors_.find(vpc.subnets.front());
        if (a == anchors_.end()) continue;
        Edge(p.id, a->second, "lhead=" + Quote("cluster_" + DiagramId(vpc.id)) + ", dir=both");
      }
    }
  }

  std::string VertexId(const VertexProps& p) const {
    if (p.kind == Kind::kInternet) return "internet";
    if (p.index < 0) return "";
    const std::size_t i = static_cast<std::size_t>(p.index);
    switch (p.kind) {
      case Kind::kInternetGateway:
        return t_.internet_gateways()[i].id;
      case Kind::kVpnGateway:
        return t_.vpn_gateways()[i].id;
      case Kind::kOnPremises:
        return t_.sites()[i].id;
      case Kind::kVpcEndpoint:
        return t_.endpoints()[i].id;
      case Kind::kAwsService:
        return t_.catalog().services()[i].name;
      case Kind::kProxy:
        return t_.proxies()[i].id;
      case Kind::kNodeGroup:
        return t_.groups()[i].name;
      default:
        return "";
    }
  }

  // The node a hop is drawn at ("" when the component is not in the picture).
  std::string HopNode(const Hop& h) const {
    if (h.kind == Kind::kVpcEndpoint && !declared_.contains(h.id)) {
      // Interface endpoints are drawn as their ENIs.
      for (const EndpointInfo& e : t_.endpoints()) {
        if (e.id == h.id && !e.enis.empty())
          return t_.endpoint_enis()[static_cast<std::size_t>(e.enis.front())].id;
      }
    }
    if (h.kind == Kind::kNetworkInterface) {
      if (const auto eni = t_.FindEniById(h.id))
        return t_
            .groups()[static_cast<std::size_t>(t_.enis()[static_cast<std::size_t>(*eni)].group)]
            .name;
    }
    return declared_.contains(h.id) ? h.id : "";
  }

  void Path() {
    std::vector<std::string> nodes;
    for (const Hop& h : path_->hops) {
      const std::string n = HopNode(h);
      if (!n.empty() && (nodes.empty() || nodes.back() != n)) nodes.push_back(n);
      // The drawing ends where the packet is dropped.
      if (!path_->blocked.empty() && h.id == path_->blocked.front().id) break;
    }
    std::string blocked;
    if (!path_->blocked.empty()) {
      const Block& b = path_->blocked.front();
      Hop as_hop{b.id, b.kind, "", "", ""};
      blocked = HopNode(as_hop);
      if (blocked.empty()) {
        // Security groups and network ACLs are not drawn; the one that drops is.
        blocked = b.id;
        Declare(b.id, b.id + "\n" + KindName(b.kind), "shape=octagon, fillcolor=\"#fff5f5\"", "  ");
        nodes.push_back(blocked);
      }
    }
    for (const std::string& n : nodes) {
      if (n == blocked) continue;
      out_ << "  " << Node(n) << " [color=\"" << Palette::kPath << "\", penwidth=2.5];\n";
    }
    for (std::size_t i = 1; i < nodes.size(); ++i) {
      Edge(nodes[i - 1], nodes[i],
           std::string("color=\"") + Palette::kPath + "\", penwidth=2.5, constraint=false, label=" +
               Quote(std::to_string(i)) + ", fontcolor=\"" + Palette::kPath + "\"");
    }
    if (!blocked.empty()) {
      const Block& b = path_->blocked.front();
      out_ << "  " << Node(blocked) << " [color=\"" << Palette::kBlocked
           << "\", penwidth=3.5, fontcolor=\"" << Palette::kBlocked << "\"];\n";
      Declare("note:" + b.id, b.code + "\n" + Wrap(b.detail) + "\n\nfix: " + Wrap(b.fix),
              std::string("shape=note, fillcolor=\"#fff5f5\", color=\"") + Palette::kBlocked +
                  "\", fontcolor=\"#742a2a\", fontsize=9",
              "  ");
      Edge(blocked, "note:" + b.id,
           std::string("style=dashed, color=\"") + Palette::kBlocked + "\", arrowhead=none");
    }
  }

  const Topology& t_;
  const BoostGraph& g_;
  const DiagramPath* path_;
  std::ostringstream out_;
  std::set<std::string> services_;
  bool internet_ = false;
  std::set<std::string> declared_;
  std::set<std::string> seen_routes_;
  std::map<int, std::string> anchors_;  // subnet -> a node inside it
};

}  // namespace

std::string DiagramId(const std::string& component_id) {
  std::string out;
  for (char c : component_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    out += ok ? c : '_';
  }
  return out;
}

std::string TopologyToDot(const Topology& topology, const DiagramPath* path) {
  return DotWriter(topology, path).Run();
}

}  // namespace sim
