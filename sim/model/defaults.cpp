// What AWS creates implicitly with every VPC.
#include <algorithm>

#include "sim/model/scenario.hpp"

namespace sim {

std::string MainRouteTableId(const std::string& vpc_id) { return vpc_id + "/main-route-table"; }
std::string DefaultNetworkAclId(const std::string& vpc_id) { return vpc_id + "/default-acl"; }
std::string DefaultSecurityGroupId(const std::string& vpc_id) { return vpc_id + "/default-sg"; }

void ApplyAwsDefaults(Scenario& s) {
  for (const Vpc& vpc : s.vpcs) {
    const bool has_main =
        std::any_of(s.route_tables.begin(), s.route_tables.end(),
                    [&](const RouteTable& t) { return t.vpc == vpc.id && t.main; });
    if (!has_main) {
      // AWS: every VPC has a main route table; in a new VPC it holds only local routes.
      RouteTable t;
      t.id = MainRouteTableId(vpc.id);
      t.vpc = vpc.id;
      t.main = true;
      t.pointer = vpc.pointer;
      s.route_tables.push_back(t);
    }
    const bool has_default_acl =
        std::any_of(s.network_acls.begin(), s.network_acls.end(),
                    [&](const NetworkAcl& a) { return a.vpc == vpc.id && a.is_default; });
    if (!has_default_acl) {
      // AWS: the default network ACL allows all inbound and outbound IPv4 traffic.
      NetworkAcl acl;
      acl.id = DefaultNetworkAclId(vpc.id);
      acl.vpc = vpc.id;
      acl.is_default = true;
      NaclEntry all;
      all.rule_number = 100;
      all.cidr = Cidr{0, 0};
      acl.ingress.push_back(all);
      acl.egress.push_back(all);
      acl.pointer = vpc.pointer;
      s.network_acls.push_back(acl);
    }
    const bool has_default_sg =
        std::any_of(s.security_groups.begin(), s.security_groups.end(),
                    [&](const SecurityGroup& g) { return g.vpc == vpc.id && g.name == "default"; });
    if (!has_default_sg) {
      // AWS: the default security group allows all inbound traffic from itself and all
      // outbound traffic.
      SecurityGroup g;
      g.id = DefaultSecurityGroupId(vpc.id);
      g.vpc = vpc.id;
      g.name = "default";
      g.pointer = vpc.pointer;
      SgRule self;
      self.peer_kind = PeerKind::kSecurityGroup;
      self.peer = g.id;
      g.ingress.push_back(self);
      SgRule all;
      all.cidr = Cidr{0, 0};
      g.egress.push_back(all);
      s.security_groups.push_back(g);
    }
  }
}

}  // namespace sim
