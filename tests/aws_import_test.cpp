// Reading aws ec2 describe-* dumps: `vpcsim import` writes a scenario that answers every
// query exactly as the dump does; Batfish's snapshot layouts split a dump per account
// and Region; malformed dumps are errors naming the file, the JSON pointer and, where
// an output is missing, the describe command that produces it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "sim/engine/query.hpp"
#include "sim/graph/topology.hpp"
#include "sim/load/input.hpp"
#include "sim/report/scenario_writer.hpp"
#include "test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;
using testing::FirstCode;
const fs::path kOwnDumps = fs::path(VPCSIM_SOURCE_DIR) / "tests" / "aws";

Network LoadDir(const fs::path& dir) {
  auto networks = LoadNetworks(testing::ReadJsonDir(dir));
  EXPECT_EQ(networks.size(), 1u);
  return std::move(networks.front());
}

// Every question worth asking of a network: each ENI, the internet, each VPC, subnet,
// VGW and site as source; each address anything holds, the internet and services as
// destination; five kinds of traffic.
std::vector<QuerySpec> Battery(const Topology& t) {
  std::vector<std::string> from = {"internet:8.8.8.8"},
                           to = {"8.8.8.8",     "internet",    "service:s3",
                                 "service:ec2", "192.168.1.1", "54.191.107.23"};
  for (std::size_t e = 0; e < t.enis().size(); ++e) {
    const Eni& eni = t.enis()[e];
    from.push_back(t.EniId(static_cast<std::int64_t>(e)));
    to.push_back(FormatIpv4(eni.ip));
    if (eni.public_ip) to.push_back(FormatIpv4(eni.public_ip));
  }
  for (const auto& n : t.nat_gateways()) {
    to.push_back(FormatIpv4(n.private_ip));
    if (n.elastic_ip) to.push_back(FormatIpv4(n.elastic_ip));
  }
  for (const auto& v : t.vpcs()) {
    from.push_back(v.id);
    to.push_back(FormatIpv4(v.cidrs.front().first() + 1));
  }
  for (const auto& sn : t.subnets()) from.push_back(sn.id + ":" + FormatIpv4(sn.cidr.first() + 9));
  for (const auto& g : t.vpn_gateways()) from.push_back(g.id);
  for (const auto& site : t.sites()) from.push_back(site.id);
  std::vector<QuerySpec> out;
  const std::pair<int, int> traffic[] = {{proto::kTcp, 443},
                                         {proto::kTcp, 22},
                                         {proto::kUdp, 53},
                                         {proto::kAll, 0},
                                         {proto::kIcmp, 8}};
  for (const auto& f : from) {
    for (const auto& d : to) {
      for (const auto& [protocol, port] : traffic) {
        QuerySpec q;
        q.from = f;
        q.to = d;
        q.protocol = protocol;
        q.port = port;
        out.push_back(q);
      }
    }
  }
  return out;
}

void ExpectSameAnswers(const Scenario& dump, const Scenario& imported) {
  const Topology a = Topology::Build(dump);
  const Topology b = Topology::Build(imported);
  std::size_t asked = 0, reachable = 0;
  for (const QuerySpec& q : Battery(a)) {
    const QueryResult x = Evaluate(a, q);
    const QueryResult y = Evaluate(b, q);
    SCOPED_TRACE(q.from + " -> " + q.to + " " + ProtocolName(q.protocol) + "/" +
                 std::to_string(q.port));
    ASSERT_EQ(x.verdict, y.verdict);
    ASSERT_EQ(x.trace.blocked, y.trace.blocked);
    ASSERT_EQ(x.trace.forward, y.trace.forward);
    ASSERT_EQ(x.trace.ret, y.trace.ret);
    ++asked;
    reachable += x.verdict == Verdict::kReachable;
  }
  // The battery asks real questions: some answers are yes, some no.
  EXPECT_GT(asked, 100u);
  EXPECT_GT(reachable, 0u);
  EXPECT_LT(reachable, asked);
}

std::vector<fs::path> Dumps() {
  std::vector<fs::path> out = {kOwnDumps / "every-resource"};
  if (const fs::path f = testing::BatfishFixtureDir(); !f.empty()) {
    for (const char* rig :
         {"test-subnet", "test-public-subnet", "test-public-private-subnet", "test-nat-gateway"})
      out.push_back(f / rig);
  }
  return out;
}

class ImportRoundTrip : public ::testing::TestWithParam<fs::path> {};

// import writes the equivalent scenario: loading it gives the same model (written
// again, the same file) and the same answer to every question.
TEST_P(ImportRoundTrip, ScenarioAnswersAsTheDump) {
  const Network dump = LoadDir(GetParam());
  const auto written = ScenarioToJson(dump.scenario);
  const LoadedScenario reloaded =
      LoadScenarioJson(nlohmann::json::parse(written.dump()), "imported.json");
  EXPECT_EQ(ScenarioToJson(reloaded.scenario), written);
  EXPECT_TRUE(reloaded.warnings.empty());
  ExpectSameAnswers(dump.scenario, reloaded.scenario);
}

INSTANTIATE_TEST_SUITE_P(Dumps, ImportRoundTrip, ::testing::ValuesIn(Dumps()),
                         [](const ::testing::TestParamInfo<fs::path>& param) {
                           return testing::ParamNameOf(param.param.filename().string());
                         });

// ---- every resource kind ---------------------------------------------------------------

// tests/aws/every-resource: a dump with every resource kind and the quirks of real ones
// (its README lists each with its pointer).
class EveryResource : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    network_ = new Network(LoadDir(kOwnDumps / "every-resource"));
    topology_ = new Topology(Topology::Build(network_->scenario));
  }
  static void TearDownTestSuite() {
    delete topology_;
    delete network_;
  }
  static bool Warned(const std::string& file, const std::string& location,
                     const std::string& words) {
    return std::any_of(network_->warnings.begin(), network_->warnings.end(),
                       [&](const Diagnostic& w) {
                         return w.file.ends_with("/" + file) && w.location == location &&
                                w.message.find(words) != std::string::npos;
                       });
  }
  static QueryResult Ask(const std::string& from, const std::string& to, int port = 443,
                         int protocol = proto::kTcp) {
    return testing::Ask(*topology_, from, to, port, protocol);
  }
  static inline Network* network_ = nullptr;
  static inline Topology* topology_ = nullptr;
};

const std::string kHead = "eni-0a1b2c3d4e5f65001", kCompute1 = "eni-0a1b2c3d4e5f65002",
                  kCompute2 = "i-0a1b2c3d4e5f69003", kPrivateRtb = "rtb-0a1b2c3d4e5f66003";

TEST_F(EveryResource, EachQuirkIsAWarningAtItsPointer) {
  EXPECT_TRUE(Warned("Vpcs.json", "/Vpcs/0/CidrBlockAssociationSet/1", "disassociated"));
  EXPECT_TRUE(Warned("Vpcs.json", "/Vpcs/0/Ipv6CidrBlockAssociationSet", "IPv6"));
  EXPECT_TRUE(Warned("Vpcs.json", "/Vpcs/1", "enableDnsSupport and enableDnsHostnames"));
  EXPECT_FALSE(Warned("Vpcs.json", "/Vpcs/0", "describe-vpc-attribute"));
  EXPECT_TRUE(Warned("NatGateways.json", "/NatGateways/1/State", "deleted"));
  EXPECT_TRUE(
      Warned("RouteTables.json", "/RouteTables/2/Routes/3/TransitGatewayId", "not modelled"));
  EXPECT_TRUE(
      Warned("RouteTables.json", "/RouteTables/2/Routes/4/VpcPeeringConnectionId", "blackhole"));
  EXPECT_TRUE(Warned("RouteTables.json", "/RouteTables/1/Routes/3", "IPv6 route"));
  EXPECT_TRUE(Warned("SecurityGroups.json", "/SecurityGroups/4/IpPermissions/0/UserIdGroupPairs/0",
                     "across a peering"));
  EXPECT_TRUE(Warned("NetworkAcls.json", "/NetworkAcls/0/Entries/1", "IPv6"));
  EXPECT_TRUE(Warned("Reservations.json", "/Reservations/2/Instances/0", "stopped"));
  EXPECT_TRUE(
      Warned("NetworkInterfaces.json", "/NetworkInterfaces/6/Status", "attached to nothing"));
  EXPECT_TRUE(Warned("NetworkInterfaces.json", "/NetworkInterfaces/9", "not modelled"));
  EXPECT_TRUE(Warned("VpcEndpoints.json", "/VpcEndpoints/2/State", "deleted"));
  EXPECT_TRUE(Warned("VpcEndpoints.json", "/VpcEndpoints/3/VpcEndpointType", "not modelled"));
  EXPECT_TRUE(Warned("other.json", "/DBInstances", "skipped"));
  EXPECT_TRUE(Warned("TransitGateways.json", "/TransitGateways", "not modelled"));
}

TEST_F(EveryResource, ReadsEveryResourceKind) {
  const Scenario& s = network_->scenario;
  ASSERT_EQ(s.vpcs.size(), 2u);
  EXPECT_EQ(s.vpcs[0].cidr_blocks.size(), 1u);  // the disassociated block does not count
  EXPECT_TRUE(s.vpcs[0].enable_dns_support);
  EXPECT_FALSE(s.vpcs[0].enable_dns_hostnames);  // from describe-vpc-attribute
  EXPECT_EQ(s.nat_gateways.size(), 1u);          // the deleted one is left out
  EXPECT_EQ(s.vpc_endpoints.size(), 2u);         // s3 gateway and ecr.api interface
  EXPECT_EQ(s.prefix_lists.size(), 1u);          // pl-0corp from its entries file
  EXPECT_EQ(s.prefix_lists[0].cidrs.size(), 2u);
  ASSERT_EQ(s.onprem_sites.size(), 1u);
  EXPECT_EQ(s.onprem_sites[0].id, "vpn-0a1b2c3d4e5f6b003");
  // Head, two running computes, the appliance and VPC B's instance; not the stopped
  // instance, the unattached ENI or the interfaces of NAT gateways and endpoints.
  std::vector<std::string> names;
  for (const NodeGroup& g : s.node_groups) names.push_back(g.name);
  EXPECT_EQ(names, (std::vector<std::string>{kHead, kCompute1, "eni-0a1b2c3d4e5f65003",
                                             "eni-0a1b2c3d4e5f65008", "eni-0a1b2c3d4e5f65009"}));
  EXPECT_FALSE(s.node_groups[3].source_dest_check);
  // The appliance's Elastic IP appears only in describe-addresses.
  EXPECT_EQ(s.node_groups[3].public_ips, std::vector<Ipv4>{*ParseIpv4("52.1.2.3")});
  EXPECT_EQ(s.node_groups[0].secondary_ips.size(), 1u);
}

TEST_F(EveryResource, RoutesToGoneTargetsAreBlackholes) {
  for (const char* to : {"10.99.0.5", "10.60.0.5", "172.16.0.5"}) {
    const QueryResult r = Ask(kCompute1, to);
    EXPECT_EQ(FirstCode(r), "BAD_STATE_ROUTE") << to;
    EXPECT_EQ(testing::FirstBlocker(r), kPrivateRtb) << to;
  }
  const QueryResult tgw = Ask(kCompute1, "10.50.0.5");
  EXPECT_EQ(FirstCode(tgw), "UNSUPPORTED_COMPONENT");
  EXPECT_EQ(testing::FirstBlocker(tgw), "tgw-0123456789abcdef0");
}

TEST_F(EveryResource, DisassociatedBlockIsNotLocal) {
  // 10.21.0.0/16 was disassociated: the default route takes it to the NAT gateway, and
  // the internet gateway drops a private destination.
  const QueryResult r = Ask(kCompute1, "10.21.0.5");
  EXPECT_TRUE(testing::PathHas(r.trace.forward, "nat-0a1b2c3d4e5f63001"));
  EXPECT_EQ(FirstCode(r), "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS");
}

TEST_F(EveryResource, InstanceStateAndMetadataOptionsCount) {
  EXPECT_EQ(Ask(kCompute1, "169.254.169.254", 80).verdict, Verdict::kReachable);
  EXPECT_EQ(Ask(kCompute2, "169.254.169.254", 80).verdict, Verdict::kUnreachable);
  EXPECT_THROW(Ask("i-0a1b2c3d4e5f69004", "internet"), InputError);  // stopped
}

TEST_F(EveryResource, EndpointsAndDnsAttributes) {
  // Gateway endpoint for S3 in the private route table.
  EXPECT_TRUE(
      testing::PathHas(Ask(kCompute1, "service:s3").trace.forward, "vpce-0a1b2c3d4e5f6a001"));
  // enableDnsHostnames is false in VPC A: the ecr.api endpoint's private DNS does not
  // answer, so the name resolves publicly and the connection leaves through the NAT.
  const QueryResult ecr = Ask(kCompute1, "service:ecr.api");
  EXPECT_FALSE(testing::PathHas(ecr.trace.forward, "vpce-0a1b2c3d4e5f6a002"));
  EXPECT_TRUE(testing::PathHas(ecr.trace.forward, "nat-0a1b2c3d4e5f63001"));
}

TEST_F(EveryResource, SecondaryAddressesAndElasticIps) {
  // The head's secondary address belongs to it; the appliance answers on the Elastic IP
  // known only from describe-addresses.
  const QueryResult secondary = Ask("vpc-0a1b2c3d4e5f60001", "10.20.0.21", 22);
  EXPECT_EQ(secondary.verdict, Verdict::kReachable);
  EXPECT_TRUE(testing::PathHas(secondary.trace.forward, kHead));
  const QueryResult eip = Ask("internet:8.8.8.8", "52.1.2.3", 22);
  EXPECT_TRUE(testing::PathHas(eip.trace.forward, "eni-0a1b2c3d4e5f65008"));
}

// ---- small dumps ------------------------------------------------------------------------

// A dump from JSON texts, file name -> content.
Network FromTexts(const std::map<std::string, std::string>& files) {
  std::vector<SourceFile> sources;
  for (const auto& [name, text] : files) sources.push_back({"dump/" + name, text, 0, "dump"});
  auto networks = LoadNetworks(sources);
  EXPECT_EQ(networks.size(), 1u);
  return std::move(networks.front());
}

const char* kVpc = R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
  "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "us-east-1a"}],
  "InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}],
  "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true,
    "Entries": [{"RuleNumber": 100, "Egress": false, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Egress": true, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"}]}],
  "SecurityGroups": [{"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
    "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]})";

// With describe-instances only, the instances' own interface lists give the ENIs; a
// route may name an instance; an active route to a target the dump lacks is a blackhole.
TEST(SmallDump, InstancesWithoutNetworkInterfacesOutput) {
  const Network n =
      FromTexts({{"vpc.json", kVpc},
                 {"instances.json", R"({"Reservations": [{"Instances": [{
    "InstanceId": "i-nat", "State": {"Code": 16, "Name": "running"}, "SubnetId": "subnet-1",
    "NetworkInterfaces": [{"NetworkInterfaceId": "eni-nat", "SubnetId": "subnet-1", "VpcId": "vpc-1",
      "PrivateIpAddress": "10.0.0.10", "Association": {"PublicIp": "3.80.0.10"},
      "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.10", "Primary": true, "Association": {"PublicIp": "3.80.0.10"}},
                             {"PrivateIpAddress": "10.0.0.11", "Primary": false, "Association": {"PublicIp": "3.80.0.11"}}],
      "Groups": [{"GroupId": "sg-1"}], "SourceDestCheck": false, "Attachment": {"DeviceIndex": 0}}]}]}]})"},
                 {"tables.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
    "Associations": [{"Main": true, "AssociationState": {"State": "associated"}}],
    "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
               {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1", "Origin": "CreateRoute", "State": "active"},
               {"DestinationCidrBlock": "10.8.0.0/16", "InstanceId": "i-nat", "Origin": "CreateRoute", "State": "active"},
               {"DestinationCidrBlock": "10.9.0.0/16", "NatGatewayId": "nat-gone", "Origin": "CreateRoute", "State": "active"}]}],
    "NatGateways": []})"}});
  ASSERT_EQ(n.scenario.node_groups.size(), 1u);
  EXPECT_EQ(n.scenario.node_groups[0].instance_ids, std::vector<std::string>{"i-nat"});
  const auto& routes = n.scenario.route_tables[0].routes;
  ASSERT_EQ(routes.size(), 3u);  // the local route is implicit
  EXPECT_EQ(routes[1].target, "eni-nat");
  EXPECT_EQ(routes[1].target_kind, TargetKind::kNetworkInterface);
  EXPECT_EQ(routes[2].state, RouteState::kBlackhole);
  EXPECT_TRUE(std::any_of(n.warnings.begin(), n.warnings.end(), [](const Diagnostic& w) {
    return w.file == "dump/tables.json" && w.location == "/RouteTables/0/Routes/3/NatGatewayId";
  }));
  // The secondary address is translated 1:1 by the internet gateway, both ways.
  const Topology t = Topology::Build(n.scenario);
  const QueryResult in = testing::Ask(t, "internet:8.8.8.8", "3.80.0.11", 22);
  EXPECT_EQ(in.verdict, Verdict::kReachable);
  bool translated = false;
  for (const Hop& h : in.trace.forward)
    translated |= h.detail.find("3.80.0.11 to 10.0.0.11") != std::string::npos;
  EXPECT_TRUE(translated);
  const QueryResult out = testing::Ask(t, "subnet-1:10.0.0.11", "8.8.8.8", 443);
  EXPECT_EQ(out.verdict, Verdict::kReachable);
}

// Routes a VGW propagates with no VPN connection in the dump are a Direct Connect site;
// a VPN connection that is not available is down.
TEST(SmallDump, PropagatedRoutesAndVpnState) {
  const Network n =
      FromTexts({{"vpc.json", kVpc},
                 {"vgw.json", R"({"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available",
    "VpcAttachments": [{"VpcId": "vpc-1", "State": "attached"}]}]})"},
                 {"tables.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
    "Associations": [{"Main": true}], "PropagatingVgws": [{"GatewayId": "vgw-1"}],
    "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
               {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}]}]})"}});
  ASSERT_EQ(n.scenario.onprem_sites.size(), 1u);
  EXPECT_EQ(n.scenario.onprem_sites[0].id, "vgw-1-onprem");
  EXPECT_EQ(n.scenario.onprem_sites[0].connection, "direct-connect");
  EXPECT_TRUE(n.scenario.route_tables[0].routes.empty());  // re-derived from the site
  const Network down =
      FromTexts({{"vpc.json", kVpc},
                 {"tables.json", R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
    "Associations": [{"Main": true}], "Routes": []}]})"},
                 {"vgw.json", R"({"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available",
    "VpcAttachments": [{"VpcId": "vpc-1", "State": "attached"}]}],
    "VpnConnections": [{"VpnConnectionId": "vpn-1", "VpnGatewayId": "vgw-1", "State": "pending",
      "Routes": [{"DestinationCidrBlock": "172.20.0.0/16", "State": "available"}]}]})"}});
  ASSERT_EQ(down.scenario.onprem_sites.size(), 1u);
  EXPECT_FALSE(down.scenario.onprem_sites[0].connection_up);
}

// ---- layouts ------------------------------------------------------------------------

class DumpLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("vpcsim-layout-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A one-VPC dump with one ENI at `ip` in `zone`.
  void WriteDump(const fs::path& dir, const std::string& zone, const std::string& ip) {
    fs::create_directories(dir);
    std::ofstream(dir / "vpcs.json")
        << R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})";
    std::ofstream(dir / "subnets.json")
        << R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": ")"
        << zone << R"("}]})";
    std::ofstream(dir / "groups.json")
        << R"({"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1", "IpPermissions": [], "IpPermissionsEgress": []}]})";
    std::ofstream(dir / "tables.json")
        << R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": []}],
               "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": []}]})";
    std::ofstream(dir / "enis.json")
        << R"({"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddress": ")"
        << ip
        << R"(", "Groups": [{"GroupId": "sg-1"}], "Status": "in-use", "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0}}]})";
  }
  fs::path root_;
};

// Batfish's snapshot layouts: each Region and each account keeps its own resources,
// even where their ids collide.
TEST_F(DumpLayout, EachAccountAndRegionIsItsOwnNetwork) {
  const fs::path configs = root_ / "aws_configs";
  WriteDump(configs / "us-east-2", "us-east-2a", "10.0.0.5");
  WriteDump(configs / "accounts" / "111122223333" / "us-west-2", "us-west-2b", "10.0.0.6");
  WriteDump(configs / "accounts" / "444455556666" / "us-west-2", "us-west-2c", "10.0.0.7");
  const auto networks = LoadNetworks(testing::ReadJsonDir(configs));
  ASSERT_EQ(networks.size(), 3u);
  std::map<std::string, std::string> region_of;
  for (const Network& n : networks) {
    region_of[n.scenario.name] = n.scenario.region;
    ASSERT_EQ(n.scenario.node_groups.size(), 1u);
  }
  EXPECT_EQ(region_of["aws_configs/us-east-2"], "us-east-2");
  EXPECT_EQ(region_of["111122223333/us-west-2"], "us-west-2");
  EXPECT_EQ(region_of["444455556666/us-west-2"], "us-west-2");
}

// Without a layout, every describe-* file of the command line is one dump, whatever the
// files are named and however their keys are spread.
TEST_F(DumpLayout, FilesAreRecognisedByKeysNotNames) {
  fs::create_directories(root_);
  std::ofstream(root_ / "a.json")
      << R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/24", "AvailabilityZone": "eu-west-1a"}]})";
  std::ofstream(root_ / "d.json")
      << R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": []}],
             "NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Entries": []}]})";
  std::ofstream(root_ / "b.json") << R"({"VpcId": "vpc-1", "EnableDnsSupport": {"Value": false}})";
  std::ofstream(root_ / "c.json") << R"({"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": true}})";
  const auto networks = LoadNetworks(testing::ReadJsonDir(root_));
  ASSERT_EQ(networks.size(), 1u);
  const Scenario& s = networks[0].scenario;
  EXPECT_EQ(s.region, "eu-west-1");
  ASSERT_EQ(s.vpcs.size(), 1u);
  EXPECT_FALSE(s.vpcs[0].enable_dns_support);
  EXPECT_TRUE(s.vpcs[0].enable_dns_hostnames);
  // Both attribute outputs are present: no default is taken, so no warning says so.
  for (const Diagnostic& w : networks[0].warnings)
    EXPECT_EQ(w.message.find("describe-vpc-attribute"), std::string::npos) << w.ToString();
}

// ---- malformed dumps ------------------------------------------------------------------

// tests/aws/invalid/<case>/ holds the dump and expected.txt: one "FILE:LOCATION: message"
// line per problem, FILE relative to the case's directory.
class InvalidDump : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidDump, ReportsEveryProblemWithItsLocation) {
  const fs::path dir = kOwnDumps / "invalid" / GetParam();
  std::vector<std::string> expected;
  {
    std::ifstream in(dir / "expected.txt");
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) expected.push_back(line);
    }
  }
  ASSERT_FALSE(expected.empty());
  std::vector<std::string> actual;
  try {
    LoadNetworks(testing::ReadJsonDir(dir));
    ADD_FAILURE() << "the dump was accepted";
  } catch (const InputError& e) {
    // Paths are written relative to the case's directory.
    const std::string prefix = dir.string() + "/";
    for (const Diagnostic& d : e.diagnostics()) {
      std::string line = d.ToString();
      for (std::size_t at; (at = line.find(prefix)) != std::string::npos;)
        line.erase(at, prefix.size());
      actual.push_back(line);
    }
  }
  EXPECT_EQ(actual, expected);
}

std::vector<std::string> InvalidCases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kOwnDumps / "invalid")) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidDump, ::testing::ValuesIn(InvalidCases()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return testing::ParamNameOf(param.param);
                         });

}  // namespace
}  // namespace sim
