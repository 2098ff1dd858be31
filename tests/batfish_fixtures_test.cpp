// The real describe-* outputs of Batfish's AWS tests (../shared/fixtures/aws/batfish/)
// reproduce every outcome its README lists. Batfish's dispositions map onto verdicts:
// ACCEPTED and EXITS_NETWORK are reachable; DENIED_IN, NULL_ROUTED and NO_ROUTE are
// unreachable at the component that drops the packet. Flows Batfish starts at its
// synthetic routers start here at vpc-ID, subnet-ID:ADDR and vgw-ID.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/engine/query.hpp"
#include "sim/graph/topology.hpp"
#include "sim/load/input.hpp"
#include "test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;
using testing::FirstBlocker;
using testing::FirstCode;
using testing::PathHas;

fs::path FixtureDir() { return testing::BatfishFixtureDir(); }

std::vector<SourceFile> ReadRig(const std::string& rig) {
  return testing::ReadJsonDir(FixtureDir() / rig);
}

Network LoadRig(const std::string& rig) {
  auto networks = LoadNetworks(ReadRig(rig));
  EXPECT_EQ(networks.size(), 1u);
  return std::move(networks.front());
}

struct Case {
  std::string test;  // Batfish's JUnit method (and variant)
  std::string rig;
  std::string from, to;
  int protocol;
  int port;
  Verdict verdict;
  std::string blocked_by;  // first blocking component ("" when reachable)
  std::string code;
  std::vector<std::string> path;  // components the forward path must cross
  std::vector<std::string> not_on_path = {};
};

// GoogleTest prints a parameter with this (instead of its bytes).
void PrintTo(const Case& c, std::ostream* os) { *os << c.rig << " " << c.test; }

constexpr int kProto0 = 0;  // Batfish's flows without a protocol
const std::string kSub = "test-subnet", kPub = "test-public-subnet",
                  kPp = "test-public-private-subnet", kNat = "test-nat-gateway";
// test-subnet
const std::string kA = "i-08ef86e76fceabd8d", kAEni = "eni-010f649a7fc5c1e34",
                  kBSg = "sg-02566e413c0030c70", kSubVpc = "vpc-062867d29dbf9386f",
                  kSubAcl = "acl-07102431133dec52a";
// test-public-subnet
const std::string kInst = "i-06669a407b2ef3ae5", kInstSg = "sg-09ccba6656672061b",
                  kIgw1 = "igw-0a409e562d251f766";
// test-public-private-subnet
const std::string kPubI = "i-094a9e5b545a4fde4", kPrivI = "i-099cf38911942421c",
                  kPubSg = "sg-0662342465612f419", kPrivSg = "sg-063f2bb51713c3236",
                  kVgw = "vgw-070087240d6fa2989", kIgw2 = "igw-0eac198308206c358",
                  kVpn = "vpn-05044757278685fd3";
// test-nat-gateway
const std::string kTest1 = "i-0a128d26e59be60f3", kJump = "i-0b31b509174d7f5de",
                  kNgw = "nat-07ab4846da51f4612", kIgw3 = "igw-071753b9c23d8a9b2",
                  kPubAcl = "acl-0792adae678b88f85";

const Verdict kYes = Verdict::kReachable, kNo = Verdict::kUnreachable;

std::vector<Case> Cases() {
  return {
      {"testInstanceToInstance",
       kSub,
       kA,
       "10.10.1.44",
       kProto0,
       443,
       kNo,
       kBSg,
       "ENI_SG_RULES_MISMATCH",
       {kAEni, "sg-03dbad9f9c0cd1949", "eni-029bf1092de61fb40"},
       {kSubAcl}},
      {"testInstanceToOutsideSubnet",
       kSub,
       kA,
       "10.10.0.1",
       kProto0,
       443,
       kNo,
       kSubVpc,
       "NO_POSSIBLE_DESTINATION",
       {kAEni, "rtb-07243bb4843d61c35", kSubAcl}},
      {"testOutsideSubnetToInstance",
       kSub,
       kSubVpc,
       "10.10.1.44",
       kProto0,
       443,
       kNo,
       kBSg,
       "ENI_SG_RULES_MISMATCH",
       {kSubVpc, kSubAcl, "eni-029bf1092de61fb40"}},
      {"testInstanceHasOriginatingVrf",
       kSub,
       kA,
       "i-07519d6ba3f9497e4",
       proto::kTcp,
       22,
       kYes,
       "",
       "",
       {kAEni, "eni-029bf1092de61fb40"}},
      {"testFromInternetToValidPublicIp",
       kPub,
       "internet:8.8.8.8",
       "18.216.80.133",
       proto::kTcp,
       80,
       kNo,
       kInstSg,
       "ENI_SG_RULES_MISMATCH",
       {"internet", kIgw1, "eni-00064850627e198ee"}},
      {"testFromInternetToInvalidPublicIp",
       kPub,
       "internet:8.8.8.8",
       "54.191.107.23",
       kProto0,
       443,
       kNo,
       "internet",
       "NO_POSSIBLE_DESTINATION",
       {"internet"},
       {kIgw1}},
      {"testFromInternetToPrivateIp (a)",
       kPub,
       "internet:8.8.8.8",
       "10.0.0.91",
       kProto0,
       443,
       kNo,
       "internet",
       "NO_POSSIBLE_DESTINATION",
       {"internet"},
       {kIgw1}},
      {"testFromInternetToPrivateIp (b)",
       kPub,
       "internet:8.8.8.8",
       "192.18.0.8",
       kProto0,
       443,
       kYes,
       "",
       "",
       {"internet"},
       {kIgw1}},
      {"testToInternet",
       kPub,
       kInst,
       "8.8.8.8",
       kProto0,
       443,
       kYes,
       "",
       "",
       {"eni-00064850627e198ee", "rtb-0489000c9e6c299e8", "acl-0d9449710ec85473c", kIgw1,
        "internet"}},
      {"testToInternetInvalidPrivateIp",
       kPub,
       "subnet-0bb82ae8b3ea5dc78:10.0.0.92",
       "8.8.8.8",
       proto::kTcp,
       80,
       kNo,
       kIgw1,
       "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
       {"subnet-0bb82ae8b3ea5dc78", "rtb-0489000c9e6c299e8"}},
      {"testFromPrivateToPublicSubnet (a)",
       kPp,
       kPrivI,
       "13.58.55.60",
       kProto0,
       443,
       kNo,
       kVgw,
       "NO_ROUTE_TO_DESTINATION",
       {"eni-07c1506e49d784fe0", "rtb-002f0eabf583bf991"},
       {kIgw2}},
      {"testFromPrivateToPublicSubnet (b)",
       kPp,
       kPrivI,
       "10.0.0.47",
       kProto0,
       443,
       kNo,
       kPubSg,
       "ENI_SG_RULES_MISMATCH",
       {"eni-07c1506e49d784fe0", "eni-09da8cad43844dc1f"}},
      {"testFromPublicToPrivateSubnet",
       kPp,
       kPubI,
       "10.0.1.204",
       kProto0,
       443,
       kNo,
       kPrivSg,
       "ENI_SG_RULES_MISMATCH",
       {"eni-09da8cad43844dc1f", "eni-07c1506e49d784fe0"}},
      {"testFromInternet (a)",
       kPp,
       "internet:8.8.8.8",
       "13.58.55.60",
       kProto0,
       443,
       kNo,
       kPubSg,
       "ENI_SG_RULES_MISMATCH",
       {"internet", kIgw2, "eni-09da8cad43844dc1f"}},
      {"testFromInternet (b)",
       kPp,
       "internet:8.8.8.8",
       "10.0.0.47",
       kProto0,
       443,
       kNo,
       "internet",
       "NO_POSSIBLE_DESTINATION",
       {"internet"},
       {kIgw2}},
      {"testToInternet (a)",
       kPp,
       kPubI,
       "8.8.8.8",
       kProto0,
       443,
       kYes,
       "",
       "",
       {"rtb-0d20fcae075afe460", kIgw2, "internet"}},
      {"testToInternet (b)",
       kPp,
       kPrivI,
       "8.8.8.8",
       kProto0,
       443,
       kNo,
       kVgw,
       "NO_ROUTE_TO_DESTINATION",
       {"rtb-002f0eabf583bf991"},
       {kIgw2}},
      {"testToSite (a)",
       kPp,
       kPubI,
       "19.168.0.0",
       kProto0,
       443,
       kYes,
       "",
       "",
       {kIgw2, "internet"},
       {kVgw}},
      {"testToSite (b)",
       kPp,
       kPrivI,
       "19.168.0.0",
       kProto0,
       443,
       kYes,
       "",
       "",
       {"rtb-002f0eabf583bf991", kVgw, kVpn},
       {kIgw2}},
      {"testFromVgw (a)",
       kPp,
       kVgw,
       "13.58.55.60",
       kProto0,
       443,
       kNo,
       kVgw,
       "NO_ROUTE_TO_DESTINATION",
       {kVgw}},
      {"testFromVgw (b)",
       kPp,
       kVgw,
       "10.0.0.47",
       kProto0,
       443,
       kNo,
       kPubSg,
       "ENI_SG_RULES_MISMATCH",
       {kVgw, "eni-09da8cad43844dc1f"}},
      {"testFromVgw (c)",
       kPp,
       kVgw,
       "10.0.1.204",
       kProto0,
       443,
       kNo,
       kPrivSg,
       "ENI_SG_RULES_MISMATCH",
       {kVgw, "eni-07c1506e49d784fe0"}},
      {"testInstanceToInternet_bidirectional",
       kNat,
       kTest1,
       "8.8.8.8",
       proto::kTcp,
       80,
       kYes,
       "",
       "",
       {"rtb-02fe228b42de92a7c", kNgw, "rtb-0ddf14681733ed0b7", kIgw3, "internet"}},
      {"testUnsupportedIpProtocol",
       kNat,
       kTest1,
       "8.8.8.8",
       107,
       443,
       kNo,
       kNgw,
       "PROTOCOL_RESTRICTION",
       {"rtb-02fe228b42de92a7c", kNgw},
       {kIgw3}},
      {"testNonSessionPacket",
       kNat,
       "internet:8.8.8.8",
       "3.135.127.225",
       proto::kTcp,
       80,
       kNo,
       kNgw,
       "NO_POSSIBLE_DESTINATION",
       {"internet", kIgw3, kPubAcl, kNgw}},
      {"testIntraSubnetPacket",
       kNat,
       kJump,
       "10.1.250.210",
       proto::kTcp,
       80,
       kNo,
       kNgw,
       "NO_POSSIBLE_DESTINATION",
       {"eni-068fb5a0a9a57f23c", kNgw},
       {kPubAcl}},
  };
}

class BatfishOutcome : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    if (FixtureDir().empty())
      GTEST_SKIP() << "../shared/fixtures/aws/batfish is not beside the project";
  }
};

TEST_P(BatfishOutcome, IsReproduced) {
  const Case& c = GetParam();
  const Network n = LoadRig(c.rig);
  const Topology t = Topology::Build(n.scenario);
  const QueryResult r = testing::Ask(t, c.from, c.to, c.port, c.protocol);
  SCOPED_TRACE(c.test + ": " + c.from + " -> " + c.to);
  EXPECT_EQ(r.verdict, c.verdict);
  EXPECT_EQ(FirstBlocker(r), c.blocked_by);
  EXPECT_EQ(FirstCode(r), c.code);
  for (const std::string& id : c.path) EXPECT_TRUE(PathHas(r.trace.forward, id)) << id;
  for (const std::string& id : c.not_on_path) EXPECT_FALSE(PathHas(r.trace.forward, id)) << id;
}

INSTANTIATE_TEST_SUITE_P(Batfish, BatfishOutcome, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           return testing::ParamNameOf(param.param.rig + "_" + param.param.test);
                         });

class BatfishRig : public ::testing::Test {
 protected:
  void SetUp() override {
    if (FixtureDir().empty())
      GTEST_SKIP() << "../shared/fixtures/aws/batfish is not beside the project";
  }
};

// The address rewrites Batfish asserts: the IGW maps 1:1 between private and public IPs.
TEST_F(BatfishRig, InternetGatewayTranslatesOneToOne) {
  const Topology t = Topology::Build(LoadRig(kPub).scenario);
  const auto detail = [](const QueryResult& r, const std::string& id) {
    for (const Hop& h : r.trace.forward) {
      if (h.id == id) return h.detail;
    }
    return std::string();
  };
  EXPECT_NE(detail(testing::Ask(t, "internet:8.8.8.8", "18.216.80.133", 80), kIgw1)
                .find("18.216.80.133 to 10.0.0.91"),
            std::string::npos);
  EXPECT_NE(detail(testing::Ask(t, kInst, "8.8.8.8", 443, kProto0), kIgw1)
                .find("10.0.0.91 to 18.216.80.133"),
            std::string::npos);
}

// Instances are stateful: the reply to an accepted flow passes although the sender's
// group allows only TCP 22 in (testInstanceHasOriginatingVrf), and the NAT gateway's
// reply comes back through its session (testInstanceToInternet_bidirectional).
TEST_F(BatfishRig, RepliesFollowTheSession) {
  const Topology sub = Topology::Build(LoadRig(kSub).scenario);
  const QueryResult ssh = testing::Ask(sub, kA, "i-07519d6ba3f9497e4", 22);
  EXPECT_TRUE(ssh.trace.return_ok);
  EXPECT_TRUE(PathHas(ssh.trace.ret, kAEni));
  const Topology nat = Topology::Build(LoadRig(kNat).scenario);
  const QueryResult web = testing::Ask(nat, kTest1, "8.8.8.8", 80);
  EXPECT_TRUE(PathHas(web.trace.ret, kIgw3));
  EXPECT_TRUE(PathHas(web.trace.ret, kNgw));
  EXPECT_TRUE(PathHas(web.trace.ret, "eni-0e4ce6a7777b9bff8"));
}

// What the import reads and says: the Region from the Availability Zones, the DNS
// defaults, the tunnel telemetry, and the resources of each rig.
TEST_F(BatfishRig, ImportReadsEveryResource) {
  const Network pp = LoadRig(kPp);
  EXPECT_EQ(pp.scenario.region, "us-east-2");
  ASSERT_EQ(pp.scenario.onprem_sites.size(), 1u);
  EXPECT_EQ(pp.scenario.onprem_sites[0].id, kVpn);
  EXPECT_EQ(pp.scenario.onprem_sites[0].cidrs.front().ToString(), "19.168.0.0/16");
  bool telemetry = false, dns = false;
  for (const Diagnostic& w : pp.warnings) {
    telemetry |= w.location == "/VpnConnections/0/VgwTelemetry" &&
                 w.file.ends_with("VpnConnections.json") &&
                 w.message.find("DOWN") != std::string::npos;
    dns |= w.file.ends_with("Vpcs.json") && w.location == "/Vpcs/0" &&
           w.message.find("describe-vpc-attribute") != std::string::npos;
  }
  EXPECT_TRUE(telemetry);
  EXPECT_TRUE(dns);
  const Network nat = LoadRig(kNat);
  ASSERT_EQ(nat.scenario.nat_gateways.size(), 1u);
  EXPECT_EQ(nat.scenario.nat_gateways[0].elastic_ip, ParseIpv4("3.135.127.225"));
  EXPECT_EQ(nat.scenario.nat_gateways[0].private_ip, ParseIpv4("10.1.250.210"));
  // Three instances; the NAT gateway's own interface is modelled by the NAT gateway.
  EXPECT_EQ(nat.scenario.node_groups.size(), 3u);
}

}  // namespace
}  // namespace sim
