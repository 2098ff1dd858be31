#include "sim/load/pcluster_place.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace sim {
namespace {

class Placer {
 public:
  Placer(Scenario& s, const PclusterConfig& c, DiagnosticSink& sink) : s_(s), c_(c), sink_(sink) {}

  void Run() {
    for (const char* name : {kHeadGroup, kComputeGroup, kBatchInstanceGroup, kBatchTaskGroup}) {
      if (std::any_of(s_.node_groups.begin(), s_.node_groups.end(),
                      [&](const NodeGroup& g) { return g.name == name; })) {
        sink_.Error(c_.head_subnet.at.empty() ? "/" : c_.head_subnet.at,
                    std::string("the input already has a node group named ") + name +
                        "; placing the cluster would add another");
        return;
      }
    }
    if (c_.region.set() && c_.region.value != s_.region) {
      sink_.Warn(c_.region.at, "the config names Region " + c_.region.value +
                                   " but the network is in " + s_.region + "; using " + s_.region);
    }
    const Subnet* found = FindSubnet(c_.head_subnet);
    if (!found) return;
    // A copy: placement adds subnets, which moves the scenario's list.
    const Subnet head = *found;
    const Subnet* head_subnet = &head;
    vpc_ = head_subnet->vpc;
    if (c_.vpc_id.set() && c_.vpc_id.value != vpc_) {
      sink_.Error(c_.vpc_id.at, "vpc_id is " + c_.vpc_id.value + " but master_subnet_id " +
                                    head_subnet->id + " is in " + vpc_);
    }
    PlaceHead(*head_subnet);
    if (c_.version == 2) {
      PlaceV2Fleet(*head_subnet);
    } else {
      PlaceV3Queues();
    }
    CreateManagedGroups();
  }

 private:
  std::string Loc(const std::string& at) const { return InFile(c_.source, at.empty() ? "/" : at); }

  const Subnet* FindSubnet(const Located<std::string>& id) {
    for (const Subnet& sn : s_.subnets) {
      if (sn.id == id.value) {
        if (!vpc_.empty() && sn.vpc != vpc_) {
          // ParallelCluster's SubnetsValidator (parallelcluster.md §4.2).
          sink_.Error(id.at, "Subnet " + sn.id + " is not in VPC " + vpc_ +
                                 ". Please make sure all subnets are in the same VPC.");
          return nullptr;
        }
        return &sn;
      }
    }
    sink_.Error(id.at.empty() ? "/" : id.at,
                "subnet " + id.value + " is not in the input (" + s_.source + ")");
    return nullptr;
  }

  bool SecurityGroupOk(const Located<std::string>& id) {
    // v2's additional_sg goes on the head and the compute fleet: report it once.
    if (const auto known = checked_sgs_.find(id.at); known != checked_sgs_.end())
      return known->second;
    return checked_sgs_[id.at] = CheckSecurityGroup(id);
  }

  bool CheckSecurityGroup(const Located<std::string>& id) {
    for (const SecurityGroup& g : s_.security_groups) {
      if (g.id != id.value) continue;
      if (g.vpc != vpc_) {
        sink_.Error(id.at, "security group " + g.id + " belongs to " + g.vpc +
                               ", not to the cluster's VPC " + vpc_);
        return false;
      }
      return true;
    }
    sink_.Error(id.at, "security group " + id.value + " is not in the input (" + s_.source + ")");
    return false;
  }

  // Managed group (when `replacing` is empty) plus the additional groups.
  // The primary groups (managed or replacing) are remembered: ParallelCluster's
  // managed groups admit each other's primary groups, not the additional ones.
  std::vector<std::string> Groups(const std::vector<Located<std::string>>& replacing,
                                  const std::vector<Located<std::string>>& additional,
                                  const char* managed) {
    std::vector<std::string> out;
    if (replacing.empty()) {
      out.push_back(managed);
    } else {
      for (const auto& g : replacing) {
        if (SecurityGroupOk(g)) out.push_back(g.value);
      }
    }
    auto& primary = std::string(managed) == kPclusterHeadSg ? head_primary_ : compute_primary_;
    primary.insert(out.begin(), out.end());
    for (const auto& g : additional) {
      if (SecurityGroupOk(g) && std::find(out.begin(), out.end(), g.value) == out.end())
        out.push_back(g.value);
    }
    return out;
  }

  std::vector<Located<std::string>> V2Replacing() const {
    if (c_.vpc_security_group.set()) return {c_.vpc_security_group};
    return {};
  }
  std::vector<Located<std::string>> V2Additional() const {
    if (c_.additional_sg.set()) return {c_.additional_sg};
    return {};
  }

  // The HTTP proxy a node's software uses: `no_proxy` is localhost, 127.0.0.1 and
  // 169.254.169.254 only, so every AWS API call goes through it (parallelcluster.md §1.5).
  std::string Proxy(const Located<std::string>& url) {
    if (!url.set() || url.value.empty()) return "";
    if (const auto it = proxies_.find(url.value); it != proxies_.end()) return it->second;
    const std::size_t scheme = url.value.find("://");
    std::string rest = url.value.substr(scheme == std::string::npos ? 0 : scheme + 3);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    const std::size_t colon = rest.rfind(':');
    const std::string host = rest.substr(0, colon);
    int port = 3128;
    try {
      port = std::stoi(rest.substr(colon + 1));
    } catch (...) {
    }
    sim::Proxy x;
    x.id = proxies_.empty()
               ? kPclusterProxy
               : std::string(kPclusterProxy) + "-" + std::to_string(proxies_.size() + 1);
    x.host = host;
    x.port = port;
    x.no_proxy = {"localhost", "127.0.0.1", "169.254.169.254"};
    x.pointer = Loc(url.at);
    bool found = false;
    for (const sim::Proxy& known : s_.proxies) {
      if (known.host != host && known.id != host) continue;
      x.node_group = known.node_group;
      x.onprem_site = known.onprem_site;
      x.address = known.address;
      x.allowed_domains = known.allowed_domains;
      if (known.port != port)
        sink_.Warn(url.at, "the input's proxy " + known.id + " listens on port " +
                               std::to_string(known.port) + "; the config connects to " +
                               std::to_string(port));
      found = true;
      break;
    }
    if (!found) {
      if (const auto ip = ParseIpv4(host)) {
        for (const NodeGroup& g : s_.node_groups) {
          if (std::find(g.private_ips.begin(), g.private_ips.end(), *ip) != g.private_ips.end()) {
            x.node_group = g.name;
            found = true;
          }
        }
        for (const OnPremSite& site : s_.onprem_sites) {
          if (found) break;
          if (std::any_of(site.cidrs.begin(), site.cidrs.end(),
                          [&](const Cidr& c) { return c.Contains(*ip); })) {
            x.onprem_site = site.id;
            x.address = *ip;
            found = true;
          }
        }
      }
    }
    if (!found) {
      proxies_[url.value] = "";  // reported once
      sink_.Error(url.at, "proxy host " + host +
                              " is neither a proxy of the input (by id or host) nor the address "
                              "of a node group or on-premises site in it");
      return "";
    }
    s_.proxies.push_back(x);
    proxies_[url.value] = x.id;
    return x.id;
  }

  NodeGroup Group(const std::string& name, const std::string& role, const std::string& subnet,
                  const std::string& at) {
    NodeGroup g;
    g.name = name;
    g.role = role;
    g.subnet = subnet;
    g.pointer = Loc(at);
    return g;
  }

  void PlaceHead(const Subnet& subnet) {
    NodeGroup g = Group(kHeadGroup, "head", subnet.id, c_.head_subnet.at);
    if (c_.version == 2) {
      head_sgs_ = Groups(V2Replacing(), V2Additional(), kPclusterHeadSg);
      // use_public_ips = true: an Elastic IP on the head ENI; false: the subnet decides
      // (parallelcluster.md §1.2). The head ENI is created with SourceDestCheck false and
      // the head node masquerades for the VPC (configure-pat.sh, §1.3).
      if (c_.use_public_ips.value) g.public_ip = true;
      g.source_dest_check = false;
      g.source_nat = true;
    } else {
      head_sgs_ =
          Groups(c_.head_security_groups, c_.head_additional_security_groups, kPclusterHeadSg);
      // ElasticIp true or an allocation: an Elastic IP; false (default): the subnet decides.
      if (c_.elastic_ip.set() && c_.elastic_ip.value != "false") g.public_ip = true;
    }
    g.security_groups = head_sgs_;
    g.proxy = Proxy(c_.head_proxy);
    s_.node_groups.push_back(g);
  }

  void PlaceV2Fleet(const Subnet& head_subnet) {
    if (c_.queues.empty()) return;
    const PclusterQueue& q = c_.queues.front();
    std::string subnet = head_subnet.id;
    std::string at = c_.head_subnet.at;
    if (c_.compute_subnet.set()) {
      const Subnet* sn = FindSubnet(c_.compute_subnet);
      if (!sn) return;
      subnet = sn->id;
      at = c_.compute_subnet.at;
      if (c_.compute_subnet_cidr.set())
        sink_.Warn(c_.compute_subnet_cidr.at,
                   "ignored: compute_subnet_id is set, so ParallelCluster creates no subnet");
    } else if (c_.compute_subnet_cidr.set()) {
      subnet = CreateComputeSubnet(head_subnet);
      at = c_.compute_subnet_cidr.at;
    }
    const bool in_head_subnet = subnet == head_subnet.id;
    const auto sgs = Groups(V2Replacing(), V2Additional(), kPclusterComputeSg);
    compute_sgs_.insert(compute_sgs_.end(), sgs.begin(), sgs.end());
    if (c_.scheduler.value == "awsbatch") {
      PlaceBatch(subnet, at, sgs);
      return;
    }
    NodeGroup g = Group(kComputeGroup, "compute", subnet, at);
    // Compute nodes get a public IPv4 only in the head node's subnet with use_public_ips;
    // the launch template says false explicitly otherwise (parallelcluster.md §1.2).
    g.public_ip = in_head_subnet && c_.use_public_ips.value;
    g.security_groups = sgs;
    g.proxy = Proxy(c_.head_proxy);
    g.count = q.count;
    s_.node_groups.push_back(g);
  }

  // compute_subnet_cidr: a subnet in the head node's AZ whose route table sends
  // 0.0.0.0/0 to the head node's ENI (parallelcluster.md §1.3).
  std::string CreateComputeSubnet(const Subnet& head_subnet) {
    Subnet sn;
    sn.id = kPclusterComputeSubnet;
    sn.vpc = vpc_;
    sn.cidr = ParseCidr(c_.compute_subnet_cidr.value, false).value_or(Cidr{});
    sn.availability_zone = head_subnet.availability_zone;
    sn.pointer = Loc(c_.compute_subnet_cidr.at);
    s_.subnets.push_back(sn);
    RouteTable t;
    t.id = kPclusterComputeRouteTable;
    t.vpc = vpc_;
    t.subnets = {sn.id};
    t.pointer = sn.pointer;
    Route r;
    r.destination = Cidr{0, 0};
    r.target_kind = TargetKind::kNetworkInterface;
    r.target = kHeadGroup;
    r.pointer = sn.pointer;
    t.routes.push_back(r);
    s_.route_tables.push_back(t);
    return sn.id;
  }

  void PlaceBatch(const std::string& subnet, const std::string& at,
                  const std::vector<std::string>& sgs) {
    // Container instances: the compute environment sets no public-IP property, so the
    // subnet's auto-assign setting decides. Task ENIs of multi-node parallel jobs are
    // awsvpc ENIs: never a public IPv4. Neither gets the proxy (parallelcluster.md §1.5,
    // §5).
    NodeGroup instance = Group(kBatchInstanceGroup, "batch-instance", subnet, at);
    instance.security_groups = sgs;
    instance.count = 2;
    s_.node_groups.push_back(instance);
    NodeGroup task = Group(kBatchTaskGroup, "batch-task", subnet, at);
    task.security_groups = sgs;
    task.count = 2;
    s_.node_groups.push_back(task);
  }

  void PlaceV3Queues() {
    if (c_.queues.empty()) return;  // reported by the reader
    if (c_.scheduler.value == "awsbatch") {
      const PclusterQueue& q = c_.queues.front();
      if (q.subnets.empty()) return;
      if (q.subnets.size() > 1)
        sink_.Warn(q.subnets[1].at, "AWS Batch queues use one subnet; the others are ignored");
      const Subnet* sn = FindSubnet(q.subnets.front());
      if (!sn) return;
      const auto sgs = Groups(q.security_groups, q.additional_security_groups, kPclusterComputeSg);
      compute_sgs_.insert(compute_sgs_.end(), sgs.begin(), sgs.end());
      PlaceBatch(sn->id, q.subnets.front().at, sgs);
      return;
    }
    for (const PclusterQueue& q : c_.queues) {
      const auto sgs = Groups(q.security_groups, q.additional_security_groups, kPclusterComputeSg);
      compute_sgs_.insert(compute_sgs_.end(), sgs.begin(), sgs.end());
      const std::string proxy = Proxy(q.proxy);
      for (const auto& id : q.subnets) {
        const Subnet* sn = FindSubnet(id);
        if (!sn) continue;
        std::string name = std::string(kComputeGroup) + ":" + q.name;
        if (q.subnets.size() > 1) name += ":" + sn->id;
        NodeGroup g = Group(name, "compute", sn->id, id.at);
        // AssignPublicIp unset: the subnet's auto-assign setting decides (§2.3).
        g.public_ip = q.assign_public_ip;
        g.security_groups = sgs;
        g.proxy = proxy;
        g.count = std::max<std::int64_t>(1, q.count / static_cast<std::int64_t>(q.subnets.size()));
        s_.node_groups.push_back(g);
      }
    }
  }

  // The groups ParallelCluster creates when the config does not replace them
  // (parallelcluster.md §1.4): the head's admits SSH from ssh_from/AllowedIps and
  // everything from the compute groups; the compute group admits everything from
  // itself and from the head's groups; both allow all egress.
  void CreateManagedGroups() {
    auto all_from = [](const std::string& peer, const std::string& why) {
      SgRule r;
      r.peer_kind = PeerKind::kSecurityGroup;
      r.peer = peer;
      r.description = why;
      return r;
    };
    SgRule egress;
    egress.cidr = Cidr{0, 0};
    const bool head_managed =
        std::find(head_sgs_.begin(), head_sgs_.end(), kPclusterHeadSg) != head_sgs_.end();
    const bool compute_managed = std::find(compute_sgs_.begin(), compute_sgs_.end(),
                                           kPclusterComputeSg) != compute_sgs_.end();
    if (head_managed) {
      SecurityGroup g;
      g.id = kPclusterHeadSg;
      g.vpc = vpc_;
      g.name = "HeadNodeSecurityGroup";
      g.pointer = Loc(c_.head_subnet.at);
      SgRule ssh;
      ssh.protocol = proto::kTcp;
      ssh.from_port = ssh.to_port = 22;
      if (c_.ssh_from.value.starts_with("pl-")) {
        ssh.peer_kind = PeerKind::kPrefixList;  // v3 AllowedIps may name a prefix list
        ssh.peer = c_.ssh_from.value;
      } else {
        ssh.cidr = ParseCidr(c_.ssh_from.value, false).value_or(Cidr{0, 0});
      }
      ssh.description = "SSH from ssh_from / AllowedIps";
      g.ingress.push_back(ssh);
      for (const std::string& sg : compute_primary_)
        g.ingress.push_back(all_from(sg, "all traffic from the compute nodes"));
      g.egress.push_back(egress);
      s_.security_groups.push_back(g);
    }
    if (compute_managed) {
      SecurityGroup g;
      g.id = kPclusterComputeSg;
      g.vpc = vpc_;
      g.name = "ComputeSecurityGroup";
      g.pointer = Loc(c_.head_subnet.at);
      g.ingress.push_back(all_from(kPclusterComputeSg, "all traffic from the compute nodes"));
      for (const std::string& sg : head_primary_)
        g.ingress.push_back(all_from(sg, "all traffic from the head node"));
      g.egress.push_back(egress);
      s_.security_groups.push_back(g);
    }
  }

  Scenario& s_;
  const PclusterConfig& c_;
  DiagnosticSink& sink_;
  std::string vpc_;
  std::vector<std::string> head_sgs_, compute_sgs_;
  std::set<std::string> head_primary_, compute_primary_;
  std::map<std::string, std::string> proxies_;  // URL -> proxy id
  std::map<std::string, bool> checked_sgs_;     // config location -> usable
};

}  // namespace

void PlaceCluster(Scenario& scenario, const PclusterConfig& config, DiagnosticSink& sink) {
  Placer(scenario, config, sink).Run();
}

}  // namespace sim
