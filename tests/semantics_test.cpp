// One test per rule of ../shared/reference/aws-vpc-semantics.md, named after the rule
// and its section. Each builds a small network, asks the engine, and asserts the
// verdict and, for drops, the component and the Reachability Analyzer code.
#include <gtest/gtest.h>

#include "tests/test_util.hpp"

namespace sim::testing {
namespace {

// ---- §0 step 1 and §8: link-local addresses ------------------------------------------

TEST(LinkLocalTest, ImdsIsServedOnTheHostDespiteADenyAllAcl) {
  json n = BaseNetwork();
  n["network_acls"] =
      json::array({{{"id", "acl-deny"}, {"vpc", "vpc-1"}, {"subnets", {"subnet-priv"}}}});
  n["security_groups"][0]["egress"] = json::array();  // no egress at all
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  const auto r = Ask(n, "a", "169.254.169.254", 80);
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.forward, "169.254.169.254"));
}

TEST(LinkLocalTest, ImdsCanBeDisabled) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  (*Find(n["node_groups"], "a"))["imds"] = false;
  const auto r = Ask(n, "a", "169.254.169.254", 80);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "NO_POSSIBLE_DESTINATION");
}

TEST(LinkLocalTest, EcsTaskEndpointIsServedForTasksOnly) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("task", "subnet-priv"), Group("plain", "subnet-priv")});
  (*Find(n["node_groups"], "task"))["role"] = "ecs-task";
  EXPECT_EQ(Ask(n, "task", "169.254.170.2", 80).verdict, Verdict::kReachable);
  EXPECT_EQ(FirstCode(Ask(n, "plain", "169.254.170.2", 80)), "NO_ROUTE_TO_DESTINATION");
}

TEST(LinkLocalTest, TimeSyncIsServedOnTheHost) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  EXPECT_EQ(Ask(n, "a", "169.254.169.123", 123, proto::kUdp).verdict, Verdict::kReachable);
}

TEST(LinkLocalTest, ResolverNeedsDnsSupport) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  EXPECT_EQ(Ask(n, "a", "10.0.0.2", 53, proto::kUdp).verdict, Verdict::kReachable);
  n["vpcs"][0]["enableDnsSupport"] = false;
  const auto r = Ask(n, "a", "169.254.169.253", 53, proto::kUdp);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "DNS_NOT_RESOLVED");
}

TEST(LinkLocalTest, OtherLinkLocalAddressesAreNeverRouted) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  const auto r = Ask(n, "a", "169.254.10.10", 80);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
}

// ---- §0 step 3, §5: security groups ---------------------------------------------------

TEST(SecurityGroupTest, EgressIsTheUnionOfTheEnisGroups) {
  json n = BaseNetwork();
  n["security_groups"].push_back({{"id", "sg-none"}, {"vpc", "vpc-1"}, {"egress", json::array()}});
  n["security_groups"].push_back(
      {{"id", "sg-443"},
       {"vpc", "vpc-1"},
       {"egress",
        {{{"protocol", "tcp"}, {"from_port", 443}, {"to_port", 443}, {"cidr", "0.0.0.0/0"}}}}});
  n["node_groups"] = json::array({Group("a", "subnet-pub", "sg-none")});
  auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "ENI_SG_RULES_MISMATCH");
  EXPECT_EQ(FirstBlocker(r), "sg-none");
  EXPECT_EQ(r.trace.blocked.front().direction, "forward");
  (*Find(n["node_groups"], "a"))["security_groups"] = {"sg-none", "sg-443"};
  EXPECT_EQ(Ask(n, "a", "internet").verdict, Verdict::kReachable);
  EXPECT_EQ(Ask(n, "a", "internet", 80).verdict, Verdict::kUnreachable);
}

TEST(SecurityGroupTest, NewGroupAllowsAllEgressAndNoIngress) {
  json n = BaseNetwork();
  n["security_groups"].push_back({{"id", "sg-new"}, {"vpc", "vpc-1"}});
  n["node_groups"] =
      json::array({Group("a", "subnet-pub", "sg-new"), Group("b", "subnet-priv", "sg-new")});
  auto r = Ask(n, "a", "b", 22);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "ENI_SG_RULES_MISMATCH");
  EXPECT_EQ(r.trace.blocked.front().id, "sg-new");
  EXPECT_EQ(Ask(n, "a", "internet").verdict, Verdict::kReachable);
}

TEST(SecurityGroupTest, DefaultGroupAdmitsItsOwnMembers) {
  json n = BaseNetwork();
  n["node_groups"] = json::array(
      {{{"name", "a"}, {"subnet", "subnet-pub"}}, {{"name", "b"}, {"subnet", "subnet-priv"}}});
  EXPECT_EQ(Ask(n, "a", "b", 22).verdict, Verdict::kReachable);
}

TEST(SecurityGroupTest, ReferencedGroupMatchesPrivateAddressesOnly) {
  // §13 case 10: A -> B's public IP; B admits only sg-a: arrives with A's public IP.
  json n = BaseNetwork();
  n["security_groups"].push_back({{"id", "sg-a"}, {"vpc", "vpc-1"}});
  n["security_groups"].push_back({{"id", "sg-b"},
                                  {"vpc", "vpc-1"},
                                  {"ingress", {{{"protocol", "-1"}, {"security_group", "sg-a"}}}}});
  n["node_groups"] =
      json::array({Group("a", "subnet-pub", "sg-a"), Group("b", "subnet-pub", "sg-b")});
  (*Find(n["node_groups"], "b"))["public_ips"] = {"52.4.0.200"};
  EXPECT_EQ(Ask(n, "a", "b", 22).verdict, Verdict::kReachable);
  const auto r = Ask(n, "a", "52.4.0.200", 22);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "ENI_SG_RULES_MISMATCH");
  EXPECT_EQ(FirstBlocker(r), "sg-b");
}

TEST(SecurityGroupTest, ReferenceDoesNotSurviveAMiddlebox) {
  // §2.5: through an appliance, SG references do not match; addresses do.
  json n = BaseNetwork();
  n["subnets"].push_back({{"id", "subnet-c"}, {"vpc", "vpc-1"}, {"cidr", "10.0.2.0/24"}});
  n["security_groups"].push_back({{"id", "sg-a"}, {"vpc", "vpc-1"}});
  n["security_groups"].push_back({{"id", "sg-c"},
                                  {"vpc", "vpc-1"},
                                  {"ingress", {{{"protocol", "-1"}, {"security_group", "sg-a"}}}}});
  n["node_groups"] = json::array({Group("a", "subnet-priv", "sg-a"), Group("fw", "subnet-pub"),
                                  Group("c", "subnet-c", "sg-c")});
  (*Find(n["node_groups"], "fw"))["source_dest_check"] = false;
  n["route_tables"].push_back(
      {{"id", "rtb-a"},
       {"vpc", "vpc-1"},
       {"subnets", {"subnet-priv"}},
       {"routes", {{{"destination", "10.0.2.0/24"}, {"network_interface", "fw"}}}}});
  const auto r = Ask(n, "a", "c", 22);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstBlocker(r), "sg-c");
  EXPECT_TRUE(PathHas(r.trace.forward, "eni-fw-1"));
}

// ---- §0 step 4, §6: same subnet and network ACLs ----------------------------------------

json DenyAllAclOn(json n, const std::vector<std::string>& subnets) {
  n["network_acls"] = json::array({{{"id", "acl-deny"}, {"vpc", "vpc-1"}, {"subnets", subnets}}});
  return n;
}

TEST(NetworkAclTest, SameSubnetTrafficSkipsAclsAndRouteTables) {
  // §13 case 8.
  json n = DenyAllAclOn(BaseNetwork(), {"subnet-priv"});
  n["node_groups"] = json::array({Group("a", "subnet-priv"), Group("b", "subnet-priv")});
  const auto r = Ask(n, "a", "b", 22);
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_FALSE(PathHas(r.trace.forward, "acl-deny"));
  EXPECT_FALSE(PathHas(r.trace.forward, "rtb-main"));
}

TEST(NetworkAclTest, CrossSubnetTrafficCrossesBothAcls) {
  // §13 case 9.
  json n = DenyAllAclOn(BaseNetwork(), {"subnet-priv"});
  n["node_groups"] = json::array({Group("a", "subnet-priv"), Group("b", "subnet-pub")});
  auto r = Ask(n, "a", "b", 22);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstBlocker(r), "acl-deny");
  EXPECT_EQ(FirstCode(r), "SUBNET_ACL_RESTRICTION");
  r = Ask(n, "b", "a", 22);
  EXPECT_EQ(FirstBlocker(r), "acl-deny");
}

TEST(NetworkAclTest, FirstMatchingRuleNumberWins) {
  json n = BaseNetwork();
  n["network_acls"] =
      json::array({Acl("acl-1", {"subnet-pub"}, {AllowAllEntry()},
                       {AllowAllEntry(200), PortEntry(100, "tcp", 443, 443, "deny")})});
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "SUBNET_ACL_RESTRICTION");
  EXPECT_NE(r.trace.blocked.front().detail.find("rule 100"), std::string::npos);
  EXPECT_EQ(Ask(n, "a", "internet", 80).verdict, Verdict::kReachable);
}

TEST(NetworkAclTest, CustomAclWithoutEntriesDeniesAndDefaultAllows) {
  json n = DenyAllAclOn(BaseNetwork(), {"subnet-pub"});
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstBlocker(r), "acl-deny");
  EXPECT_NE(r.trace.blocked.front().detail.find("catch-all"), std::string::npos);
  n["network_acls"][0]["default"] = true;  // a default ACL without entries allows all
  n["network_acls"][0]["subnets"] = json::array();
  EXPECT_EQ(Ask(n, "a", "internet").verdict, Verdict::kReachable);
}

TEST(NetworkAclTest, ReturnPathNeedsTheClientsEphemeralPorts) {
  // §6.4 and §13 case 15: Linux clients use 32768-60999; allowing 49152-65535 only
  // lets part of the connections through.
  json n = BaseNetwork();
  n["network_acls"] = json::array(
      {Acl("acl-srv", {"subnet-priv"}, {AllowAllEntry()}, {PortEntry(100, "tcp", 49152, 65535)})});
  n["node_groups"] = json::array({Group("client", "subnet-pub"), Group("server", "subnet-priv")});
  auto r = Ask(n, "client", "server", 443);
  EXPECT_EQ(r.verdict, Verdict::kPartial);
  ASSERT_FALSE(r.trace.blocked.empty());
  EXPECT_TRUE(r.trace.blocked.front().partial);
  EXPECT_EQ(r.trace.blocked.front().direction, "return");
  EXPECT_NEAR(r.trace.return_fraction, (60999.0 - 49152 + 1) / (60999.0 - 32768 + 1), 1e-9);
  // A Windows client (49152-65535) gets every reply.
  (*Find(n["node_groups"], "client"))["ephemeral_ports"] = "49152-65535";
  EXPECT_EQ(Ask(n, "client", "server", 443).verdict, Verdict::kReachable);
  // No ephemeral port allowed at all: unreachable on the return path.
  n["network_acls"][0]["egress"][0]["from_port"] = 1;
  n["network_acls"][0]["egress"][0]["to_port"] = 1023;
  r = Ask(n, "client", "server", 443);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(r.trace.blocked.front().direction, "return");
}

// ---- §2: route selection ----------------------------------------------------------------

TEST(RouteSelectionTest, LongestPrefixWins) {
  json n = BaseNetwork();
  AddNat(n);
  // More specific route for one internet range to the IGW: private nodes have no public IP.
  MainRoutes(n).push_back({{"destination", "8.8.8.0/24"}, {"internet_gateway", "igw-1"}});
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  EXPECT_EQ(Ask(n, "a", "8.8.4.4").verdict, Verdict::kReachable);
  const auto r = Ask(n, "a", "8.8.8.8");
  EXPECT_EQ(FirstCode(r), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

TEST(RouteSelectionTest, NoRouteDrops) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
  EXPECT_EQ(FirstBlocker(r), "rtb-main");
}

TEST(RouteSelectionTest, LocalRouteBeatsMoreSpecificPropagatedRoute) {
  // §2.2 rule 4, §13 case 13.
  json n = BaseNetwork();
  n["vpn_gateways"] = json::array({{{"id", "vgw-1"}, {"vpc", "vpc-1"}}});
  n["onprem_sites"] = json::array(
      {{{"id", "dc"}, {"vpn_gateway", "vgw-1"}, {"cidrs", {"10.0.5.0/24", "192.168.0.0/16"}}}});
  MainRoutes(n) = {
      {{"destination", "10.0.5.0/24"}, {"vpn_gateway", "vgw-1"}, {"origin", "propagated"}}};
  n["subnets"].push_back({{"id", "subnet-5"}, {"vpc", "vpc-1"}, {"cidr", "10.0.5.0/24"}});
  n["node_groups"] = json::array({Group("a", "subnet-priv"), Group("b", "subnet-5")});
  const auto r = Ask(n, "a", "b", 22);
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_FALSE(PathHas(r.trace.forward, "vgw-1"));
}

TEST(RouteSelectionTest, StaticBeatsPropagatedOnEqualPrefix) {
  // §2.2 rule 5.1, §13 case 12.
  json n = BaseNetwork();
  n["vpn_gateways"] = json::array({{{"id", "vgw-1"}, {"vpc", "vpc-1"}}});
  n["onprem_sites"] =
      json::array({{{"id", "dc"}, {"vpn_gateway", "vgw-1"}, {"cidrs", {"172.16.0.0/16"}}}});
  (*Find(n["route_tables"], "rtb-pub"))["routes"].push_back(
      {{"destination", "172.16.0.0/16"}, {"vpn_gateway", "vgw-1"}, {"origin", "propagated"}});
  (*Find(n["route_tables"], "rtb-pub"))["routes"].push_back(
      {{"destination", "172.16.0.0/16"}, {"internet_gateway", "igw-1"}});
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  const auto r = Ask(n, "a", "172.16.1.1");
  EXPECT_TRUE(PathHas(r.trace.forward, "igw-1"));
  EXPECT_FALSE(PathHas(r.trace.forward, "vgw-1"));
  EXPECT_EQ(FirstCode(r), "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS");
}

TEST(RouteSelectionTest, StaticCidrBeatsPrefixListOnEqualPrefix) {
  json n = BaseNetwork();
  n["prefix_lists"] = json::array({{{"id", "pl-corp"}, {"cidrs", {"198.51.100.0/24"}}}});
  n["vpn_gateways"] = json::array({{{"id", "vgw-1"}, {"vpc", "vpc-1"}}});
  n["onprem_sites"] =
      json::array({{{"id", "dc"}, {"vpn_gateway", "vgw-1"}, {"cidrs", {"198.51.100.0/24"}}}});
  auto& routes = (*Find(n["route_tables"], "rtb-pub"))["routes"];
  routes.push_back({{"destination_prefix_list", "pl-corp"}, {"vpn_gateway", "vgw-1"}});
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  auto r = Ask(n, "a", "198.51.100.7");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.forward, "vgw-1"));  // the prefix list expands to a /24
  routes.push_back({{"destination", "198.51.100.0/24"}, {"internet_gateway", "igw-1"}});
  r = Ask(n, "a", "198.51.100.7");
  EXPECT_TRUE(PathHas(r.trace.forward, "igw-1"));
  EXPECT_FALSE(PathHas(r.trace.forward, "vgw-1"));
}

TEST(RouteSelectionTest, BlackholeDropsWithoutFallback) {
  json n = BaseNetwork();
  AddNat(n);
  n["nat_gateways"][0]["state"] = "deleted";
  MainRoutes(n).push_back(
      {{"destination", "0.0.0.0/1"}, {"internet_gateway", "igw-1"}, {"state", "blackhole"}});
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  auto r = Ask(n, "a", "9.9.9.9");  // matches 0.0.0.0/1 (blackhole)
  EXPECT_EQ(FirstCode(r), "BAD_STATE_ROUTE");
  EXPECT_EQ(FirstBlocker(r), "rtb-main");
  r = Ask(n, "a", "200.1.1.1");  // 0.0.0.0/0 -> deleted NAT gateway
  EXPECT_EQ(FirstCode(r), "BAD_STATE_ROUTE");
  EXPECT_NE(r.trace.blocked.front().detail.find("deleted"), std::string::npos);
}

TEST(RouteSelectionTest, RouteToDetachedInternetGatewayIsABlackhole) {
  json n = BaseNetwork();
  n["internet_gateways"][0].erase("vpc");
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  EXPECT_EQ(FirstCode(Ask(n, "a", "internet")), "BAD_STATE_ROUTE");
}

TEST(RouteSelectionTest, TransitGatewayIsReportedAsNotModelled) {
  json n = BaseNetwork();
  MainRoutes(n) = {{{"destination", "0.0.0.0/0"}, {"transit_gateway", "tgw-1"}}};
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "UNSUPPORTED_COMPONENT");
  EXPECT_EQ(FirstBlocker(r), "tgw-1");
}

// ---- §3: internet gateway -----------------------------------------------------------------

TEST(InternetGatewayTest, PrivateAddressWithoutPublicIpIsDropped) {
  // §13 cases 1 and 2.
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  (*Find(n["node_groups"], "a"))["public_ip"] = false;
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstBlocker(r), "igw-1");
  EXPECT_EQ(FirstCode(r), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  (*Find(n["node_groups"], "a"))["public_ip"] = true;
  EXPECT_EQ(Ask(n, "a", "internet").verdict, Verdict::kReachable);
}

TEST(InternetGatewayTest, SubnetAutoAssignGivesPublicIp) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  const Topology t = Build(n);
  EXPECT_NE(t.enis()[0].public_ip, 0u);
}

TEST(InternetGatewayTest, DoesNotForwardToPrivateAddresses) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  EXPECT_EQ(FirstCode(Ask(n, "a", "192.168.1.1")), "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS");
}

TEST(InternetGatewayTest, PublicIpWithoutIgwRouteGivesNoInternet) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  (*Find(n["node_groups"], "a"))["public_ip"] = true;
  EXPECT_EQ(FirstCode(Ask(n, "a", "internet")), "NO_ROUTE_TO_DESTINATION");
}

TEST(InternetGatewayTest, InboundFromInternetReachesPublicIp) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("web", "subnet-pub")});
  (*Find(n["node_groups"], "web"))["public_ips"] = {"52.4.0.99"};
  const auto r = Ask(n, "internet", "52.4.0.99", 443);
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.forward, "eni-web-1"));
}

TEST(InternetGatewayTest, RepliesLeavingThroughANatBreakTheConnection) {
  // §3: inbound to a public IP needs the reply routed back to the IGW; with the
  // subnet's default route on a NAT gateway, the reply leaves with another source.
  json n = BaseNetwork();
  AddNat(n);
  n["node_groups"] = json::array({Group("web", "subnet-priv")});
  (*Find(n["node_groups"], "web"))["public_ips"] = {"52.4.0.98"};
  const auto r = Ask(n, "internet", "52.4.0.98", 443);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  ASSERT_FALSE(r.trace.blocked.empty());
  EXPECT_EQ(r.trace.blocked.front().direction, "return");
  EXPECT_EQ(FirstBlocker(r), "nat-1");
}

// ---- §4: NAT gateway ----------------------------------------------------------------------

TEST(NatGatewayTest, PrivateSubnetReachesInternetThroughPublicNat) {
  // §13 case 4.
  json n = BaseNetwork();
  AddNat(n);
  n["node_groups"] = json::array({Group("a", "subnet-priv", "sg-open", 8)});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_EQ(r.sources_total, 8);
  EXPECT_EQ(r.sources_reachable, 8);
  EXPECT_TRUE(PathHas(r.trace.forward, "nat-1"));
  bool translated_to_eip = false;
  for (const Hop& h : r.trace.forward) {
    if (h.id == "igw-1" && h.detail.find("198.51.100.10") != std::string::npos)
      translated_to_eip = true;
  }
  EXPECT_TRUE(translated_to_eip);
}

TEST(NatGatewayTest, NatSubnetMustRouteToTheInternetGateway) {
  json n = BaseNetwork();
  AddNat(n);
  (*Find(n["route_tables"], "rtb-pub"))["routes"] = json::array();
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
  EXPECT_EQ(FirstBlocker(r), "rtb-pub");
}

TEST(NatGatewayTest, InstanceInTheNatSubnetCannotUseIt) {
  // §13 case 5.
  json n = BaseNetwork();
  AddNat(n);
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  (*Find(n["node_groups"], "a"))["public_ip"] = false;
  EXPECT_EQ(FirstCode(Ask(n, "a", "internet")), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

TEST(NatGatewayTest, OnlyTcpUdpAndIcmp) {
  json n = BaseNetwork();
  AddNat(n);
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  EXPECT_EQ(Ask(n, "a", "internet", 53, proto::kUdp).verdict, Verdict::kReachable);
  EXPECT_EQ(Ask(n, "a", "internet", 8, proto::kIcmp).verdict, Verdict::kReachable);
  const auto r = Ask(n, "a", "internet", 0, proto::kAll);
  EXPECT_EQ(FirstCode(r), "PROTOCOL_RESTRICTION");
  EXPECT_EQ(FirstBlocker(r), "nat-1");
}

TEST(NatGatewayTest, NatSubnetAclAppliesBothWays) {
  json n = BaseNetwork();
  AddNat(n);
  n["network_acls"] = json::array({Acl(
      "acl-nat", {"subnet-pub"},
      {PortEntry(100, "tcp", 443, 443, "allow", "10.0.1.0/24"), PortEntry(110, "tcp", 1024, 65535)},
      {AllowAllEntry()})});
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  auto r = Ask(n, "a", "internet");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.ret, "acl-nat"));
  // Replies reach the NAT gateway on its translated ports 1024-65535: allowing only
  // 32768-65535 lets part of them through.
  n["network_acls"][0]["ingress"][1]["from_port"] = 32768;
  r = Ask(n, "a", "internet");
  EXPECT_EQ(r.verdict, Verdict::kPartial);
  EXPECT_EQ(FirstBlocker(r), "acl-nat");
}

TEST(NatGatewayTest, PrivateNatGatewayIsDroppedByTheInternetGateway) {
  json n = BaseNetwork();
  n["nat_gateways"] =
      json::array({{{"id", "nat-p"}, {"subnet", "subnet-pub"}, {"connectivity", "private"}}});
  MainRoutes(n) = {{{"destination", "0.0.0.0/0"}, {"nat_gateway", "nat-p"}}};
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  EXPECT_EQ(FirstBlocker(r), "igw-1");
}

TEST(NatGatewayTest, NotUsableAcrossPeering) {
  // §4.1 and §10.2, §13 case 11.
  json n = BaseNetwork();
  AddNat(n);
  n["vpcs"].push_back({{"id", "vpc-b"}, {"cidr_blocks", {"10.1.0.0/16"}}});
  n["subnets"].push_back({{"id", "subnet-b"}, {"vpc", "vpc-b"}, {"cidr", "10.1.0.0/24"}});
  n["peering_connections"] =
      json::array({{{"id", "pcx-1"}, {"requester_vpc", "vpc-1"}, {"accepter_vpc", "vpc-b"}}});
  n["route_tables"].push_back(
      {{"id", "rtb-b"},
       {"vpc", "vpc-b"},
       {"main", true},
       {"routes", {{{"destination", "0.0.0.0/0"}, {"peering_connection", "pcx-1"}}}}});
  n["security_groups"].push_back({{"id", "sg-b"}, {"vpc", "vpc-b"}});
  n["node_groups"] = json::array({Group("b", "subnet-b", "sg-b")});
  const auto r = Ask(n, "b", "internet");
  EXPECT_EQ(FirstCode(r), "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
  EXPECT_EQ(FirstBlocker(r), "pcx-1");
}

TEST(NatGatewayTest, DoesNotAcceptConnectionsToItself) {
  json n = BaseNetwork();
  AddNat(n);
  n["nat_gateways"][0]["private_ip"] = "10.0.0.200";
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  EXPECT_EQ(FirstCode(Ask(n, "a", "10.0.0.200", 80)), "NO_POSSIBLE_DESTINATION");
}

// ---- §2.4, §11: appliances and source/destination check ------------------------------

TEST(ApplianceTest, SourceDestCheckMustBeOff) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("nat-instance", "subnet-pub"), Group("a", "subnet-priv")});
  MainRoutes(n) = {{{"destination", "0.0.0.0/0"}, {"network_interface", "nat-instance"}}};
  auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "ENI_SOURCE_DEST_CHECK_RESTRICTION");
  EXPECT_EQ(FirstBlocker(r), "eni-nat-instance-1");
  auto& nat = *Find(n["node_groups"], "nat-instance");
  nat["source_dest_check"] = false;
  nat["source_nat"] = true;
  r = Ask(n, "a", "internet");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.ret, "eni-nat-instance-1"));
}

TEST(ApplianceTest, WithoutSourceNatThePrivateSourceReachesTheIgw) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("fw", "subnet-pub"), Group("a", "subnet-priv")});
  (*Find(n["node_groups"], "fw"))["source_dest_check"] = false;
  MainRoutes(n) = {{{"destination", "0.0.0.0/0"}, {"network_interface", "fw"}}};
  EXPECT_EQ(FirstCode(Ask(n, "a", "internet")), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

// ---- §7: VPC endpoints and DNS -------------------------------------------------------------

json NoInternetNetwork() {
  json n = BaseNetwork();
  n["security_groups"].push_back(
      {{"id", "sg-vpce"},
       {"vpc", "vpc-1"},
       {"ingress",
        {{{"protocol", "tcp"}, {"from_port", 443}, {"to_port", 443}, {"cidr", "10.0.0.0/16"}}}}});
  n["vpc_endpoints"] = json::array({{{"id", "vpce-s3"},
                                     {"vpc", "vpc-1"},
                                     {"type", "gateway"},
                                     {"service", "s3"},
                                     {"route_tables", {"rtb-main"}}},
                                    {{"id", "vpce-ec2"},
                                     {"vpc", "vpc-1"},
                                     {"type", "interface"},
                                     {"service", "ec2"},
                                     {"subnets", {"subnet-priv"}},
                                     {"security_groups", {"sg-vpce"}}}});
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  return n;
}

TEST(GatewayEndpointTest, SameRegionServiceIsReachableWithoutInternet) {
  // §13 case 6.
  const json n = NoInternetNetwork();
  auto r = Ask(n, "a", "service:s3");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.forward, "vpce-s3"));
  bool via_pl = false;
  for (const Hop& h : r.trace.forward) via_pl |= h.route == "pl-63a5400a";
  EXPECT_TRUE(via_pl);
  r = Ask(n, "a", "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
}

TEST(GatewayEndpointTest, CarriesTcpOnly) {
  const json n = NoInternetNetwork();
  const auto r = Ask(n, "a", "service:s3", 53, proto::kUdp);
  EXPECT_EQ(FirstCode(r), "PROTOCOL_RESTRICTION");
  EXPECT_EQ(FirstBlocker(r), "vpce-s3");
}

TEST(InterfaceEndpointTest, PrivateDnsNeedsBothVpcAttributes) {
  // §7.3, §13 case 7.
  json n = NoInternetNetwork();
  auto r = Ask(n, "a", "service:ec2");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.forward, "vpce-ec2"));
  EXPECT_NE(r.dns.note.find("vpce-ec2"), std::string::npos);
  n["vpcs"][0]["enableDnsHostnames"] = false;
  r = Ask(n, "a", "service:ec2");
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
  EXPECT_NE(r.dns.note.find("enableDnsHostnames"), std::string::npos);
}

TEST(InterfaceEndpointTest, EndpointSecurityGroupMustAdmitTheClient) {
  json n = NoInternetNetwork();
  (*Find(n["vpc_endpoints"], "vpce-ec2")).erase("security_groups");  // VPC default group
  const auto r = Ask(n, "a", "service:ec2");
  EXPECT_EQ(FirstCode(r), "ENI_SG_RULES_MISMATCH");
  EXPECT_EQ(FirstBlocker(r), "vpc-1/default-sg");
  // Joining the default group (ParallelCluster's AdditionalSecurityGroups advice) fixes it.
  (*Find(n["node_groups"], "a"))["security_groups"] = {"sg-open", "vpc-1/default-sg"};
  EXPECT_EQ(Ask(n, "a", "service:ec2").verdict, Verdict::kReachable);
}

TEST(InterfaceEndpointTest, CarriesTcpOnly) {
  const json n = NoInternetNetwork();
  const auto r = Ask(n, "a", "service:ec2", 8, proto::kIcmp);
  EXPECT_EQ(FirstCode(r), "PROTOCOL_RESTRICTION");
}

TEST(DnsTest, NoDnsSupportMeansNoResolution) {
  json n = NoInternetNetwork();
  n["vpcs"][0]["enableDnsSupport"] = false;
  const auto r = Ask(n, "a", "service:s3");
  EXPECT_EQ(FirstCode(r), "DNS_NOT_RESOLVED");
  EXPECT_EQ(FirstBlocker(r), "vpc-1");
  // An address needs no DNS.
  EXPECT_EQ(Ask(n, "a", "52.216.0.10").verdict, Verdict::kReachable);
}

// ---- §9: ECS and Batch ----------------------------------------------------------------------

TEST(BatchTest, TaskEnisNeverGetPublicIps) {
  // §13 case 3.
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("instance", "subnet-pub"), Group("task", "subnet-pub")});
  (*Find(n["node_groups"], "task"))["role"] = "batch-task";
  EXPECT_EQ(Ask(n, "instance", "service:ecs").verdict, Verdict::kReachable);
  const auto r = Ask(n, "task", "service:ecs");
  EXPECT_EQ(FirstCode(r), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  EXPECT_NE(r.trace.blocked.front().fix.find("NAT gateway"), std::string::npos);
}

// ---- §10: hybrid and peering ------------------------------------------------------------------

json HybridNetwork() {
  json n = BaseNetwork();
  n["vpn_gateways"] = json::array({{{"id", "vgw-1"}, {"vpc", "vpc-1"}}});
  n["onprem_sites"] = json::array({{{"id", "dc"},
                                    {"vpn_gateway", "vgw-1"},
                                    {"connection", "direct-connect"},
                                    {"cidrs", {"192.168.0.0/16"}},
                                    {"internet_egress", true}}});
  MainRoutes(n) = {
      {{"destination", "192.168.0.0/16"}, {"vpn_gateway", "vgw-1"}, {"origin", "propagated"}}};
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  return n;
}

TEST(VpnGatewayTest, ForwardsOnlyToLearnedPrefixes) {
  json n = HybridNetwork();
  EXPECT_EQ(Ask(n, "a", "192.168.3.3", 22).verdict, Verdict::kReachable);
  MainRoutes(n).push_back({{"destination", "0.0.0.0/0"}, {"vpn_gateway", "vgw-1"}});
  const auto r = Ask(n, "a", "internet");
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
  EXPECT_EQ(FirstBlocker(r), "vgw-1");
  // A site that advertises a default route carries internet traffic through its egress.
  n["onprem_sites"][0]["advertised"] = {"192.168.0.0/16", "0.0.0.0/0"};
  EXPECT_EQ(Ask(n, "a", "internet").verdict, Verdict::kReachable);
  n["onprem_sites"][0]["internet_egress"] = false;
  EXPECT_EQ(FirstCode(Ask(n, "a", "internet")), "NO_INTERNET_EGRESS");
}

TEST(VpnGatewayTest, PropagationInstallsLearnedPrefixesOfConnectionsThatAreUp) {
  json n = HybridNetwork();
  auto& main_table = *Find(n["route_tables"], "rtb-main");
  main_table["routes"] = json::array();
  main_table["propagating_vgws"] = {"vgw-1"};
  auto r = Ask(n, "a", "192.168.3.3", 22);
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  bool propagated = false;
  for (const Hop& h : r.trace.forward)
    propagated |= h.detail.find("(propagated)") != std::string::npos;
  EXPECT_TRUE(propagated);
  // AWS propagates a connection's prefixes only while it is up.
  n["onprem_sites"][0]["state"] = "down";
  r = Ask(n, "a", "192.168.3.3", 22);
  EXPECT_EQ(FirstCode(r), "NO_ROUTE_TO_DESTINATION");
}

TEST(VpnGatewayTest, DownConnectionIsABadState) {
  json n = HybridNetwork();
  n["onprem_sites"][0]["state"] = "down";
  EXPECT_EQ(FirstCode(Ask(n, "a", "192.168.3.3", 22)), "BAD_STATE_VPN");
}

TEST(PeeringTest, ReachesPeerAddressesOnlyWhenActive) {
  json n = BaseNetwork();
  n["vpcs"].push_back({{"id", "vpc-b"}, {"cidr_blocks", {"10.1.0.0/16"}}});
  n["subnets"].push_back({{"id", "subnet-b"}, {"vpc", "vpc-b"}, {"cidr", "10.1.0.0/24"}});
  n["peering_connections"] =
      json::array({{{"id", "pcx-1"}, {"requester_vpc", "vpc-1"}, {"accepter_vpc", "vpc-b"}}});
  MainRoutes(n) = {{{"destination", "10.1.0.0/16"}, {"peering_connection", "pcx-1"}}};
  n["route_tables"].push_back(
      {{"id", "rtb-b"},
       {"vpc", "vpc-b"},
       {"main", true},
       {"routes", {{{"destination", "10.0.0.0/16"}, {"peering_connection", "pcx-1"}}}}});
  n["security_groups"].push_back(
      {{"id", "sg-b"},
       {"vpc", "vpc-b"},
       {"ingress", {{{"protocol", "-1"}, {"security_group", "sg-open"}}}}});
  n["node_groups"] = json::array({Group("a", "subnet-priv"), Group("b", "subnet-b", "sg-b")});
  auto r = Ask(n, "a", "b", 22);
  EXPECT_EQ(r.verdict, Verdict::kReachable) << FirstCode(r);  // peer SG references work in-Region
  // Without the return route in the peer, the reply has nowhere to go.
  (*Find(n["route_tables"], "rtb-b"))["routes"] = json::array();
  r = Ask(n, "a", "b", 22);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(r.trace.blocked.front().direction, "return");
  n["peering_connections"][0]["status"] = "pending-acceptance";
  EXPECT_EQ(FirstCode(Ask(n, "a", "b", 22)), "BAD_STATE_ROUTE");
}

// ---- HTTP proxy ---------------------------------------------------------------------------------

TEST(ProxyTest, ConnectionsGoThroughTheProxyUnlessNoProxyNamesThem) {
  json n = HybridNetwork();
  n["proxies"] = json::array({{{"id", "px"},
                               {"host", "proxy.corp"},
                               {"port", 8080},
                               {"onprem_site", "dc"},
                               {"address", "192.168.1.5"},
                               {"allowed_domains", {".amazonaws.com"}},
                               {"no_proxy", {"169.254.169.254", ".internal.corp"}}}});
  (*Find(n["node_groups"], "a"))["proxy"] = "px";
  auto r = Ask(n, "a", "service:cloudformation");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_EQ(r.via_proxy, "px");
  EXPECT_EQ(r.dns.resolver, "public DNS");
  r = Ask(n, "a", "pypi.org");
  EXPECT_EQ(FirstCode(r), "PROXY_NOT_ALLOWED");
  EXPECT_EQ(FirstBlocker(r), "px");
  r = Ask(n, "a", "169.254.169.254", 80);
  EXPECT_TRUE(r.via_proxy.empty());
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  // The proxy port must be open on the way there.
  n["security_groups"][0]["egress"] = {
      {{"protocol", "tcp"}, {"from_port", 443}, {"to_port", 443}, {"cidr", "0.0.0.0/0"}}};
  r = Ask(n, "a", "service:cloudformation");
  EXPECT_EQ(FirstCode(r), "ENI_SG_RULES_MISMATCH");
}

TEST(ProxyTest, NoProxyMatching) {
  EXPECT_TRUE(MatchesNoProxy({".example.com"}, "a.example.com"));
  EXPECT_TRUE(MatchesNoProxy({".example.com"}, "example.com"));
  EXPECT_TRUE(MatchesNoProxy({"example.com"}, "a.example.com"));
  EXPECT_FALSE(MatchesNoProxy({"example.com"}, "badexample.com"));
  EXPECT_TRUE(MatchesNoProxy({"10.0.0.0/8"}, "10.2.3.4"));
  EXPECT_TRUE(MatchesNoProxy({"*"}, "anything.org"));
  EXPECT_FALSE(
      MatchesNoProxy({"localhost", "127.0.0.1", "169.254.169.254"}, "ec2.us-east-1.amazonaws.com"));
  EXPECT_TRUE(DomainAllowed({}, "x.org"));
  EXPECT_TRUE(DomainAllowed({".amazonaws.com"}, "s3.us-east-1.amazonaws.com"));
  EXPECT_FALSE(DomainAllowed({".amazonaws.com"}, "pypi.org"));
}

// ---- Findings of the engine review -------------------------------------------------------

// Client (subnet-a) -> server (subnet-c) through a firewall ENI in subnet-b, both
// directions routed through the firewall with subnet routes.
json FirewallNetwork() {
  json n = BaseNetwork();
  n["subnets"].push_back({{"id", "subnet-c"}, {"vpc", "vpc-1"}, {"cidr", "10.0.2.0/24"}});
  n["node_groups"] = json::array(
      {Group("client", "subnet-priv"), Group("fw", "subnet-pub"), Group("server", "subnet-c")});
  (*Find(n["node_groups"], "fw"))["source_dest_check"] = false;
  n["route_tables"].push_back(
      {{"id", "rtb-a"},
       {"vpc", "vpc-1"},
       {"subnets", {"subnet-priv"}},
       {"routes", {{{"destination", "10.0.2.0/24"}, {"network_interface", "fw"}}}}});
  n["route_tables"].push_back(
      {{"id", "rtb-c"},
       {"vpc", "vpc-1"},
       {"subnets", {"subnet-c"}},
       {"routes", {{{"destination", "10.0.1.0/24"}, {"network_interface", "fw"}}}}});
  return n;
}

TEST(ApplianceTest, RepliesCrossTheAppliancesSubnetAclToo) {
  json n = FirewallNetwork();
  EXPECT_EQ(Ask(n, "client", "server").verdict, Verdict::kReachable);
  // The firewall subnet admits only TCP 443: the replies (to the client's ephemeral
  // ports) enter that subnet too and are denied.
  n["network_acls"] = json::array(
      {Acl("acl-fw", {"subnet-pub"}, {PortEntry(100, "tcp", 443, 443)}, {AllowAllEntry()})});
  const auto r = Ask(n, "client", "server");
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstBlocker(r), "acl-fw");
  EXPECT_EQ(r.trace.blocked.front().direction, "return");
}

TEST(ApplianceTest, MasqueradedTrafficMatchesTheAppliancesGroup) {
  // A NAT instance rewrites the source to its own private address, which is a member of
  // its security group: a rule referencing that group matches (§5.2).
  json n = FirewallNetwork();
  n["security_groups"].push_back({{"id", "sg-fw"},
                                  {"vpc", "vpc-1"},
                                  {"ingress", {{{"protocol", "-1"}, {"cidr", "0.0.0.0/0"}}}}});
  n["security_groups"].push_back({{"id", "sg-server"},
                                  {"vpc", "vpc-1"},
                                  {"ingress",
                                   {{{"protocol", "tcp"},
                                     {"from_port", 443},
                                     {"to_port", 443},
                                     {"security_group", "sg-fw"}}}}});
  (*Find(n["node_groups"], "fw"))["security_groups"] = {"sg-fw"};
  (*Find(n["node_groups"], "server"))["security_groups"] = {"sg-server"};
  EXPECT_EQ(FirstCode(Ask(n, "client", "server")), "ENI_SG_RULES_MISMATCH");  // relayed: no match
  (*Find(n["node_groups"], "fw"))["source_nat"] = true;
  EXPECT_EQ(Ask(n, "client", "server").verdict, Verdict::kReachable);
}

TEST(RouteSelectionTest, LocalRouteTargetCanBeReplacedByAnAppliance) {
  json n = FirewallNetwork();
  n["route_tables"][2]["routes"] = {{{"destination", "10.0.0.0/16"}, {"network_interface", "fw"}}};
  n["route_tables"][3]["routes"] = {{{"destination", "10.0.0.0/16"}, {"network_interface", "fw"}}};
  const auto r = Ask(n, "client", "server");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(PathHas(r.trace.forward, "eni-fw-1"));
}

TEST(RouteSelectionTest, ExplicitLocalRouteForASecondaryBlockIsAccepted) {
  json n = BaseNetwork();
  n["vpcs"][0]["cidr_blocks"] = {"10.0.0.0/16", "100.64.0.0/16"};
  MainRoutes(n) = {{{"destination", "10.0.0.0/16"}, {"local", true}},
                   {{"destination", "100.64.0.0/16"}, {"local", true}}};
  n["subnets"].push_back({{"id", "subnet-x"}, {"vpc", "vpc-1"}, {"cidr", "100.64.1.0/24"}});
  n["node_groups"] = json::array({Group("a", "subnet-priv"), Group("b", "subnet-x")});
  EXPECT_TRUE(LoadErrors(n).empty());
  EXPECT_EQ(Ask(n, "a", "b", 22).verdict, Verdict::kReachable);
}

TEST(RouteSelectionTest, BlackholeTransitGatewayRouteIsABadStateRoute) {
  json n = BaseNetwork();
  MainRoutes(n) = {
      {{"destination", "0.0.0.0/0"}, {"transit_gateway", "tgw-1"}, {"state", "blackhole"}}};
  n["node_groups"] = json::array({Group("a", "subnet-priv")});
  EXPECT_EQ(FirstCode(Ask(n, "a", "internet")), "BAD_STATE_ROUTE");
}

TEST(OverlappingVpcsTest, AnAddressInTheSourcesVpcIsNotTheOneAskedFor) {
  // VPCs that are not peered may use the same CIDR; 10.0.1.4 in vpc-2 is not reached by
  // sending to 10.0.1.4 in vpc-1.
  json n = BaseNetwork();
  n["vpcs"].push_back({{"id", "vpc-2"}, {"cidr_blocks", {"10.0.0.0/16"}}});
  n["subnets"].push_back({{"id", "subnet-2"}, {"vpc", "vpc-2"}, {"cidr", "10.0.1.0/24"}});
  n["security_groups"].push_back({{"id", "sg-2"},
                                  {"vpc", "vpc-2"},
                                  {"ingress", {{{"protocol", "-1"}, {"cidr", "0.0.0.0/0"}}}}});
  n["node_groups"] = json::array(
      {Group("a", "subnet-pub"), Group("here", "subnet-priv"), Group("there", "subnet-2", "sg-2")});
  const Topology t = Build(n);
  EXPECT_EQ(t.enis()[1].ip, t.enis()[2].ip);
  EXPECT_EQ(Ask(t, "a", "here", 22).verdict, Verdict::kReachable);
  const auto r = Ask(t, "a", "there", 22);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstCode(r), "NO_POSSIBLE_DESTINATION");
  EXPECT_EQ(FirstBlocker(r), "eni-here-1");
  EXPECT_THROW(Ask(t, "10.0.1.4", "internet"), InputError);  // ambiguous address
}

TEST(SpecialAddressTest, BroadcastMulticastAndLoopback) {
  json n = BaseNetwork();
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  EXPECT_EQ(FirstCode(Ask(n, "a", "255.255.255.255", 53, proto::kUdp)), "NO_ROUTE_TO_DESTINATION");
  EXPECT_EQ(FirstCode(Ask(n, "a", "224.0.0.251", 5353, proto::kUdp)), "NO_ROUTE_TO_DESTINATION");
  EXPECT_EQ(Ask(n, "a", "127.0.0.1", 8080).verdict, Verdict::kReachable);
  const auto r = Ask(n, "internet", "169.254.169.254", 80);
  EXPECT_EQ(FirstCode(r), "NO_POSSIBLE_DESTINATION");
}

TEST(ProxyTest, LinkLocalThroughTheProxyIsNotTheNodesOwn) {
  json n = HybridNetwork();
  n["proxies"] = json::array({{{"id", "px"},
                               {"port", 8080},
                               {"onprem_site", "dc"},
                               {"address", "192.168.1.5"},
                               {"no_proxy", {"localhost"}}}});
  (*Find(n["node_groups"], "a"))["proxy"] = "px";
  const auto r = Ask(n, "a", "169.254.169.254", 80);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(FirstBlocker(r), "px");
  EXPECT_NE(r.trace.blocked.front().fix.find("no_proxy"), std::string::npos);
}

TEST(EquivalenceClassTest, HostServedDifferencesSplitClasses) {
  json n = BaseNetwork();
  n["node_groups"] =
      json::array({Group("compute:a", "subnet-priv"), Group("compute:b", "subnet-priv")});
  (*Find(n["node_groups"], "compute:a"))["imds"] = false;
  (*Find(n["node_groups"], "compute:b"))["role"] = "batch-task";
  const Topology t = Build(n);
  for (const std::string to : {"169.254.169.254", "169.254.170.2"}) {
    const auto classes = Ask(t, "compute", to, 80);
    EXPECT_EQ(classes.verdict, Verdict::kPartial) << to;
    EXPECT_EQ(classes.sources_reachable, 1) << to;
    QuerySpec spec;
    spec.from = "compute";
    spec.to = to;
    spec.port = 80;
    const auto oracle = EvaluatePerEni(t, spec);
    EXPECT_EQ(oracle.verdict, classes.verdict);
    EXPECT_EQ(oracle.sources_reachable, classes.sources_reachable);
  }
}

TEST(IcmpTest, RepliesUseTheMatchingReplyType) {
  // A network ACL that lets in echo replies (type 0) but not timestamp replies (14).
  json n = BaseNetwork();
  json echo_reply = AllowAllEntry();
  echo_reply["protocol"] = "icmp";
  echo_reply["icmp_type"] = 0;
  n["network_acls"] = json::array({Acl("acl-1", {"subnet-pub"}, {echo_reply}, {AllowAllEntry()})});
  n["node_groups"] = json::array({Group("a", "subnet-pub")});
  EXPECT_EQ(Ask(n, "a", "internet", 8, proto::kIcmp).verdict, Verdict::kReachable);
  const auto r = Ask(n, "a", "internet", 13, proto::kIcmp);
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(r.trace.blocked.front().direction, "return");
}

}  // namespace
}  // namespace sim::testing
