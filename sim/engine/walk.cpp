#include "sim/engine/walk.hpp"

#include <algorithm>
#include <cmath>

#include "sim/graph/graph_impl.hpp"

namespace sim {
namespace {
thread_local ReadLog* current_log = nullptr;
}  // namespace

ReadLog::ReadLog() : outer_(current_log) { current_log = this; }

ReadLog::~ReadLog() {
  current_log = outer_;
  if (!outer_) return;
  outer_->reads_.insert(outer_->reads_.end(), reads_.begin(), reads_.end());
  outer_->lookups_.insert(outer_->lookups_.end(), lookups_.begin(), lookups_.end());
}

std::vector<ComponentRef> ReadLog::Reads() {
  std::sort(reads_.begin(), reads_.end());
  reads_.erase(std::unique(reads_.begin(), reads_.end()), reads_.end());
  return reads_;
}

std::vector<Lookup> ReadLog::Lookups() {
  std::sort(lookups_.begin(), lookups_.end());
  lookups_.erase(std::unique(lookups_.begin(), lookups_.end()), lookups_.end());
  return lookups_;
}

void ReadLog::NoteLookup(const Topology& topology, ComponentRef component, Ipv4 address,
                         int protocol, bool egress) {
  if (!current_log) return;
  const auto [lo, hi] = topology.AtomRange(address);
  current_log->reads_.push_back(component);
  current_log->lookups_.push_back({component, lo, hi, protocol, egress});
}

bool ReadLog::Active() { return current_log != nullptr; }

void ReadLog::Note(Kind kind, int index) {
  if (current_log && index >= 0) current_log->reads_.push_back(RefOf(kind, index));
}

namespace {

constexpr int kMaxSteps = 64;

// Link-local and host-served addresses (semantics reference §0 step 1, §8).
constexpr Ipv4 kImds = 0xA9FEA9FEu;      // 169.254.169.254
constexpr Ipv4 kResolver = 0xA9FEA9FDu;  // 169.254.169.253
constexpr Ipv4 kTimeSync = 0xA9FEA97Bu;  // 169.254.169.123
constexpr Ipv4 kEcsTask = 0xA9FEAA02u;   // 169.254.170.2

std::string DescribeTraffic(int protocol, int port, int icmp_code) {
  if (HasPorts(protocol)) return ProtocolName(protocol) + " " + std::to_string(port);
  if (protocol == proto::kIcmp) {
    return "icmp type " + std::to_string(port) + " code " + std::to_string(icmp_code);
  }
  return protocol == proto::kAll ? "traffic of any protocol"
                                 : "IP protocol " + std::to_string(protocol);
}

bool RuleProtocolMatches(int rule_protocol, int protocol) {
  return rule_protocol == proto::kAll || rule_protocol == protocol;
}

class Walker {
 public:
  Walker(const Topology& t, const Origin& origin, const Probe& probe)
      : t_(t), g_(t.graph().g), origin_(origin), probe_(probe) {}

 private:
  // Settings that an edit may change without changing the network's shape: every read
  // goes through these, so the ReadLog knows what an answer depends on.
  template <typename T>
  static const T& Read(const std::vector<T>& list, Kind kind, int index) {
    ReadLog::Note(kind, index);
    return list[static_cast<std::size_t>(index)];
  }
  const SecurityGroupInfo& Sg(int i) const {
    return Read(t_.security_groups(), Kind::kSecurityGroup, i);
  }
  const AclInfo& Acl(int i) const { return Read(t_.acls(), Kind::kNetworkAcl, i); }
  const NatInfo& Nat(std::int64_t i) const {
    return Read(t_.nat_gateways(), Kind::kNatGateway, static_cast<int>(i));
  }
  const GatewayInfo& Igw(int i) const {
    return Read(t_.internet_gateways(), Kind::kInternetGateway, i);
  }
  const GatewayInfo& Vgw(int i) const { return Read(t_.vpn_gateways(), Kind::kVpnGateway, i); }
  const PeeringInfo& Pcx(int i) const { return Read(t_.peerings(), Kind::kPeeringConnection, i); }
  const EndpointInfo& Endpoint(int i) const { return Read(t_.endpoints(), Kind::kVpcEndpoint, i); }

 public:
  Trace Run() {
    hops_ = &trace_.forward;
    StartForward();
    trace_.forward_ok = !hard_blocked_ && trace_.arrival.type != Arrival::Type::kNone;
    if (trace_.forward_ok && origin_.ForwardOnly()) {
      trace_.return_ok = true;
      trace_.return_note = "a packet injected at a router: the reply is not followed";
    } else if (trace_.forward_ok) {
      hops_ = &trace_.ret;
      mode_ = Mode::kReturn;
      StartReturn();
      trace_.return_ok = return_complete_ && !hard_blocked_;
      if (trace_.return_ok) {
        trace_.return_fraction *= Fraction();
        trace_.return_note = all_ports_note_;
      }
    }
    if (!trace_.forward_ok || !trace_.return_ok) {
      trace_.verdict = Verdict::kUnreachable;
      trace_.return_fraction = trace_.forward_ok && trace_.return_ok ? trace_.return_fraction : 0.0;
    } else if (trace_.return_fraction < 1.0) {
      trace_.verdict = Verdict::kPartial;
    } else {
      trace_.verdict = Verdict::kReachable;
    }
    return std::move(trace_);
  }

 private:
  enum class Mode { kForward, kReturn };

  struct Packet {
    Ipv4 src = 0;
    Ipv4 dst = 0;
    IntervalSet ports;          // the initiator's source ports as currently translated
    bool identity = true;       // the sender's security groups still identify it
    Owner src_owner;            // for security-group references
    bool from_outside = false;  // entered the VPC through peering or a VGW
    int vpc = -1;               // VPC the packet is in; -1 outside every VPC
  };

  struct Session {
    enum class Type { kNat, kAppliance, kSite } type;
    std::int64_t index;  // NAT gateway, appliance ENI or site
    Ipv4 original_src;
    IntervalSet original_ports;
    bool translates;
    bool consumed = false;
  };

  // ---- recording ----------------------------------------------------------------

  void AddHop(std::string id, Kind kind, std::string detail, std::string route = "",
              std::string direction = "") {
    hops_->push_back(
        {std::move(id), kind, std::move(detail), std::move(route), std::move(direction)});
  }

  // Records a component that drops the packet. `stop`: forwarding cannot go on.
  void Blocked(const std::string& id, Kind kind, const std::string& code, const std::string& detail,
               const std::string& fix, bool stop) {
    // Where the packet is dropped comes first; ports-only (partial) findings after.
    const auto first_partial = std::find_if(trace_.blocked.begin(), trace_.blocked.end(),
                                            [](const Block& b) { return b.partial; });
    trace_.blocked.insert(
        first_partial,
        {id, kind, code, mode_ == Mode::kForward ? "forward" : "return", detail, fix, false});
    hard_blocked_ = true;
    if (!hops_->empty() && hops_->back().id == id && hops_->back().kind == kind) {
      hops_->back().detail = "BLOCKED " + code + ": " + detail;
    } else {
      AddHop(id, kind, "BLOCKED " + code + ": " + detail);
    }
    if (stop || mode_ == Mode::kReturn) stopped_ = true;
  }

  bool Step() {
    if (stopped_) return false;
    if (++steps_ > kMaxSteps) {
      Blocked(hops_->empty() ? "?" : hops_->back().id,
              hops_->empty() ? Kind::kRouteTable : hops_->back().kind, "ROUTING_LOOP",
              "the packet loops between route tables and never arrives",
              "make the route tables on this path lead to the destination without a cycle", true);
      return false;
    }
    return true;
  }

  // ---- names -------------------------------------------------------------------

  const SubnetInfo& SubnetOf(int subnet) const {
    return t_.subnets()[static_cast<std::size_t>(subnet)];
  }
  const VpcInfo& VpcOf(int vpc) const { return t_.vpcs()[static_cast<std::size_t>(vpc)]; }
  std::string Traffic() const {
    if (mode_ == Mode::kReturn) {
      if (probe_.protocol == proto::kIcmp) return "icmp echo reply";
      if (HasPorts(probe_.protocol)) return ProtocolName(probe_.protocol) + " replies";
      return DescribeTraffic(probe_.protocol, 0, 0) + " replies";
    }
    return DescribeTraffic(probe_.protocol, probe_.port, probe_.icmp_code);
  }
  std::string OriginName() const {
    if (origin_.type == Origin::Type::kEni) {
      const Eni& e = t_.enis()[static_cast<std::size_t>(origin_.eni)];
      return "node group " + t_.groups()[static_cast<std::size_t>(e.group)].name;
    }
    return "the sender";
  }

  // ---- rule matching -------------------------------------------------------------

  // ICMP queries and their replies: echo 8/0, timestamp 13/14, information 15/16,
  // address mask 17/18.
  int ReplyIcmpType() const {
    switch (probe_.port) {
      case 8:
        return 0;
      case 13:
      case 15:
      case 17:
        return probe_.port + 1;
      default:
        return probe_.port;
    }
  }

  bool SgRuleMatches(const CompiledSgRule& r, Ipv4 peer, const Owner& peer_owner,
                     bool identity) const {
    if (!RuleProtocolMatches(r.protocol, probe_.protocol)) return false;
    if (r.protocol == proto::kTcp || r.protocol == proto::kUdp) {
      if (probe_.port < r.from_port || probe_.port > r.to_port) return false;
    } else if (r.protocol == proto::kIcmp) {
      if (r.from_port != -1 && r.from_port != probe_.port) return false;
      if (r.to_port != -1 && r.to_port != probe_.icmp_code) return false;
    }
    if (r.peer_kind == PeerKind::kSecurityGroup) {
      // AWS: a referenced group matches the private addresses of its members only, and
      // not once a NAT, an internet gateway or a middlebox has rewritten or relayed the
      // packet (semantics reference §5.2, §2.5).
      if (!identity || peer_owner.type == Owner::Type::kNone) return false;
      if (peer_owner.type == Owner::Type::kEndpointEni) {  // the endpoint's groups
        ReadLog::Note(Kind::kVpcEndpoint,
                      t_.endpoint_enis()[static_cast<std::size_t>(peer_owner.index)].endpoint);
      }
      const auto& groups = t_.GroupsOfOwner(peer_owner);
      return std::binary_search(groups.begin(), groups.end(), r.group);
    }
    return std::any_of(r.cidrs.begin(), r.cidrs.end(),
                       [&](const Cidr& c) { return c.Contains(peer); });
  }

  // Checks the union of the groups' rules. Returns true when one matches.
  bool CheckSecurityGroups(const std::vector<int>& groups, bool egress, Ipv4 peer,
                           const Owner& peer_owner, bool identity, const std::string& fix_subject) {
    for (int gi : groups) {
      ReadLog::NoteLookup(t_, RefOf(Kind::kSecurityGroup, gi), peer, probe_.protocol, egress);
      const SecurityGroupInfo& g = Sg(gi);
      for (const CompiledSgRule& r : egress ? g.egress : g.ingress) {
        if (SgRuleMatches(r, peer, peer_owner, identity)) {
          AddHop(g.id, Kind::kSecurityGroup,
                 std::string(egress ? "egress" : "ingress") + " rule " + std::to_string(r.index) +
                     " allows " + ProtocolName(r.protocol) + PortText(r) +
                     (egress ? " to " : " from ") + r.peer,
                 "", egress ? "egress" : "ingress");
          return true;
        }
      }
    }
    const std::string first = groups.empty() ? "" : Sg(groups[0]).id;
    std::string names;
    for (int gi : groups) names += (names.empty() ? "" : ", ") + Sg(gi).id;
    std::string why;
    if (!identity && HasGroupReference(groups, egress)) {
      why =
          " (a rule references a security group, but the packet arrives translated or relayed, "
          "so the reference does not match)";
    }
    const std::string detail = "no " + std::string(egress ? "egress" : "ingress") + " rule of " +
                               names + " allows " +
                               DescribeTraffic(probe_.protocol, probe_.port, probe_.icmp_code) +
                               (egress ? " to " : " from ") + FormatIpv4(peer) + why;
    const std::string fix = "add an " + std::string(egress ? "egress" : "ingress") + " rule to " +
                            first + " allowing " +
                            DescribeTraffic(probe_.protocol, probe_.port, probe_.icmp_code) +
                            (egress ? " to " : " from ") + FormatIpv4(peer) + fix_subject;
    Blocked(first, Kind::kSecurityGroup, "ENI_SG_RULES_MISMATCH", detail, fix, false);
    return false;
  }

  bool HasGroupReference(const std::vector<int>& groups, bool egress) const {
    for (int gi : groups) {
      const auto& g = Sg(gi);
      for (const auto& r : egress ? g.egress : g.ingress) {
        if (r.peer_kind == PeerKind::kSecurityGroup) return true;
      }
    }
    return false;
  }

  static std::string PortText(const CompiledSgRule& r) {
    if (r.protocol == proto::kTcp || r.protocol == proto::kUdp) {
      return r.from_port == r.to_port
                 ? " " + std::to_string(r.from_port)
                 : " " + std::to_string(r.from_port) + "-" + std::to_string(r.to_port);
    }
    return "";
  }

  static bool EntryMatchesHeader(const NaclEntry& e, int protocol, int icmp_type, int icmp_code,
                                 Ipv4 addr) {
    if (!RuleProtocolMatches(e.protocol, protocol)) return false;
    if (!e.cidr.Contains(addr)) return false;
    if (e.protocol == proto::kIcmp) {
      if (e.icmp_type != -1 && e.icmp_type != icmp_type) return false;
      if (e.icmp_code != -1 && e.icmp_code != icmp_code) return false;
    }
    return true;
  }

  // Evaluates a network ACL where the packet leaves (`egress`) or enters a subnet.
  // Forward: the destination port decides. Return: the set of reply destination ports
  // (the initiator's source ports) is narrowed to the ports the ACL allows.
  bool CheckAcl(int subnet, bool egress) {
    const SubnetInfo& sn = SubnetOf(subnet);
    const AclInfo& acl = Acl(sn.acl);
    const Ipv4 addr = egress ? pkt_.dst : pkt_.src;  // AWS: egress entries match the
                                                     // destination, ingress the source
    ReadLog::NoteLookup(t_, RefOf(Kind::kNetworkAcl, sn.acl), addr, probe_.protocol, egress);
    const auto& entries = egress ? acl.egress : acl.ingress;
    const char* dir = egress ? "egress" : "ingress";
    const int icmp_type = mode_ == Mode::kReturn ? ReplyIcmpType() : probe_.port;
    const int icmp_code = mode_ == Mode::kReturn ? 0 : probe_.icmp_code;
    const bool port_set = mode_ == Mode::kReturn && HasPorts(probe_.protocol);
    if (!port_set) {
      const int port = mode_ == Mode::kReturn ? 0 : probe_.port;
      for (const NaclEntry& e : entries) {
        if (!EntryMatchesHeader(e, probe_.protocol, icmp_type, icmp_code, addr)) continue;
        if (HasPorts(e.protocol) && HasPorts(probe_.protocol) &&
            (port < e.from_port || port > e.to_port))
          continue;
        if (e.allow) {
          AddHop(acl.id, Kind::kNetworkAcl,
                 std::string(dir) + " rule " + std::to_string(e.rule_number) + " allows " +
                     Traffic() + (egress ? " to " : " from ") + FormatIpv4(addr) + " (" + sn.id +
                     ")",
                 "", dir);
          return true;
        }
        Blocked(acl.id, Kind::kNetworkAcl, "SUBNET_ACL_RESTRICTION",
                std::string(dir) + " rule " + std::to_string(e.rule_number) + " of " + acl.id +
                    " (" + sn.id + ") denies " + Traffic() + (egress ? " to " : " from ") +
                    FormatIpv4(addr),
                AclFix(acl, egress, addr, e.rule_number), false);
        return false;
      }
      Blocked(acl.id, Kind::kNetworkAcl, "SUBNET_ACL_RESTRICTION",
              "no " + std::string(dir) + " rule of " + acl.id + " (" + sn.id + ") allows " +
                  Traffic() + (egress ? " to " : " from ") + FormatIpv4(addr) +
                  "; the catch-all rule * denies it",
              AclFix(acl, egress, addr, 32767), false);
      return false;
    }
    // Return path over a set of ports.
    IntervalSet remaining = pkt_.ports;
    IntervalSet allowed;
    std::string denied_by;
    for (const NaclEntry& e : entries) {
      if (remaining.empty()) break;
      if (!EntryMatchesHeader(e, probe_.protocol, icmp_type, icmp_code, addr)) continue;
      const IntervalSet matched =
          HasPorts(e.protocol) ? remaining.Intersect(e.from_port, e.to_port) : remaining;
      if (matched.empty()) continue;
      if (e.allow) {
        allowed = allowed.Union(matched);
      } else if (denied_by.empty()) {
        denied_by = "rule " + std::to_string(e.rule_number);
      }
      for (const auto& [lo, hi] : matched.spans()) remaining = remaining.Subtract(lo, hi);
    }
    if (!remaining.empty() && denied_by.empty()) denied_by = "catch-all rule *";
    const std::string ports_text = "ports " + pkt_.ports.ToString();
    if (allowed.empty()) {
      Blocked(acl.id, Kind::kNetworkAcl, "SUBNET_ACL_RESTRICTION",
              "the " + std::string(dir) + " " + denied_by + " of " + acl.id + " (" + sn.id +
                  ") denies " + Traffic() + (egress ? " to " : " from ") + FormatIpv4(addr) +
                  " on the client's ephemeral " + ports_text,
              "allow " + ProtocolName(probe_.protocol) + " " + pkt_.ports.ToString() +
                  (egress ? " to " : " from ") + FormatIpv4(addr) + " in the " + dir +
                  " rules of " + acl.id +
                  " (replies go to the client's "
                  "ephemeral ports)",
              false);
      return false;
    }
    if (!(allowed == pkt_.ports)) {
      const IntervalSet lost = [&] {
        IntervalSet x = pkt_.ports;
        for (const auto& [lo, hi] : allowed.spans()) x = x.Subtract(lo, hi);
        return x;
      }();
      const std::string note = "replies to ports " + lost.ToString() + " of " +
                               pkt_.ports.ToString() + " are denied by the " + dir + " " +
                               denied_by + " of " + acl.id + " (" + sn.id + ")";
      all_ports_note_ += (all_ports_note_.empty() ? "" : "; ") + note;
      // Only part of the ephemeral range fails: the connection works for some source
      // ports and not others (semantics reference §6.4).
      trace_.blocked.push_back({acl.id, Kind::kNetworkAcl, "SUBNET_ACL_RESTRICTION", "return", note,
                                "allow " + ProtocolName(probe_.protocol) + " " +
                                    pkt_.ports.ToString() + (egress ? " to " : " from ") +
                                    FormatIpv4(addr) + " in the " + dir + " rules of " + acl.id +
                                    " (AWS recommends 1024-65535 for replies)",
                                true});
      AddHop(acl.id, Kind::kNetworkAcl,
             std::string(dir) + " allows replies to ports " + allowed.ToString() + " of " +
                 pkt_.ports.ToString() + " (" + sn.id + ")",
             "", dir);
    } else {
      AddHop(acl.id, Kind::kNetworkAcl,
             std::string(dir) + " allows " + Traffic() + " to ports " + allowed.ToString() + " (" +
                 sn.id + ")",
             "", dir);
    }
    pkt_.ports = allowed;
    return true;
  }

  std::string AclFix(const AclInfo& acl, bool egress, Ipv4 addr, int before_rule) const {
    std::string what = mode_ == Mode::kReturn
                           ? ProtocolName(probe_.protocol) + " replies"
                           : DescribeTraffic(probe_.protocol, probe_.port, probe_.icmp_code);
    return "add an allow entry to the " + std::string(egress ? "egress" : "ingress") +
           " rules of " + acl.id + " for " + what + (egress ? " to " : " from ") +
           FormatIpv4(addr) + " with a rule number below " + std::to_string(before_rule);
  }

  // ---- forward start -------------------------------------------------------------

  void StartForward() {
    pkt_.dst = probe_.destination;
    switch (origin_.type) {
      case Origin::Type::kEni: {
        const Eni& e = t_.enis()[static_cast<std::size_t>(origin_.eni)];
        const GroupInfo& g = t_.groups()[static_cast<std::size_t>(e.group)];
        const SubnetInfo& sn = SubnetOf(g.subnet);
        pkt_.src = e.ip;
        pkt_.src_owner = {Owner::Type::kNodeEni, origin_.eni};
        pkt_.vpc = sn.vpc;
        pkt_.ports = IntervalSet(g.ephemeral_lo, g.ephemeral_hi);
        AddHop(t_.EniId(origin_.eni), Kind::kNetworkInterface,
               FormatIpv4(e.ip) + (e.public_ip ? " (public " + FormatIpv4(e.public_ip) + ")" : "") +
                   " in " + sn.id + ", node group " + g.name);
        if (HostServed()) return;
        CheckSecurityGroups(g.security_groups, true, pkt_.dst, DestinationOwnerForEgress(), true,
                            "");
        Depart(g.subnet);
        return;
      }
      case Origin::Type::kInternet:
        pkt_.src = origin_.address;
        pkt_.ports = IntervalSet(kNatEphemeralLo, kNatEphemeralHi);
        AddHop("internet", Kind::kInternet,
               "a host on the internet at " + FormatIpv4(origin_.address));
        Internet();
        return;
      case Origin::Type::kSite: {
        const SiteInfo& site = t_.sites()[static_cast<std::size_t>(origin_.site)];
        pkt_.src = origin_.address;
        pkt_.ports = IntervalSet(kLinuxEphemeralLo, kLinuxEphemeralHi);
        AddHop(site.id, Kind::kOnPremises, "host " + FormatIpv4(origin_.address) + " on premises");
        FromSite(origin_.site);
        return;
      }
      case Origin::Type::kVpcRouter: {
        const VpcInfo& v = VpcOf(origin_.router);
        pkt_.src = origin_.address;
        pkt_.vpc = origin_.router;
        pkt_.from_outside = true;
        pkt_.identity = false;
        pkt_.ports = IntervalSet(kNatEphemeralLo, kNatEphemeralHi);
        AddHop(v.id, Kind::kVpc,
               "a packet from " + FormatIpv4(origin_.address) + " enters " + v.id + "'s router");
        // Traffic entering a VPC from a gateway is delivered by local routing only.
        if (!InVpcCidr(origin_.router, pkt_.dst)) {
          Blocked(v.id, Kind::kVpc, "NO_ROUTE_TO_DESTINATION",
                  FormatIpv4(pkt_.dst) + " is outside " + v.id +
                      "'s CIDR blocks; traffic entering the VPC is delivered only to its own "
                      "addresses",
                  "send to an address inside " + v.id, true);
          return;
        }
        DeliverLocal(origin_.router, -1);
        return;
      }
      case Origin::Type::kSubnetRouter: {
        const SubnetInfo& sn = SubnetOf(origin_.router);
        pkt_.src = origin_.address;
        pkt_.vpc = sn.vpc;
        pkt_.identity = false;
        pkt_.ports = IntervalSet(kLinuxEphemeralLo, kLinuxEphemeralHi);
        AddHop(sn.id, Kind::kSubnet,
               "a packet from " + FormatIpv4(origin_.address) + " leaves " + sn.id);
        Depart(origin_.router);
        return;
      }
      case Origin::Type::kVpnGateway: {
        const GatewayInfo& vgw = Vgw(origin_.router);
        pkt_.src = origin_.address;
        pkt_.identity = false;
        pkt_.ports = IntervalSet(kLinuxEphemeralLo, kLinuxEphemeralHi);
        if (vgw.vpc >= 0 && InVpcCidr(vgw.vpc, pkt_.dst)) {
          // AWS: the VGW reaches the whole CIDR of its VPC (semantics reference §10.1).
          AddHop(vgw.id, Kind::kVpnGateway,
                 "a packet from " + FormatIpv4(origin_.address) + " enters " + VpcOf(vgw.vpc).id +
                     " through " + vgw.id);
          pkt_.from_outside = true;
          DeliverLocal(vgw.vpc, -1);
          return;
        }
        ThroughVgw(origin_.router);
        return;
      }
    }
  }

  // The owner of the destination address as seen from the sender's VPC or a VPC
  // peered with it (for egress rules that reference a security group).
  Owner DestinationOwnerForEgress() const {
    Owner o = t_.FindPrivateOwner(pkt_.vpc, pkt_.dst);
    if (o.type != Owner::Type::kNone) return o;
    for (int p : VpcOf(pkt_.vpc).peerings) {
      const PeeringInfo& pc = Pcx(p);
      const int other = pc.requester == pkt_.vpc ? pc.accepter : pc.requester;
      o = t_.FindPrivateOwner(other, pkt_.dst);
      if (o.type != Owner::Type::kNone) return o;
    }
    return {};
  }

  // AWS serves these addresses on the host itself: never routed, never filtered by
  // security groups or network ACLs (semantics reference §0 step 1, §8).
  bool HostServed() {
    const VpcInfo& vpc = VpcOf(pkt_.vpc);
    const Ipv4 resolver = vpc.cidrs.front().base + 2;
    const Ipv4 d = pkt_.dst;
    std::string name;
    const GroupInfo& g = t_.groups()[static_cast<std::size_t>(
        t_.enis()[static_cast<std::size_t>(origin_.eni)].group)];
    if (d == kImds) {
      if (!g.model->imds) {
        Blocked(
            FormatIpv4(d), Kind::kAwsService, "NO_POSSIBLE_DESTINATION",
            "the instance metadata service is disabled on node group " + g.name +
                " (HttpEndpoint disabled)",
            "enable the metadata endpoint (MetadataOptions.HttpEndpoint = enabled) on " + g.name,
            true);
        return true;
      }
      name = "instance metadata service (IMDS)";
    }
    if (d == kTimeSync) name = "Amazon Time Sync Service";
    // The ECS agent answers the task metadata and credentials endpoint on container
    // instances, for their tasks.
    if (d == kEcsTask && (IsAwsvpcTask(g.role) || g.role == "batch-instance")) {
      name = "ECS task metadata and credentials endpoint";
    }
    if (d == kResolver || d == resolver) {
      if (!vpc.dns_support) {
        Blocked(vpc.id, Kind::kDns, "DNS_NOT_RESOLVED",
                "enableDnsSupport is false on " + vpc.id +
                    ": the Amazon-provided DNS server does not answer",
                "set enableDnsSupport to true on " + vpc.id, true);
        return true;
      }
      name = "Amazon-provided DNS server (Route 53 Resolver)";
    }
    if ((d >> 24) == 127) name = "loopback interface of the instance itself";
    if (name.empty()) {
      const std::string eni = t_.EniId(origin_.eni);
      if (IsLinkLocal(d)) {
        Blocked(eni, Kind::kNetworkInterface, "NO_ROUTE_TO_DESTINATION",
                FormatIpv4(d) +
                    " is link-local: nothing on the host answers it and 169.254.0.0/16 "
                    "is never forwarded off the host",
                "use an address outside 169.254.0.0/16", true);
        return true;
      }
      if (d >= 0xE0000000u || (d >> 24) == 0) {
        // AWS: a VPC does not support broadcast; multicast needs transit gateway
        // multicast domains (semantics reference §11).
        Blocked(
            eni, Kind::kNetworkInterface, "NO_ROUTE_TO_DESTINATION",
            FormatIpv4(d) +
                " is a broadcast, multicast or reserved address; a VPC does not "
                "forward broadcast, and multicast only through transit gateway multicast domains",
            "send to a unicast address", true);
        return true;
      }
      return false;
    }
    AddHop(FormatIpv4(d), Kind::kAwsService,
           name + ", served on the host: no route, security group or network ACL applies");
    trace_.arrival.type = Arrival::Type::kService;
    host_served_ = true;
    return true;
  }

  // ---- forwarding ------------------------------------------------------------------

  // The packet leaves a subnet (from an ENI or a device in it).
  void Depart(int subnet) {
    if (!Step()) return;
    const SubnetInfo& sn = SubnetOf(subnet);
    pkt_.vpc = sn.vpc;
    // AWS: delivery inside a subnet is layer 2: no route table, no network ACL.
    if (sn.cidr.Contains(pkt_.dst)) {
      const Owner owner = t_.FindPrivateOwner(sn.vpc, pkt_.dst);
      if (owner.type == Owner::Type::kNone) {
        Blocked(
            sn.id, Kind::kSubnet, "NO_POSSIBLE_DESTINATION",
            "no network interface in " + sn.id + " has the address " + FormatIpv4(pkt_.dst),
            "send to an address that an instance, endpoint or NAT gateway in " + sn.id + " holds",
            true);
        return;
      }
      ArriveAtOwner(owner, subnet);
      return;
    }
    const RouteTableInfo& table = t_.route_tables()[static_cast<std::size_t>(sn.route_table)];
    const auto selected = SelectRoute(table);
    if (!selected) {
      AddHop(table.id, Kind::kRouteTable,
             "no route covers " + FormatIpv4(pkt_.dst) + " (" + sn.id + ")");
      Blocked(
          table.id, Kind::kRouteTable, "NO_ROUTE_TO_DESTINATION",
          "route table " + table.id + " (" + sn.id + ") has no route for " + FormatIpv4(pkt_.dst),
          RouteFix(table, sn), true);
      return;
    }
    const CompiledRoute* route = selected;
    AddHop(table.id, Kind::kRouteTable,
           route->Describe() + (route->propagated ? " (propagated)" : "") + " (" + sn.id + ")",
           route->prefix_list.empty() ? route->destination.ToString() : route->prefix_list);
    if (route->target_kind == TargetKind::kTransitGateway && !route->blackhole) {
      const bool tgw = route->target_id.starts_with("tgw-");
      Blocked(route->target_id, Kind::kTransitGateway, "UNSUPPORTED_COMPONENT",
              "the route " + route->Describe() + " leads to " +
                  (tgw ? "a transit gateway" : route->target_id) +
                  ", which vpcsim does not model: "
                  "the path is not evaluated beyond it",
              "check this path with AWS Reachability Analyzer, or describe the network behind the "
              "transit "
              "gateway as a peering or VPN in the scenario",
              true);
      return;
    }
    if (route->blackhole) {
      Blocked(table.id, Kind::kRouteTable, "BAD_STATE_ROUTE",
              "the route " + route->Describe() + " is a blackhole: " + route->blackhole_reason +
                  "; AWS drops the packet and does not fall back to a less specific route",
              "point " + route->Describe().substr(0, route->Describe().find(" ->")) + " in " +
                  table.id + " at a target that exists and is available",
              true);
      return;
    }
    // The next hop's subnet, for network ACL evaluation: crossing into another subnet
    // evaluates this subnet's egress rules; a next hop inside the subnet does not.
    const int next_subnet = NextHopSubnet(*route);
    if (next_subnet != subnet) CheckAcl(subnet, /*egress=*/true);
    switch (route->target_kind) {
      case TargetKind::kLocal:
        DeliverLocal(sn.vpc, subnet);
        return;
      case TargetKind::kInternetGateway:
        IgwOutbound(route->target, subnet);
        return;
      case TargetKind::kNatGateway:
        ThroughNat(route->target, subnet);
        return;
      case TargetKind::kNetworkInterface:
        ThroughAppliance(route->target, subnet);
        return;
      case TargetKind::kVpnGateway:
        ThroughVgw(route->target);
        return;
      case TargetKind::kPeeringConnection:
        ThroughPeering(route->target);
        return;
      case TargetKind::kVpcEndpoint:
        ThroughGatewayEndpoint(route->target);
        return;
      case TargetKind::kTransitGateway:
        return;
    }
  }

  // The route AWS selects (Topology::SelectRoute).
  const CompiledRoute* SelectRoute(const RouteTableInfo& table) const {
    const int index = static_cast<int>(&table - t_.route_tables().data());
    ReadLog::NoteLookup(t_, RefOf(Kind::kRouteTable, index), pkt_.dst, 0, false);
    return t_.SelectRoute(index, pkt_.dst);
  }

  bool InVpcCidr(int vpc, Ipv4 a) const {
    const auto& cidrs = VpcOf(vpc).cidrs;
    return std::any_of(cidrs.begin(), cidrs.end(), [&](const Cidr& c) { return c.Contains(a); });
  }

  int NextHopSubnet(const CompiledRoute& r) const {
    if (r.target_kind == TargetKind::kNatGateway) return Nat(r.target).subnet;
    if (r.target_kind == TargetKind::kNetworkInterface) {
      return t_
          .groups()[static_cast<std::size_t>(t_.enis()[static_cast<std::size_t>(r.target)].group)]
          .subnet;
    }
    return -2;  // outside the subnet
  }

  std::string RouteFix(const RouteTableInfo& table, const SubnetInfo& sn) const {
    const VpcInfo& vpc = VpcOf(sn.vpc);
    const bool from_nat = t_.FindPrivateOwner(sn.vpc, pkt_.src).type == Owner::Type::kNatGateway;
    if (from_nat && !IsRfc1918(pkt_.dst)) {
      // The NAT gateway's own subnet must send internet traffic to an internet gateway.
      const std::string igw = vpc.internet_gateway >= 0
                                  ? Igw(vpc.internet_gateway).id
                                  : std::string("an internet gateway attached to ") + vpc.id;
      return "add 0.0.0.0/0 -> " + igw + " to " + table.id +
             ", the route table of the NAT gateway's subnet " + sn.id;
    }
    if (!IsRfc1918(pkt_.dst) && vpc.internet_gateway >= 0) {
      return "add a route for " + FormatIpv4(pkt_.dst) + " (or 0.0.0.0/0) in " + table.id +
             " to a NAT gateway in a public subnet, or to " + Igw(vpc.internet_gateway).id +
             " for nodes with public IPv4 addresses";
    }
    if (!IsRfc1918(pkt_.dst)) {
      return "add a route for " + FormatIpv4(pkt_.dst) + " in " + table.id +
             " to a NAT gateway, an internet gateway, or a VPC endpoint of the service";
    }
    return "add a route for " + FormatIpv4(pkt_.dst) + " in " + table.id +
           " to the gateway or peering that leads there";
  }

  // Local routing inside a VPC: the packet enters the destination subnet.
  void DeliverLocal(int vpc, int from_subnet) {
    if (!Step()) return;
    pkt_.vpc = vpc;
    const int subnet = t_.SubnetOfAddress(vpc, pkt_.dst);
    if (subnet < 0) {
      Blocked(VpcOf(vpc).id, Kind::kVpc, "NO_POSSIBLE_DESTINATION",
              FormatIpv4(pkt_.dst) + " is inside " + VpcOf(vpc).id +
                  "'s CIDR but in none of its subnets",
              "send to an address of a subnet", true);
      return;
    }
    if (subnet != from_subnet) CheckAcl(subnet, /*egress=*/false);
    const Owner owner = t_.FindPrivateOwner(vpc, pkt_.dst);
    if (owner.type == Owner::Type::kNone) {
      Blocked(
          SubnetOf(subnet).id, Kind::kSubnet, "NO_POSSIBLE_DESTINATION",
          "no network interface in " + SubnetOf(subnet).id + " has the address " +
              FormatIpv4(pkt_.dst),
          "send to an address that an instance or endpoint in " + SubnetOf(subnet).id + " holds",
          true);
      return;
    }
    ArriveAtOwner(owner, subnet);
  }

  void ArriveAtOwner(const Owner& owner, int subnet) {
    switch (owner.type) {
      case Owner::Type::kNodeEni:
        ArriveAtEni(owner.index, subnet);
        return;
      case Owner::Type::kEndpointEni:
        ArriveAtEndpoint(owner.index);
        return;
      case Owner::Type::kNatGateway:
        ArriveAtNat(owner.index);
        return;
      case Owner::Type::kNone:
        return;
    }
  }

  void ArriveAtEni(std::int64_t eni, int subnet) {
    const Eni& e = t_.enis()[static_cast<std::size_t>(eni)];
    const GroupInfo& g = t_.groups()[static_cast<std::size_t>(e.group)];
    if (mode_ == Mode::kReturn) {
      if (Session* s = FindSession(Session::Type::kAppliance, eni);
          s && s->translates && pkt_.dst == e.ip) {
        AddHop(
            t_.EniId(eni), Kind::kNetworkInterface,
            "appliance " + g.name + " translates the reply back to " + FormatIpv4(s->original_src));
        ReverseSession(*s);
        Depart(g.subnet);
        return;
      }
      if (origin_.type == Origin::Type::kEni && eni == origin_.eni) {
        AddHop(t_.EniId(eni), Kind::kNetworkInterface,
               "reply delivered (security groups are stateful: the reply is allowed)");
        CompleteReturn();
        return;
      }
      Blocked(t_.EniId(eni), Kind::kNetworkInterface, "NO_POSSIBLE_DESTINATION",
              "the reply is delivered to " + t_.EniId(eni) + ", not to the sender",
              "make the reply route back the way the request came", true);
      return;
    }
    AddHop(t_.EniId(eni), Kind::kNetworkInterface,
           FormatIpv4(e.ip) + " in " + SubnetOf(subnet).id + ", node group " + g.name);
    if (probe_.expected_eni >= 0 && eni != probe_.expected_eni) {
      // Overlapping address space: the address belongs to another ENI where the
      // packet is delivered.
      Blocked(t_.EniId(eni), Kind::kNetworkInterface, "NO_POSSIBLE_DESTINATION",
              FormatIpv4(e.ip) + " is delivered to " + t_.EniId(eni) + " in " +
                  VpcOf(SubnetOf(subnet).vpc).id + ", not to " + t_.EniId(probe_.expected_eni) +
                  ": no route leads to the intended VPC",
              "connect the two VPCs (peering or transit gateway) with routes for the destination's "
              "address; overlapping CIDRs cannot be peered",
              true);
      return;
    }
    if (origin_.type == Origin::Type::kEni && eni == origin_.eni) {
      trace_.arrival = {Arrival::Type::kEni, {Owner::Type::kNodeEni, eni}, -1, "", -1, -1};
      return;
    }
    CheckSecurityGroups(g.security_groups, false, pkt_.src, pkt_.src_owner, pkt_.identity, "");
    trace_.arrival = {Arrival::Type::kEni, {Owner::Type::kNodeEni, eni}, -1, "", -1, -1};
  }

  void ArriveAtEndpoint(std::int64_t index) {
    const EndpointEni& eni = t_.endpoint_enis()[static_cast<std::size_t>(index)];
    const EndpointInfo& ep = Endpoint(eni.endpoint);
    if (mode_ == Mode::kReturn) {
      Blocked(ep.id, Kind::kVpcEndpoint, "NO_POSSIBLE_DESTINATION",
              "the reply is delivered to endpoint " + ep.id + ", not to the sender",
              "make the reply route back the way the request came", true);
      return;
    }
    AddHop(ep.id, Kind::kVpcEndpoint,
           "interface endpoint ENI " + FormatIpv4(eni.ip) + " in " + SubnetOf(eni.subnet).id +
               " for " + (ep.service ? ep.service->name : std::string("?")));
    if (!ep.available) {
      Blocked(ep.id, Kind::kVpcEndpoint, "BAD_STATE",
              "endpoint " + ep.id + " is in state " + ep.state,
              "use an endpoint in state available", true);
      return;
    }
    // AWS: interface endpoints carry TCP only (semantics reference §7.2).
    if (probe_.protocol != proto::kTcp) {
      Blocked(ep.id, Kind::kVpcEndpoint, "PROTOCOL_RESTRICTION",
              "interface endpoints accept TCP only, not " + ProtocolName(probe_.protocol),
              "use TCP to reach the service through " + ep.id, true);
      return;
    }
    if (!CheckSecurityGroups(ep.security_groups, false, pkt_.src, pkt_.src_owner, pkt_.identity,
                             " (the endpoint's security group)"))
      return;  // the packet stops at the endpoint's groups
    if (!ep.service) return;
    AddHop(ep.service->name, Kind::kAwsService, ep.service->description + " through " + ep.id);
    trace_.arrival.type = Arrival::Type::kService;
    trace_.arrival.owner = {Owner::Type::kEndpointEni, index};
    trace_.arrival.service = static_cast<int>(ep.service - t_.catalog().services().data());
    trace_.arrival.region = t_.region();
    trace_.arrival.endpoint = eni.endpoint;
  }

  void ArriveAtNat(std::int64_t index) {
    const NatInfo& n = Nat(index);
    if (mode_ == Mode::kReturn) {
      if (Session* s = FindSession(Session::Type::kNat, index)) {
        AddHop(n.id, Kind::kNatGateway,
               "translates the reply back to " + FormatIpv4(s->original_src));
        ReverseSession(*s);
        Depart(n.subnet);
        return;
      }
    }
    // AWS: a NAT gateway accepts no connection addressed to itself; it only answers
    // replies of connections it translated (semantics reference §4.1).
    AddHop(n.id, Kind::kNatGateway, "NAT gateway " + FormatIpv4(n.private_ip));
    Blocked(n.id, Kind::kNatGateway, "NO_POSSIBLE_DESTINATION",
            "a NAT gateway accepts no connections addressed to it and forwards only replies of "
            "connections it "
            "translated",
            "send to the destination itself; a NAT gateway is used as a route target, not as an "
            "address",
            true);
  }

  // ---- targets ---------------------------------------------------------------------

  void IgwOutbound(int igw_index, int subnet) {
    const GatewayInfo& igw = Igw(igw_index);
    if (!Step()) return;
    // AWS: an internet gateway does not forward to private (RFC 1918) addresses.
    if (IsRfc1918(pkt_.dst)) {
      AddHop(igw.id, Kind::kInternetGateway, "internet gateway");
      Blocked(igw.id, Kind::kInternetGateway, "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
              FormatIpv4(pkt_.dst) +
                  " is a private (RFC 1918) address; an internet gateway does not forward to it",
              "route " + FormatIpv4(pkt_.dst) +
                  " to the peering, VPN or transit gateway that leads to it",
              true);
      return;
    }
    // AWS: 1:1 NAT from the private address to its public IPv4; no public IPv4, no
    // internet (semantics reference §3).
    const Owner owner = t_.FindPrivateOwner(pkt_.vpc, pkt_.src);
    Ipv4 public_ip = 0;
    if (owner.type == Owner::Type::kNodeEni) public_ip = t_.PublicAddressOf(owner.index, pkt_.src);
    if (owner.type == Owner::Type::kNatGateway) {
      const NatInfo& n = Nat(owner.index);
      if (!n.is_public) {
        AddHop(igw.id, Kind::kInternetGateway, "internet gateway");
        Blocked(igw.id, Kind::kInternetGateway, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
                n.id +
                    " is a private NAT gateway; it has no public IPv4 and the internet gateway "
                    "drops its traffic",
                "use a public NAT gateway (with an Elastic IP) for internet access", true);
        return;
      }
      public_ip = n.elastic_ip;
    }
    if (public_ip == 0) {
      AddHop(igw.id, Kind::kInternetGateway, "internet gateway");
      std::string fix;
      if (owner.type == Owner::Type::kNodeEni) {
        const GroupInfo& g = t_.groups()[static_cast<std::size_t>(
            t_.enis()[static_cast<std::size_t>(owner.index)].group)];
        const std::string rtb =
            t_.route_tables()[static_cast<std::size_t>(SubnetOf(subnet).route_table)].id;
        if (IsAwsvpcTask(g.role)) {
          fix =
              "awsvpc task ENIs never get a public IPv4: run them in a private subnet whose route "
              "table sends "
              "0.0.0.0/0 to a NAT gateway in a public subnet";
        } else {
          const bool explicit_off = g.model->public_ip.has_value() && !*g.model->public_ip;
          const std::string how = explicit_off ? "set public_ip to true on node group " + g.name
                                               : "give node group " + g.name +
                                                     " a public IPv4 address (public_ip, or "
                                                     "map_public_ip_on_launch on " +
                                                     SubnetOf(g.subnet).id + ")";
          fix = how + ", or route 0.0.0.0/0 in " + rtb + " to a NAT gateway in a public subnet";
        }
      } else {
        fix = "give the sender a public IPv4 address or route it through a NAT gateway";
      }
      Blocked(igw.id, Kind::kInternetGateway, "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
              FormatIpv4(pkt_.src) + " has no public IPv4 address", fix, true);
      return;
    }
    AddHop(igw.id, Kind::kInternetGateway,
           "translates " + FormatIpv4(pkt_.src) + " to " + FormatIpv4(public_ip));
    pkt_.src = public_ip;
    pkt_.identity = false;
    pkt_.vpc = -1;
    Internet();
  }

  // The packet is on the internet, addressed to pkt_.dst.
  void Internet() {
    if (!Step()) return;
    int vpc = -1;
    const Owner owner = t_.FindPublicOwner(pkt_.dst, &vpc);
    if (owner.type != Owner::Type::kNone) {
      IgwInbound(vpc, owner);
      return;
    }
    for (std::size_t i = 0; i < t_.sites().size(); ++i) {
      if (t_.sites()[i].internet_egress &&
          t_.site_public_address(static_cast<int>(i)) == pkt_.dst) {
        SiteFromInternet(static_cast<int>(i));
        return;
      }
    }
    if (mode_ == Mode::kReturn) {
      if (origin_.type == Origin::Type::kInternet && pkt_.dst == origin_.address) {
        AddHop("internet", Kind::kInternet, "reply delivered to " + FormatIpv4(pkt_.dst));
        CompleteReturn();
        return;
      }
      Blocked("internet", Kind::kInternet, "NO_POSSIBLE_DESTINATION",
              "the reply is addressed to " + FormatIpv4(pkt_.dst) + ", which is not the sender",
              "make the reply route back the way the request came", true);
      return;
    }
    auto owner_service = t_.catalog().ServiceOwning(pkt_.dst);
    if (probe_.service >= 0) {
      // Services sharing the region's AMAZON ranges are told apart by the name the
      // sender resolved.
      const CatalogService& meant =
          t_.catalog().services()[static_cast<std::size_t>(probe_.service)];
      for (const std::string& region : t_.catalog().Regions()) {
        const auto cidrs = t_.catalog().Cidrs(meant, region);
        if (std::any_of(cidrs.begin(), cidrs.end(),
                        [&](const Cidr& c) { return c.Contains(pkt_.dst); })) {
          owner_service = ServiceCatalog::HostMatch{&meant, meant.global ? "us-east-1" : region};
          break;
        }
      }
    }
    if (owner_service) {
      AddHop(owner_service->service->name, Kind::kAwsService,
             owner_service->service->description + " public endpoint " + FormatIpv4(pkt_.dst) +
                 " (" + owner_service->region + ")");
      trace_.arrival.type = Arrival::Type::kService;
      trace_.arrival.service =
          static_cast<int>(owner_service->service - t_.catalog().services().data());
      trace_.arrival.region = owner_service->region;
      return;
    }
    const Ipv4 d = pkt_.dst;
    if (IsLinkLocal(d) || (d >> 24) == 127 || (d >> 24) == 0 || d >= 0xE0000000u) {
      Blocked("internet", Kind::kInternet, "NO_POSSIBLE_DESTINATION",
              FormatIpv4(d) +
                  " is a link-local, loopback, multicast or reserved address; the "
                  "internet does not route it",
              "send to a public unicast address", true);
      return;
    }
    if (IsRfc1918(pkt_.dst)) {
      Blocked("internet", Kind::kInternet, "NO_POSSIBLE_DESTINATION",
              FormatIpv4(pkt_.dst) + " is a private address; it is not reachable over the internet",
              "reach private addresses through VPN, Direct Connect, peering or a transit gateway",
              true);
      return;
    }
    // A question from the internet to one of Amazon's published EC2 addresses that
    // nothing in the input holds is about no component of the input: it is answered as
    // dropped, as Batfish's backbone node discards Amazon-owned prefixes nothing in the
    // snapshot owns. From inside the input such an address is somebody else's instance
    // on the internet, and reachable like any internet host.
    for (const std::string& region : origin_.type == Origin::Type::kInternet
                                         ? t_.catalog().Regions()
                                         : std::vector<std::string>{}) {
      for (const Cidr& c : t_.catalog().RegionCidrs(region, "ec2")) {
        if (!c.Contains(pkt_.dst)) continue;
        Blocked("internet", Kind::kInternet, "NO_POSSIBLE_DESTINATION",
                FormatIpv4(pkt_.dst) + " is in Amazon's EC2 address space (" + c.ToString() + ", " +
                    region + ") but no network interface or NAT gateway of the input holds it",
                "send to a public IPv4 address that an instance or NAT gateway holds", true);
        return;
      }
    }
    AddHop("internet", Kind::kInternet, "internet host " + FormatIpv4(pkt_.dst));
    trace_.arrival.type = Arrival::Type::kInternet;
  }

  void IgwInbound(int vpc, const Owner& owner) {
    const VpcInfo& v = VpcOf(vpc);
    if (v.internet_gateway < 0) {
      Blocked(
          v.id, Kind::kVpc, "NO_ROUTE_TO_DESTINATION",
          FormatIpv4(pkt_.dst) + " belongs to " + v.id + ", which has no internet gateway attached",
          "attach an internet gateway to " + v.id, true);
      return;
    }
    const GatewayInfo& igw = Igw(v.internet_gateway);
    Ipv4 private_ip = 0;
    if (owner.type == Owner::Type::kNodeEni)
      private_ip = t_.PrivateAddressOf(owner.index, pkt_.dst);
    if (owner.type == Owner::Type::kNatGateway) private_ip = Nat(owner.index).private_ip;
    AddHop(igw.id, Kind::kInternetGateway,
           "translates " + FormatIpv4(pkt_.dst) + " to " + FormatIpv4(private_ip));
    pkt_.dst = private_ip;
    // No gateway route table is modelled: inbound traffic is delivered by the VPC's
    // local routing (semantics reference §2.6).
    DeliverLocal(vpc, -1);
  }

  void ThroughNat(int nat_index, int from_subnet) {
    const NatInfo& n = Nat(nat_index);
    if (!Step()) return;
    if (mode_ == Mode::kReturn) {
      AddHop(n.id, Kind::kNatGateway, "NAT gateway");
      Blocked(n.id, Kind::kNatGateway, "NO_ROUTE_TO_DESTINATION",
              "the reply is routed to " + n.id +
                  ", which would translate its source: the sender drops it "
                  "(replies must return the way the request came)",
              "route replies to the sender's address back through the gateway the request used",
              true);
      return;
    }
    AddHop(n.id, Kind::kNatGateway,
           std::string(n.is_public ? "public" : "private") + " NAT gateway in " +
               SubnetOf(n.subnet).id);
    // AWS: a NAT gateway serves only traffic from its own VPC (semantics reference §4.1).
    if (pkt_.from_outside) {
      Blocked(n.id, Kind::kNatGateway, "NGW_REQUIRES_SOURCE_IN_VPC",
              "traffic that entered the VPC through a peering connection or VPN cannot use a NAT "
              "gateway",
              "give the sender its own NAT gateway in its own VPC", true);
      return;
    }
    if (probe_.protocol != proto::kTcp && probe_.protocol != proto::kUdp &&
        probe_.protocol != proto::kIcmp) {
      Blocked(
          n.id, Kind::kNatGateway, "PROTOCOL_RESTRICTION",
          "a NAT gateway translates TCP, UDP and ICMP only, not " + ProtocolName(probe_.protocol),
          "use TCP, UDP or ICMP, or a NAT instance", true);
      return;
    }
    if (HasSession(Session::Type::kNat, nat_index)) {
      Blocked(n.id, Kind::kNatGateway, "ROUTING_LOOP",
              "the packet returns to " + n.id + ": its own subnet routes the traffic back to it",
              "route 0.0.0.0/0 in the route table of " + SubnetOf(n.subnet).id +
                  " to an internet gateway",
              true);
      return;
    }
    if (n.subnet != from_subnet) CheckAcl(n.subnet, /*egress=*/false);
    sessions_.push_back({Session::Type::kNat, nat_index, pkt_.src, pkt_.ports, true});
    // The packet now comes from the NAT gateway's own private address; a NAT gateway
    // belongs to no security group, so group references cannot match it.
    pkt_.src = n.private_ip;
    pkt_.src_owner = {Owner::Type::kNatGateway, nat_index};
    pkt_.ports = IntervalSet(kNatEphemeralLo, kNatEphemeralHi);
    pkt_.identity = true;
    Depart(n.subnet);
  }

  void ThroughAppliance(int eni_index, int from_subnet) {
    const Eni& e = t_.enis()[static_cast<std::size_t>(eni_index)];
    const GroupInfo& g = t_.groups()[static_cast<std::size_t>(e.group)];
    const std::string id = t_.EniId(eni_index);
    if (!Step()) return;
    AddHop(id, Kind::kNetworkInterface,
           "route target: instance of node group " + g.name + " in " + SubnetOf(g.subnet).id);
    if (mode_ == Mode::kReturn) {
      if (Session* s = FindSession(Session::Type::kAppliance, eni_index); s && !s->translates) {
        // The reply crosses the appliance's subnet boundary too (stateless ACLs);
        // its security groups are stateful.
        s->consumed = true;
        if (g.subnet != from_subnet) CheckAcl(g.subnet, /*egress=*/false);
        Depart(g.subnet);
        return;
      }
      Blocked(id, Kind::kNetworkInterface, "NO_ROUTE_TO_DESTINATION",
              "the reply is routed through " + id +
                  ", which the request did not cross (asymmetric routing "
                  "through an appliance is not supported by AWS)",
              "route the reply back through the path of the request", true);
      return;
    }
    // AWS: an ENI that forwards traffic it did not originate needs the
    // source/destination check disabled (semantics reference §2.4, §11).
    if (g.source_dest_check) {
      Blocked(id, Kind::kNetworkInterface, "ENI_SOURCE_DEST_CHECK_RESTRICTION",
              id + " has source/destination check enabled, so it drops packets addressed to others",
              "disable the source/destination check on " + id + " (node group " + g.name + ")",
              false);
    }
    if (g.subnet != from_subnet) CheckAcl(g.subnet, /*egress=*/false);
    CheckSecurityGroups(g.security_groups, false, pkt_.src, pkt_.src_owner, pkt_.identity,
                        " (the appliance's security group)");
    CheckSecurityGroups(g.security_groups, true, pkt_.dst, DestinationOwnerForEgress(), true,
                        " (the appliance's security group)");
    sessions_.push_back({Session::Type::kAppliance, eni_index, pkt_.src, pkt_.ports, g.source_nat});
    if (g.source_nat) {
      // Masquerading: the packet now comes from the appliance's own private address, so
      // rules referencing the appliance's security groups match it (§5.2).
      pkt_.src = e.ip;
      pkt_.src_owner = {Owner::Type::kNodeEni, eni_index};
      pkt_.identity = true;
      AddHop(id, Kind::kNetworkInterface, "masquerades the source as " + FormatIpv4(e.ip));
    } else {
      // Relayed unchanged: group references of the original sender no longer match
      // (semantics reference §2.5).
      pkt_.identity = false;
    }
    Depart(g.subnet);
  }

  void ThroughVgw(int vgw_index) {
    const GatewayInfo& vgw = Vgw(vgw_index);
    if (!Step()) return;
    AddHop(vgw.id, Kind::kVpnGateway, "virtual private gateway");
    // AWS: the VGW forwards only to prefixes it has learned (semantics reference §10.1).
    // Among the connections that are up, the longest advertised prefix; a connection
    // that is down advertises nothing (a Direct Connect with a VPN backup fails over).
    // When only connections that are down cover the address, the first of them is the
    // explanation.
    int best = -1, best_down = -1;
    int best_length = -1, best_down_length = -1;
    for (std::size_t i = 0; i < t_.sites().size(); ++i) {
      const SiteInfo& site = t_.sites()[i];
      if (site.vpn_gateway != vgw_index) continue;
      for (const Cidr& c : site.advertised) {
        if (!c.Contains(pkt_.dst)) continue;
        int& chosen = site.up ? best : best_down;
        int& length = site.up ? best_length : best_down_length;
        if (c.length > length) {
          chosen = static_cast<int>(i);
          length = c.length;
        }
      }
    }
    if (best < 0) best = best_down;
    if (best < 0) {
      Blocked(vgw.id, Kind::kVpnGateway, "NO_ROUTE_TO_DESTINATION",
              vgw.id + " has learned no route for " + FormatIpv4(pkt_.dst) +
                  " from its VPN or Direct Connect connections",
              "advertise a prefix covering " + FormatIpv4(pkt_.dst) +
                  " from the on-premises router, or route " + FormatIpv4(pkt_.dst) + " elsewhere",
              true);
      return;
    }
    const SiteInfo& site = t_.sites()[static_cast<std::size_t>(best)];
    if (!site.up) {
      Blocked(vgw.id, Kind::kVpnGateway, "BAD_STATE_VPN",
              "the " + site.connection + " connection to " + site.id + " is down",
              "bring the connection to " + site.id + " up", true);
      return;
    }
    const bool host_in_site = std::any_of(site.cidrs.begin(), site.cidrs.end(),
                                          [&](const Cidr& c) { return c.Contains(pkt_.dst); });
    AddHop(site.id, Kind::kOnPremises,
           (site.connection == "direct-connect" ? "Direct Connect" : "Site-to-Site VPN") +
               std::string(" to ") + site.id);
    if (host_in_site) {
      if (mode_ == Mode::kReturn) {
        if (origin_.type == Origin::Type::kSite && origin_.site == best) {
          CompleteReturn();
        } else {
          Blocked(site.id, Kind::kOnPremises, "NO_POSSIBLE_DESTINATION",
                  "the reply reaches " + site.id + ", not the sender",
                  "make the reply route back the way the request came", true);
        }
        return;
      }
      trace_.arrival.type = Arrival::Type::kSite;
      trace_.arrival.site = best;
      return;
    }
    SiteToInternet(best);
  }

  // On premises, towards an address outside the site: its own internet access.
  void SiteToInternet(int site_index) {
    const SiteInfo& site = t_.sites()[static_cast<std::size_t>(site_index)];
    if (!site.internet_egress) {
      Blocked(site.id, Kind::kOnPremises, "NO_INTERNET_EGRESS",
              site.id + " has no internet egress, so " + FormatIpv4(pkt_.dst) +
                  " is unreachable from it",
              "give " + site.id +
                  " internet egress (or reach the destination through a proxy that has it)",
              true);
      return;
    }
    sessions_.push_back({Session::Type::kSite, site_index, pkt_.src, pkt_.ports, true});
    pkt_.src = t_.site_public_address(site_index);
    pkt_.identity = false;
    pkt_.vpc = -1;
    hops_->back().detail += "; leaves through the site's internet egress";
    Internet();
  }

  // A packet from an on-premises host.
  void FromSite(int site_index) {
    const SiteInfo& site = t_.sites()[static_cast<std::size_t>(site_index)];
    if (std::any_of(site.cidrs.begin(), site.cidrs.end(),
                    [&](const Cidr& c) { return c.Contains(pkt_.dst); })) {
      if (mode_ == Mode::kReturn) {
        CompleteReturn();
        return;
      }
      AddHop(site.id, Kind::kOnPremises, "host " + FormatIpv4(pkt_.dst) + " on premises");
      trace_.arrival.type = Arrival::Type::kSite;
      trace_.arrival.site = site_index;
      return;
    }
    if (site.vpn_gateway >= 0) {
      const GatewayInfo& vgw = Vgw(site.vpn_gateway);
      if (vgw.vpc >= 0 && InVpcCidr(vgw.vpc, pkt_.dst)) {
        if (!site.up) {
          Blocked(vgw.id, Kind::kVpnGateway, "BAD_STATE_VPN",
                  "the " + site.connection + " connection to " + site.id + " is down",
                  "bring the connection up", true);
          return;
        }
        AddHop(vgw.id, Kind::kVpnGateway, "virtual private gateway into " + VpcOf(vgw.vpc).id);
        pkt_.from_outside = true;
        DeliverLocal(vgw.vpc, -1);
        return;
      }
    }
    SiteToInternet(site_index);
  }

  void SiteFromInternet(int site_index) {
    if (mode_ == Mode::kReturn) {
      if (Session* s = FindSession(Session::Type::kSite, site_index)) {
        AddHop(t_.sites()[static_cast<std::size_t>(site_index)].id, Kind::kOnPremises,
               "the site translates the reply back to " + FormatIpv4(s->original_src));
        ReverseSession(*s);
        FromSite(site_index);
        return;
      }
    }
    Blocked(t_.sites()[static_cast<std::size_t>(site_index)].id, Kind::kOnPremises,
            "NO_POSSIBLE_DESTINATION", "the site accepts no connections from the internet",
            "connect from inside the site", true);
  }

  void ThroughPeering(int pcx_index) {
    const PeeringInfo& p = Pcx(pcx_index);
    if (!Step()) return;
    const int peer = p.requester == pkt_.vpc ? p.accepter : p.requester;
    AddHop(p.id, Kind::kPeeringConnection, "peering connection to " + VpcOf(peer).id);
    // AWS: a peering connection carries traffic only to the peer VPC's own addresses:
    // no transit and no edge-to-edge routing (semantics reference §10.2).
    if (!InVpcCidr(peer, pkt_.dst)) {
      Blocked(p.id, Kind::kPeeringConnection, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
              FormatIpv4(pkt_.dst) + " is outside " + VpcOf(peer).id +
                  "'s CIDR; peering connections are not transitive and give no access to the "
                  "peer's internet "
                  "gateway, NAT gateway, VPN or gateway endpoints",
              "give this VPC its own path to " + FormatIpv4(pkt_.dst) +
                  " (NAT gateway, endpoint or transit gateway)",
              true);
      return;
    }
    pkt_.from_outside = true;
    DeliverLocal(peer, -1);
  }

  void ThroughGatewayEndpoint(int endpoint_index) {
    const EndpointInfo& ep = Endpoint(endpoint_index);
    if (!Step()) return;
    AddHop(ep.id, Kind::kVpcEndpoint,
           "gateway endpoint for " + (ep.service ? ep.service->name : std::string("?")));
    // AWS: gateway endpoints carry TCP and ICMP echo only (Reachability Analyzer
    // VPCE_GATEWAY_PROTOCOL_RESTRICTION).
    const bool echo = probe_.protocol == proto::kIcmp && (probe_.port == 8 || probe_.port == 0);
    if (probe_.protocol != proto::kTcp && !echo) {
      Blocked(
          ep.id, Kind::kVpcEndpoint, "PROTOCOL_RESTRICTION",
          "gateway endpoints carry TCP and ICMP echo only, not " + ProtocolName(probe_.protocol),
          "use TCP to reach " + (ep.service ? ep.service->name : std::string("the service")), true);
      return;
    }
    if (!ep.service) return;
    AddHop(ep.service->name, Kind::kAwsService, ep.service->description + " through " + ep.id);
    trace_.arrival.type = Arrival::Type::kService;
    trace_.arrival.service = static_cast<int>(ep.service - t_.catalog().services().data());
    trace_.arrival.region = t_.region();
    trace_.arrival.endpoint = endpoint_index;
    gateway_endpoint_vpc_ = pkt_.vpc;
  }

  // ---- return path -------------------------------------------------------------------

  void StartReturn() {
    if (host_served_) {
      AddHop(trace_.forward.back().id, Kind::kAwsService, "answered on the host");
      return_complete_ = true;
      return;
    }
    // The reply swaps addresses; its destination ports are the initiator's source
    // ports as they were when the request arrived.
    std::swap(pkt_.src, pkt_.dst);
    pkt_.from_outside = false;
    domain_total_ = pkt_.ports.Count();
    const Arrival& a = trace_.arrival;
    switch (a.type) {
      case Arrival::Type::kEni: {
        const int subnet = t_.SubnetOfOwner(a.owner);
        if (origin_.type == Origin::Type::kEni && a.owner.index == origin_.eni &&
            a.owner.type == Owner::Type::kNodeEni) {
          return_complete_ = true;  // talking to itself
          return;
        }
        AddHop(t_.OwnerId(a.owner), Kind::kNetworkInterface,
               "replies from " + FormatIpv4(pkt_.src));
        Depart(subnet);
        return;
      }
      case Arrival::Type::kService:
        if (a.owner.type == Owner::Type::kEndpointEni) {
          const EndpointEni& eni = t_.endpoint_enis()[static_cast<std::size_t>(a.owner.index)];
          AddHop(Endpoint(eni.endpoint).id, Kind::kVpcEndpoint,
                 "endpoint ENI replies from " + FormatIpv4(eni.ip));
          Depart(eni.subnet);
          return;
        }
        AddHop(t_.catalog().services()[static_cast<std::size_t>(a.service)].name, Kind::kAwsService,
               "replies from " + FormatIpv4(pkt_.src));
        if (a.endpoint >= 0) {
          AddHop(Endpoint(a.endpoint).id, Kind::kVpcEndpoint, "gateway endpoint");
          DeliverLocal(gateway_endpoint_vpc_, -1);
          return;
        }
        Internet();
        return;
      case Arrival::Type::kInternet:
        AddHop("internet", Kind::kInternet, "replies from " + FormatIpv4(pkt_.src));
        Internet();
        return;
      case Arrival::Type::kSite:
        AddHop(t_.sites()[static_cast<std::size_t>(a.site)].id, Kind::kOnPremises,
               "replies from " + FormatIpv4(pkt_.src));
        FromSite(a.site);
        return;
      case Arrival::Type::kNone:
        return;
    }
  }

  Session* FindSession(Session::Type type, std::int64_t index) {
    for (auto it = sessions_.rbegin(); it != sessions_.rend(); ++it) {
      if (it->type == type && it->index == index && !it->consumed) return &*it;
    }
    return nullptr;
  }
  bool HasSession(Session::Type type, std::int64_t index) const {
    return std::any_of(sessions_.begin(), sessions_.end(),
                       [&](const Session& s) { return s.type == type && s.index == index; });
  }

  double Fraction() const {
    return domain_total_ == 0
               ? 1.0
               : static_cast<double>(pkt_.ports.Count()) / static_cast<double>(domain_total_);
  }

  // The reply passes back through a translator: the port domain changes.
  void ReverseSession(Session& s) {
    trace_.return_fraction *= Fraction();
    s.consumed = true;
    pkt_.dst = s.original_src;
    pkt_.ports = s.original_ports;
    domain_total_ = pkt_.ports.Count();
  }

  void CompleteReturn() {
    for (const Session& s : sessions_) {
      if (!s.consumed) {
        const std::string id = s.type == Session::Type::kAppliance ? t_.EniId(s.index) : "?";
        Blocked(id, Kind::kNetworkInterface, "NO_ROUTE_TO_DESTINATION",
                "the reply bypasses " + id +
                    ", which the request crossed (AWS does not support asymmetric "
                    "routing through appliances)",
                "route replies back through " + id, true);
        return;
      }
    }
    return_complete_ = true;
  }

  const Topology& t_;
  const BoostGraph& g_;
  Origin origin_;
  Probe probe_;
  Trace trace_;
  Packet pkt_;
  Mode mode_ = Mode::kForward;
  std::vector<Hop>* hops_ = nullptr;
  std::vector<Session> sessions_;
  bool stopped_ = false;
  bool hard_blocked_ = false;
  bool return_complete_ = false;
  bool host_served_ = false;
  int steps_ = 0;
  int gateway_endpoint_vpc_ = -1;
  std::int64_t domain_total_ = 0;
  std::string all_ports_note_;
};

}  // namespace

Trace Walk(const Topology& topology, const Origin& origin, const Probe& probe) {
  return Walker(topology, origin, probe).Run();
}

}  // namespace sim
