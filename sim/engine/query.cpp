#include "sim/engine/query.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <tuple>

#include "sim/core/parallel.hpp"
#include "sim/core/text.hpp"

namespace sim {
namespace {

bool LooksLikeHostname(const std::string& s) {
  if (s.find('.') == std::string::npos) return false;
  return std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; }) &&
         std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isalpha(c); });
}

bool DomainMatches(std::string pattern, const std::string& host) {
  pattern = ToLower(pattern);
  if (pattern == "*") return true;
  if (!pattern.empty() && pattern[0] == '*') pattern = pattern.substr(1);  // "*.example.com"
  if (!pattern.empty() && pattern[0] == '.') {
    // ".example.com" matches example.com and every name below it.
    return host == pattern.substr(1) || (host.size() > pattern.size() && host.ends_with(pattern));
  }
  return host == pattern || (host.size() > pattern.size() && host.ends_with("." + pattern));
}

// What the destination of a query stands for.
struct Destination {
  enum class Type { kName, kAddress, kEnis } type = Type::kAddress;
  std::string name;                // kName: the DNS name to resolve
  Ipv4 address = 0;                // kAddress
  std::vector<std::int64_t> enis;  // kEnis: node ENIs
  int service = -1;                // catalog index when the name is a service's
  bool proxyable = true;           // HTTP clients would send it to their proxy
  std::string description;
};

// A source: an ENI (representing `count` ENIs of its class) or a host outside.
struct Source {
  Origin origin;
  std::int64_t count = 1;
  std::vector<std::int64_t> members;  // up to two ENIs of the class (to avoid self pairs)
};

// A destination ENI class.
struct Target {
  Ipv4 address = 0;
  std::vector<std::int64_t> members;  // up to two ENIs (empty for plain addresses)
  std::int64_t count = 1;
};

// Numbers node groups lazily by a key of their attributes: groups with equal keys get
// the same number, so per-ENI class keys stay small integers.
template <typename Key>
class GroupNumbering {
 public:
  explicit GroupNumbering(std::size_t groups) : number_(groups, -1) {}
  template <typename KeyOf>
  int Of(int group, KeyOf key_of) {
    int& n = number_[static_cast<std::size_t>(group)];
    if (n < 0) n = ids_.emplace(key_of(), static_cast<int>(ids_.size())).first->second;
    return n;
  }

 private:
  std::vector<int> number_;
  std::map<Key, int> ids_;
};

}  // namespace

GroupClassKey GroupClassOf(const Topology& t, int group) {
  const GroupInfo& g = t.groups()[static_cast<std::size_t>(group)];
  const bool ecs_endpoint = IsAwsvpcTask(g.role) || g.role == "batch-instance";
  return std::make_tuple(g.subnet, g.security_groups, g.proxy, g.ephemeral_lo, g.ephemeral_hi,
                         g.model->imds, ecs_endpoint);
}

SourceClassKey SourceClassOf(const Topology& t, std::int64_t eni) {
  const Eni& e = t.enis()[static_cast<std::size_t>(eni)];
  return {GroupClassOf(t, e.group), e.public_ip != 0, t.AtomOf(e.ip),
          e.public_ip ? t.AtomOf(e.public_ip) : 0};
}

namespace {

class QueryEvaluator {
 public:
  QueryEvaluator(const Topology& t, const QuerySpec& spec, Evaluation mode)
      : t_(t), spec_(spec), mode_(mode) {}

  QueryResult Run() {
    QueryResult result;
    result.spec = spec_;
    const std::vector<Source> sources = ResolveSources();
    dest_ = ResolveDestination();
    result.destination = dest_.description;
    struct Outcome {
      Verdict verdict;
      std::int64_t count;
      Trace trace;
      DnsAnswer dns;
      std::string via_proxy;
      std::string source_id;
    };
    std::vector<Outcome> outcomes(sources.size());
    auto evaluate = [&](std::size_t i) {
      const Source& source = sources[i];
      Outcome& o = outcomes[i];
      o = Outcome{Verdict::kReachable, source.count, {}, {}, "", SourceId(source)};
      o.verdict = EvaluateSource(source, o.trace, o.dns, o.via_proxy);
    };
    // Many source classes (a fleet-wide query) split over the cores; not while a ReadLog
    // records this thread's reads, which other threads would not add to.
    if (sources.size() >= 64 && !ReadLog::Active()) {
      ParallelFor(sources.size(), evaluate, 16);
    } else {
      for (std::size_t i = 0; i < sources.size(); ++i) evaluate(i);
    }
    std::int64_t total = 0, reachable = 0;
    bool any_unreachable = false, all_unreachable = true;
    for (const Outcome& o : outcomes) {
      total += o.count;
      if (o.verdict == Verdict::kReachable) reachable += o.count;
      if (o.verdict != Verdict::kUnreachable) all_unreachable = false;
      if (o.verdict != Verdict::kReachable) any_unreachable = true;
    }
    result.sources_total = total;
    result.sources_reachable = reachable;
    if (!any_unreachable) {
      result.verdict = Verdict::kReachable;
    } else {
      result.verdict = all_unreachable ? Verdict::kUnreachable : Verdict::kPartial;
    }
    // The representative: the first source that does not reach, else the first.
    const auto rep = std::find_if(outcomes.begin(), outcomes.end(), [](const Outcome& o) {
      return o.verdict != Verdict::kReachable;
    });
    const Outcome& chosen = rep != outcomes.end() ? *rep : outcomes.front();
    result.trace = chosen.trace;
    result.dns = chosen.dns;
    result.via_proxy = chosen.via_proxy;
    result.source_id = chosen.source_id;
    result.evaluations = evaluations_;
    return result;
  }

 private:
  [[noreturn]] void Fail(const std::string& location, const std::string& message) const {
    throw InputError(Diagnostic{t_.scenario().source, location, message});
  }

  std::string SourceId(const Source& s) const {
    switch (s.origin.type) {
      case Origin::Type::kEni:
        return t_.EniId(s.origin.eni);
      case Origin::Type::kInternet:
        return "internet";
      case Origin::Type::kSite:
        return t_.sites()[static_cast<std::size_t>(s.origin.site)].id;
      case Origin::Type::kVpcRouter:
        return t_.vpcs()[static_cast<std::size_t>(s.origin.router)].id;
      case Origin::Type::kSubnetRouter:
        return t_.subnets()[static_cast<std::size_t>(s.origin.router)].id;
      case Origin::Type::kVpnGateway:
        return t_.vpn_gateways()[static_cast<std::size_t>(s.origin.router)].id;
    }
    return "";
  }

  // ---- names ------------------------------------------------------------------------

  // Node groups a name stands for: the group itself, "master" for "head" (ParallelCluster
  // v2 naming), and "compute" for every "compute:QUEUE" group.
  std::vector<int> GroupsNamed(const std::string& name) const {
    if (const auto g = t_.FindGroup(name)) return {*g};
    std::vector<int> out;
    if (name == "master") {
      if (const auto g = t_.FindGroup("head")) out.push_back(*g);
    }
    const std::vector<int> queues = t_.GroupsWithPrefix(name + ":");
    out.insert(out.end(), queues.begin(), queues.end());
    return out;
  }

  // The node ENI holding a private address. VPCs that are not peered may overlap, so an
  // address held in two VPCs is ambiguous and must be named by its ENI id.
  std::optional<std::int64_t> EniByAddress(Ipv4 ip, const std::string& location) const {
    std::optional<std::int64_t> found;
    for (std::size_t v = 0; v < t_.vpcs().size(); ++v) {
      const Owner o = t_.FindPrivateOwner(static_cast<int>(v), ip);
      if (o.type != Owner::Type::kNodeEni) continue;
      if (found) {
        Fail(location, FormatIpv4(ip) + " is held by " + t_.EniId(*found) + " and by " +
                           t_.EniId(o.index) + " (overlapping VPCs); name the network interface");
      }
      found = o.index;
    }
    return found;
  }

  std::vector<Source> ResolveSources() const {
    const std::string& from = spec_.from;
    std::vector<std::int64_t> enis;
    if (const auto groups = GroupsNamed(from); !groups.empty()) {
      for (int g : groups) {
        const GroupInfo& info = t_.groups()[static_cast<std::size_t>(g)];
        for (std::int64_t k = 0; k < info.count; ++k) enis.push_back(info.first_eni + k);
      }
    } else if (const auto eni = t_.FindEniById(from)) {
      enis.push_back(*eni);
    } else if (const auto ip = ParseIpv4(from)) {
      const auto eni_by_ip = EniByAddress(*ip, spec_.from_location);
      if (!eni_by_ip)
        Fail(spec_.from_location, "no network interface in the input has the address " + from);
      enis.push_back(*eni_by_ip);
    } else if (from == "internet" || from.starts_with("internet:")) {
      Source s;
      s.origin.type = Origin::Type::kInternet;
      s.origin.address = t_.internet_address();
      if (from.size() > 9) {
        const auto given = ParseIpv4(from.substr(9));
        if (!given)
          Fail(spec_.from_location,
               "\"" + from + "\": write internet:ADDRESS, such as internet:8.8.8.8");
        s.origin.address = *given;
      }
      return {s};
    } else if (const auto router = RouterSource(from)) {
      return {*router};
    } else {
      for (std::size_t i = 0; i < t_.sites().size(); ++i) {
        const SiteInfo& site = t_.sites()[i];
        if (from != site.id && !from.starts_with(site.id + ":")) continue;
        Source s;
        s.origin.type = Origin::Type::kSite;
        s.origin.site = static_cast<int>(i);
        s.origin.address = site.cidrs.front().first() + 10;
        if (from.size() > site.id.size()) {
          const auto given = ParseIpv4(from.substr(site.id.size() + 1));
          if (!given) Fail(spec_.from_location, "\"" + from + "\": write SITE:ADDRESS");
          s.origin.address = *given;
        }
        return {s};
      }
      Fail(spec_.from_location,
           "\"" + from +
               "\" is not a node group, network interface id, instance id or private "
               "IPv4 address of this input (node groups: " +
               GroupList() + ")");
    }
    if (enis.empty()) Fail(spec_.from_location, "\"" + from + "\" has no network interfaces");
    return mode_ == Evaluation::kPerEni ? Singletons(enis) : Classes(enis);
  }

  // vpc-ID[:ADDR], subnet-ID[:ADDR] and vgw-ID[:ADDR]: a packet injected at the VPC's
  // router (as from a gateway), leaving a subnet (from an address no ENI need hold), or
  // arriving at a virtual private gateway from its VPN side. ADDR defaults to 0.0.0.0,
  // the unset source of Batfish's router-started traces.
  std::optional<Source> RouterSource(const std::string& from) const {
    const std::size_t colon = from.find(':');
    const std::string id = from.substr(0, colon);
    Source s;
    auto find = [&](const auto& list, Origin::Type type) {
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].id != id) continue;
        s.origin.type = type;
        s.origin.router = static_cast<int>(i);
        return true;
      }
      return false;
    };
    if (!find(t_.vpcs(), Origin::Type::kVpcRouter) &&
        !find(t_.subnets(), Origin::Type::kSubnetRouter) &&
        !find(t_.vpn_gateways(), Origin::Type::kVpnGateway))
      return std::nullopt;
    if (colon != std::string::npos) {
      const auto given = ParseIpv4(from.substr(colon + 1));
      if (!given)
        Fail(spec_.from_location,
             "\"" + from + "\": write " + id + ":ADDRESS, such as " + id + ":10.0.0.5");
      s.origin.address = *given;
    }
    return s;
  }

  std::string GroupList() const {
    std::string out;
    for (const auto& g : t_.groups()) out += (out.empty() ? "" : ", ") + g.name;
    return out.empty() ? "none" : out;
  }

  std::vector<Source> Singletons(const std::vector<std::int64_t>& enis) const {
    std::vector<Source> out;
    for (std::int64_t e : enis) {
      Source s;
      s.origin.eni = e;
      s.members = {e};
      out.push_back(s);
    }
    return out;
  }

  // Sources that AWS forwards and filters identically: same subnet, security groups,
  // public-IP status, proxy, ephemeral ports, host-served endpoints (IMDS switch, ECS
  // task endpoint) and the same address atoms.
  std::vector<Source> Classes(const std::vector<std::int64_t>& enis) const {
    // The group-level part of the key is computed once per node group, so the loop over
    // ENIs only looks up address atoms.
    GroupNumbering<GroupClassKey> groups(t_.groups().size());
    using Key = std::tuple<int, bool, std::size_t, std::size_t>;
    std::map<Key, std::size_t> index;
    std::vector<Source> out;
    // Node groups' ENIs come in address order, mostly inside one atom: the atom of the
    // previous address is kept with where it ends, and the class of the previous key.
    struct Run {
      Ipv4 lo = 1, hi = 0;  // [lo, hi) of the atom; empty at first
      std::size_t atom = 0;
      std::size_t Of(const Topology& t, Ipv4 ip) {
        if (ip < lo || ip >= hi) {
          atom = t.AtomOf(ip);
          lo = ip;
          const auto next = t.NextAtomStart(ip);
          hi = next ? *next : 0xFFFFFFFFu;
        }
        return atom;
      }
    } private_atoms, public_atoms;
    std::optional<Key> last;
    std::size_t last_index = 0;
    for (std::int64_t e : enis) {
      const Eni& eni = t_.enis()[static_cast<std::size_t>(e)];
      const int gc = groups.Of(eni.group, [&] { return GroupClassOf(t_, eni.group); });
      const Key key{gc, eni.public_ip != 0, private_atoms.Of(t_, eni.ip),
                    eni.public_ip ? public_atoms.Of(t_, eni.public_ip) : 0};
      if (!last || key != *last) {
        auto [it, inserted] = index.emplace(key, out.size());
        if (inserted) {
          Source s;
          s.origin.eni = e;
          s.count = 0;
          out.push_back(s);
        }
        last = key;
        last_index = it->second;
      }
      Source& s = out[last_index];
      ++s.count;
      if (s.members.size() < 2) s.members.push_back(e);
    }
    return out;
  }

  Destination ResolveDestination() const {
    const std::string& to = spec_.to;
    Destination d;
    if (to.starts_with("service:")) {
      const std::string name = to.substr(8);
      const CatalogService* service = t_.catalog().Find(name);
      if (!service) {
        std::string names;
        for (const auto& s : t_.catalog().services()) names += (names.empty() ? "" : ", ") + s.name;
        Fail(spec_.to_location, "no service \"" + name + "\" in the catalog (" + names + ")");
      }
      d.type = Destination::Type::kName;
      d.name = t_.catalog().Hostname(*service, t_.region());
      d.service = static_cast<int>(service - t_.catalog().services().data());
      d.description = service->description + " (" + d.name + ")";
      return d;
    }
    if (to == "internet") {
      d.address = t_.internet_address();
      d.description = "a host on the internet (" + FormatIpv4(d.address) + ")";
      return d;
    }
    if (const auto ip = ParseIpv4(to)) {
      d.address = *ip;
      d.description = to;
      if (const auto eni = EniByAddress(*ip, spec_.to_location)) {
        d.proxyable = false;
        d.description = to + " (" + t_.EniId(*eni) + ")";
      } else if (IsRfc1918(*ip)) {
        d.proxyable = false;
      }
      return d;
    }
    if (const auto groups = GroupsNamed(to); !groups.empty()) {
      d.type = Destination::Type::kEnis;
      d.proxyable = false;
      for (int g : groups) {
        const GroupInfo& info = t_.groups()[static_cast<std::size_t>(g)];
        for (std::int64_t k = 0; k < info.count; ++k) d.enis.push_back(info.first_eni + k);
      }
      d.description = "node group " + to;
      return d;
    }
    if (const auto eni = t_.FindEniById(to)) {
      d.type = Destination::Type::kEnis;
      d.proxyable = false;
      d.enis = {*eni};
      d.description = t_.EniId(*eni);
      return d;
    }
    if (LooksLikeHostname(to)) {
      d.type = Destination::Type::kName;
      d.name = ToLower(to);
      if (const auto match = t_.catalog().MatchHostname(d.name)) {
        d.service = static_cast<int>(match->service - t_.catalog().services().data());
      }
      d.description = to;
      return d;
    }
    Fail(spec_.to_location,
         "\"" + to +
             "\" is not a service:NAME, DNS name, IPv4 address, internet, node group, "
             "network interface id or instance id of this input");
  }

  // ---- DNS ----------------------------------------------------------------------------

  // Representative addresses of a set of CIDRs: one per address atom.
  std::vector<Ipv4> Representatives(const std::vector<Cidr>& cidrs) const {
    std::vector<Ipv4> out;
    for (const Cidr& c : cidrs) {
      for (Ipv4 a = c.first();;) {
        const auto next = t_.NextAtomStart(a);
        // Prefer a host address to the network address when the atom has more than one.
        const bool wide = (!next || *next > a + 1) && a < c.last();
        out.push_back(wide ? a + 1 : a);
        if (!next || *next > c.last()) break;
        a = *next;
      }
    }
    return out;
  }

  // Resolves a name as the Amazon-provided DNS server of `vpc` would, or as public DNS
  // when `vpc` is -1 (on premises). Semantics reference §7.3, §8.
  DnsAnswer Resolve(const std::string& name, int vpc) const {
    DnsAnswer a;
    a.name = name;
    a.resolver = vpc >= 0 ? t_.vpcs()[static_cast<std::size_t>(vpc)].id : "public DNS";
    if (vpc >= 0 && !t_.vpcs()[static_cast<std::size_t>(vpc)].dns_support) {
      a.resolved = false;
      a.note = "enableDnsSupport is false on " + a.resolver +
               ": the Amazon-provided DNS server does not answer";
      return a;
    }
    for (const ProxyInfo& p : t_.proxies()) {
      if (ToLower(p.host) != name) continue;
      if (p.site >= 0) {
        a.addresses = {p.address};
      } else {
        a.addresses = {t_.enis()[static_cast<std::size_t>(
                                     t_.groups()[static_cast<std::size_t>(p.group)].first_eni)]
                           .ip};
      }
      a.note = "the proxy's name";
      return a;
    }
    const auto match = t_.catalog().MatchHostname(name);
    if (!match) {
      a.addresses = {t_.internet_address()};
      a.note = name + " is not an AWS service name; it resolves to a public address outside AWS";
      return a;
    }
    if (vpc >= 0 && match->region == t_.region()) {
      const VpcInfo& v = t_.vpcs()[static_cast<std::size_t>(vpc)];
      for (const EndpointInfo& ep : t_.endpoints()) {
        if (ep.vpc != vpc) continue;
        ReadLog::Note(Kind::kVpcEndpoint, static_cast<int>(&ep - t_.endpoints().data()));
        if (ep.type != EndpointType::kInterface || ep.service != match->service ||
            !ep.private_dns) {
          continue;
        }
        if (!ep.available) {
          a.note = "interface endpoint " + ep.id + " is " + ep.state +
                   ", so its private DNS zone is not in effect";
          continue;
        }
        // AWS: private DNS of an interface endpoint needs both VPC DNS attributes.
        if (!v.dns_hostnames) {
          a.note = "interface endpoint " + ep.id +
                   " has private DNS, but enableDnsHostnames is false on " + v.id +
                   ", so the name resolves to the public endpoint";
          continue;
        }
        for (int eni : ep.enis)
          a.addresses.push_back(t_.endpoint_enis()[static_cast<std::size_t>(eni)].ip);
        a.note = "private DNS of interface endpoint " + ep.id;
        return a;
      }
    }
    a.addresses = Representatives(t_.catalog().Cidrs(*match->service, match->region));
    if (a.note.empty())
      a.note = "public endpoint of " + match->service->description + " in " + match->region;
    if (a.addresses.empty()) {
      a.resolved = false;
      a.note = "the catalog has no addresses for " + match->service->name + " in " + match->region;
    }
    return a;
  }

  // ---- evaluation ---------------------------------------------------------------------

  Probe MakeProbe(Ipv4 destination) const {
    return Probe{destination, spec_.protocol, spec_.port, spec_.icmp_code, dest_.service};
  }

  Trace WalkCounted(const Origin& origin, const Probe& probe) {
    ++evaluations_;
    return Walk(t_, origin, probe);
  }

  int VpcOfSource(const Source& s) const {
    if (s.origin.type != Origin::Type::kEni) return -1;
    const Eni& e = t_.enis()[static_cast<std::size_t>(s.origin.eni)];
    return t_
        .subnets()[static_cast<std::size_t>(t_.groups()[static_cast<std::size_t>(e.group)].subnet)]
        .vpc;
  }

  // Destination classes of node-ENI destinations.
  std::vector<Target> EniTargets() const {
    std::vector<Target> out;
    if (mode_ == Evaluation::kPerEni) {
      for (std::int64_t e : dest_.enis)
        out.push_back({t_.enis()[static_cast<std::size_t>(e)].ip, {e}, 1});
      return out;
    }
    // A destination is told apart by its subnet, security groups and address atom.
    GroupNumbering<std::pair<int, std::vector<int>>> groups(t_.groups().size());
    std::map<std::pair<int, std::size_t>, std::size_t> index;
    for (std::int64_t e : dest_.enis) {
      const Eni& eni = t_.enis()[static_cast<std::size_t>(e)];
      const int gc = groups.Of(eni.group, [&] {
        const GroupInfo& g = t_.groups()[static_cast<std::size_t>(eni.group)];
        return std::make_pair(g.subnet, g.security_groups);
      });
      auto [it, inserted] = index.emplace(std::make_pair(gc, t_.AtomOf(eni.ip)), out.size());
      if (inserted) out.push_back({eni.ip, {}, 0});
      Target& target = out[it->second];
      ++target.count;
      if (target.members.size() < 2) target.members.push_back(e);
    }
    return out;
  }

  // Evaluates one source against every address the destination stands for.
  Verdict EvaluateSource(const Source& source, Trace& trace, DnsAnswer& dns,
                         std::string& via_proxy) {
    const int vpc = VpcOfSource(source);
    if (source.origin.type == Origin::Type::kEni) {
      const Eni& e = t_.enis()[static_cast<std::size_t>(source.origin.eni)];
      const GroupInfo& g = t_.groups()[static_cast<std::size_t>(e.group)];
      // HTTP clients send connections to their proxy unless no_proxy names the
      // destination; intra-cluster traffic (node groups, private addresses) goes direct.
      if (g.proxy >= 0 && spec_.protocol == proto::kTcp && dest_.proxyable) {
        const ProxyInfo& proxy = t_.proxies()[static_cast<std::size_t>(g.proxy)];
        const std::string host =
            dest_.type == Destination::Type::kName ? dest_.name : FormatIpv4(dest_.address);
        if (!MatchesNoProxy(proxy.no_proxy, host)) {
          via_proxy = proxy.id;
          return EvaluateProxied(source, proxy, host, trace, dns);
        }
      }
    }
    std::vector<Target> targets;
    if (dest_.type == Destination::Type::kEnis) {
      targets = EniTargets();
    } else if (dest_.type == Destination::Type::kAddress) {
      targets.push_back({dest_.address, {}, 1});
      dns.addresses = {dest_.address};
    } else {
      dns = Resolve(dest_.name, vpc);
      if (!dns.resolved) {
        trace = DnsFailure(source, dns);
        return Verdict::kUnreachable;
      }
      for (Ipv4 a : dns.addresses) targets.push_back({a, {}, 1});
    }
    return EvaluateTargets(source.origin, source.members, targets, dns, trace);
  }

  Verdict EvaluateTargets(const Origin& origin, const std::vector<std::int64_t>& source_members,
                          const std::vector<Target>& targets, const DnsAnswer& dns, Trace& trace) {
    int reachable = 0, unreachable = 0, evaluated = 0;
    bool chosen = false;
    for (const Target& target : targets) {
      Origin o = origin;
      Ipv4 address = target.address;
      std::int64_t expected = target.members.empty() ? -1 : target.members.front();
      if (!target.members.empty() && origin.type == Origin::Type::kEni &&
          target.members.front() == origin.eni) {
        // A node does not ask the network about itself: use another member of the
        // source's class, or of the destination's.
        if (target.members.size() > 1) {
          expected = target.members[1];
          address = t_.enis()[static_cast<std::size_t>(expected)].ip;
        } else if (source_members.size() > 1) {
          o.eni = source_members[1];
        } else {
          continue;
        }
      }
      Probe probe = MakeProbe(address);
      probe.expected_eni = expected;
      Trace t = WalkCounted(o, probe);
      ++evaluated;
      if (t.verdict == Verdict::kReachable) {
        ++reachable;
      } else if (t.verdict == Verdict::kUnreachable) {
        ++unreachable;
      }
      if (!chosen || (trace.verdict == Verdict::kReachable && t.verdict != Verdict::kReachable)) {
        trace = std::move(t);
        chosen = true;
      }
    }
    if (evaluated == 0) {
      trace = Trace{};
      trace.verdict = Verdict::kReachable;
      trace.forward_ok = trace.return_ok = true;
      return Verdict::kReachable;
    }
    InsertDnsHop(trace, dns);
    if (reachable == evaluated) return Verdict::kReachable;
    if (unreachable == evaluated) return Verdict::kUnreachable;
    return Verdict::kPartial;
  }

  static void InsertDnsHop(Trace& trace, const DnsAnswer& dns) {
    if (dns.name.empty() || trace.forward.empty()) return;
    std::string answer;
    for (Ipv4 a : dns.addresses) answer += (answer.empty() ? "" : ", ") + FormatIpv4(a);
    trace.forward.insert(
        trace.forward.begin() + 1,
        Hop{dns.resolver, Kind::kDns, dns.name + " -> " + answer + " (" + dns.note + ")", "", ""});
  }

  Trace DnsFailure(const Source& source, const DnsAnswer& dns) const {
    Trace trace;
    if (source.origin.type == Origin::Type::kEni) {
      trace.forward.push_back({t_.EniId(source.origin.eni), Kind::kNetworkInterface, "", "", ""});
    }
    trace.forward.push_back(
        {dns.resolver, Kind::kDns, "BLOCKED DNS_NOT_RESOLVED: " + dns.note, "", ""});
    const bool no_support = dns.note.find("enableDnsSupport") != std::string::npos;
    const std::string fix = no_support ? "set enableDnsSupport to true on " + dns.resolver
                                       : "add the service's addresses for this Region under "
                                         "\"services\" in the scenario";
    trace.blocked.push_back({dns.resolver, Kind::kDns, "DNS_NOT_RESOLVED", "forward",
                             dns.name + " cannot be resolved: " + dns.note, fix, false});
    trace.verdict = Verdict::kUnreachable;
    return trace;
  }

  // Two legs: source -> proxy, then proxy -> destination with DNS resolved where the
  // proxy runs (semantics reference §9, §10.1).
  Verdict EvaluateProxied(const Source& source, const ProxyInfo& proxy, const std::string& host,
                          Trace& trace, DnsAnswer& dns) {
    const Ipv4 proxy_address =
        proxy.site >= 0
            ? proxy.address
            : t_.enis()[static_cast<std::size_t>(
                            t_.groups()[static_cast<std::size_t>(proxy.group)].first_eni)]
                  .ip;
    Probe to_proxy{proxy_address, proto::kTcp, proxy.port, 0, -1};
    if (proxy.group >= 0)
      to_proxy.expected_eni = t_.groups()[static_cast<std::size_t>(proxy.group)].first_eni;
    Trace leg1 = WalkCounted(source.origin, to_proxy);
    const Hop proxy_hop{
        proxy.id, Kind::kProxy,
        "HTTP proxy " + proxy.host + ":" + std::to_string(proxy.port) + " (" +
            FormatIpv4(proxy_address) +
            (proxy.site >= 0
                 ? ", on premises in " + t_.sites()[static_cast<std::size_t>(proxy.site)].id
                 : ", node group " + t_.groups()[static_cast<std::size_t>(proxy.group)].name) +
            ")",
        "", ""};
    Trace leg2;
    Verdict v2 = Verdict::kUnreachable;
    if (dest_.type == Destination::Type::kAddress && IsLinkLocal(dest_.address)) {
      // Link-local services answer on each host: through a proxy the request would
      // reach the proxy's own host (semantics reference §9: NO_PROXY must list them).
      leg2.blocked.push_back({proxy.id, Kind::kProxy, "NO_POSSIBLE_DESTINATION", "forward",
                              host + " is link-local: sent to proxy " + proxy.id +
                                  ", the request would not reach this node's own " + host,
                              "add " + host + " to no_proxy of the node's proxy settings", false});
    } else if (!DomainAllowed(proxy.allowed_domains, host)) {
      leg2.forward.push_back(proxy_hop);
      leg2.forward.back().detail =
          "BLOCKED PROXY_NOT_ALLOWED: " + host + " is not in the allow-list";
      std::string list;
      for (const auto& d : proxy.allowed_domains) list += (list.empty() ? "" : ", ") + d;
      leg2.blocked.push_back(
          {proxy.id, Kind::kProxy, "PROXY_NOT_ALLOWED", "forward",
           "proxy " + proxy.id + " allows only " + list + "; " + host + " is not among them",
           "add " + host + " (or its domain) to the allowed domains of " + proxy.id +
               ", or add it to no_proxy if the source can reach it directly",
           false});
      leg2.forward.erase(leg2.forward.begin());
    } else {
      Origin proxy_origin;
      int proxy_vpc = -1;
      if (proxy.site >= 0) {
        proxy_origin.type = Origin::Type::kSite;
        proxy_origin.site = proxy.site;
        proxy_origin.address = proxy.address;
      } else {
        const GroupInfo& g = t_.groups()[static_cast<std::size_t>(proxy.group)];
        proxy_origin.eni = g.first_eni;
        proxy_vpc = t_.subnets()[static_cast<std::size_t>(g.subnet)].vpc;
      }
      std::vector<Target> targets;
      if (dest_.type == Destination::Type::kName) {
        dns = Resolve(dest_.name, proxy_vpc);
        if (!dns.resolved) {
          Source s;
          s.origin = proxy_origin;
          leg2 = DnsFailure(s, dns);
        }
      } else {
        dns.addresses = {dest_.address};
      }
      if (dns.resolved) {
        for (Ipv4 a : dns.addresses) targets.push_back({a, {}, 1});
        v2 = EvaluateTargets(proxy_origin, {}, targets, dns, leg2);
      }
    }
    // Compose: leg 1, the proxy, leg 2; replies come back the other way.
    Trace out;
    out.forward = leg1.forward;
    out.forward.push_back(proxy_hop);
    out.forward.insert(out.forward.end(), leg2.forward.begin(), leg2.forward.end());
    out.ret = leg2.ret;
    if (!leg2.ret.empty() || leg2.verdict != Verdict::kUnreachable) out.ret.push_back(proxy_hop);
    out.ret.insert(out.ret.end(), leg1.ret.begin(), leg1.ret.end());
    out.blocked = leg1.blocked;
    out.blocked.insert(out.blocked.end(), leg2.blocked.begin(), leg2.blocked.end());
    std::stable_partition(out.blocked.begin(), out.blocked.end(),
                          [](const Block& b) { return !b.partial; });
    out.arrival = leg2.arrival;
    out.forward_ok = leg1.forward_ok && leg2.forward_ok;
    out.return_ok = leg1.return_ok && leg2.return_ok;
    out.return_fraction = leg1.return_fraction * leg2.return_fraction;
    out.return_note = leg1.return_note +
                      (leg1.return_note.empty() || leg2.return_note.empty() ? "" : "; ") +
                      leg2.return_note;
    const Verdict v1 = leg1.verdict;
    if (v1 == Verdict::kUnreachable || v2 == Verdict::kUnreachable) {
      out.verdict = Verdict::kUnreachable;
    } else if (v1 == Verdict::kPartial || v2 == Verdict::kPartial) {
      out.verdict = Verdict::kPartial;
    } else {
      out.verdict = Verdict::kReachable;
    }
    trace = std::move(out);
    return trace.verdict;
  }

  const Topology& t_;
  const QuerySpec& spec_;
  Evaluation mode_;
  Destination dest_;
  std::atomic<std::int64_t> evaluations_ = 0;
};

}  // namespace

bool MatchesNoProxy(const std::vector<std::string>& no_proxy, const std::string& host) {
  const std::string h = ToLower(host);
  const auto ip = ParseIpv4(h);
  for (const std::string& raw : no_proxy) {
    const std::string entry = ToLower(raw);
    if (entry.empty()) continue;
    if (ip) {
      if (const auto cidr = ParseCidr(entry, false); cidr && cidr->Contains(*ip)) return true;
      if (const auto e = ParseIpv4(entry); e && *e == *ip) return true;
      if (entry == "*") return true;
      continue;
    }
    if (DomainMatches(entry, h)) return true;
  }
  return false;
}

bool DomainAllowed(const std::vector<std::string>& allowed, const std::string& host) {
  if (allowed.empty()) return true;
  const std::string h = ToLower(host);
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& d) { return DomainMatches(d, h); });
}

QueryResult Evaluate(const Topology& topology, const QuerySpec& spec, Evaluation mode) {
  return QueryEvaluator(topology, spec, mode).Run();
}

}  // namespace sim
