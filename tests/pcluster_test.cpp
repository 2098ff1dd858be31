// AWS ParallelCluster awareness: the v2 INI and v3 YAML readers, placement exactly as
// ParallelCluster launches (a test per rule of parallelcluster.md §1.2 and §1.3, and the
// security groups and proxy of §1.4-1.5), the requirement table, the readiness check,
// and the corpus of bad configs (tests/pcluster/invalid/NAME.ini|yaml + NAME.expected).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/engine/readiness.hpp"
#include "sim/load/input.hpp"
#include "sim/load/pcluster_config.hpp"
#include "sim/load/pcluster_place.hpp"
#include "test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;
using testing::BaseNetwork;
using testing::json;

// BaseNetwork (subnet-pub auto-assigns public IPs and routes to igw-1; subnet-priv uses
// the main table, local only) plus a NAT gateway for subnet-priv unless told otherwise.
json Network(bool nat = true) {
  json n = BaseNetwork();
  if (nat) testing::AddNat(n);
  return n;
}

sim::Network Place(const json& network, const std::string& config,
                   const std::string& name = "cluster.ini") {
  auto networks = LoadNetworks({{"net.json", network.dump(), 0, "net.json"}});
  EXPECT_EQ(networks.size(), 1u);
  AttachPcluster(networks.front(), {name, config, 0, name});
  return std::move(networks.front());
}

const NodeGroup& GroupOf(const sim::Network& n, const std::string& name) {
  for (const NodeGroup& g : n.scenario.node_groups) {
    if (g.name == name) return g;
  }
  throw std::runtime_error("no group " + name);
}

// Whether the placed group's ENIs get a public IPv4, as the topology decides.
bool PublicIp(const sim::Network& n, const std::string& group) {
  const Topology t = Topology::Build(n.scenario);
  const auto g = t.FindGroup(group);
  EXPECT_TRUE(g.has_value()) << group;
  return t.enis()[static_cast<std::size_t>(t.groups()[static_cast<std::size_t>(*g)].first_eni)]
             .public_ip != 0;
}

std::string V2(const std::string& vpc_keys,
               const std::string& cluster_keys = "scheduler = slurm\n") {
  return "[global]\ncluster_template = default\n\n[cluster default]\nvpc_settings = net\n" +
         cluster_keys + "\n[vpc net]\nvpc_id = vpc-1\n" + vpc_keys;
}

std::string V3(const std::string& head_networking, const std::string& queue_networking,
               const std::string& scheduling_extra = "") {
  return "HeadNode:\n  InstanceType: t3.medium\n  Networking:\n    SubnetId: subnet-pub\n" +
         head_networking + "Scheduling:\n  Scheduler: slurm\n" + scheduling_extra +
         "  SlurmQueues:\n    - Name: q1\n      ComputeResources:\n        - Name: c\n          "
         "InstanceType: c5.large\n          MinCount: 2\n          MaxCount: 40\n      "
         "Networking:\n        SubnetIds:\n"
         "          - subnet-priv\n" +
         queue_networking;
}

// ---- §1.2 use_public_ips (v2) and ElasticIp / AssignPublicIp (v3) -------------------------

TEST(PclusterPlacement, V2UsePublicIpsGivesTheHeadAnElasticIpWhateverTheSubnet) {
  json n = Network();
  n["subnets"][0]["map_public_ip_on_launch"] = false;
  const auto placed = Place(n, V2("master_subnet_id = subnet-pub\nuse_public_ips = true\n"));
  EXPECT_TRUE(PublicIp(placed, "head"));
}

TEST(PclusterPlacement, V2WithoutPublicIpsTheHeadFollowsTheSubnet) {
  json n = Network();
  EXPECT_TRUE(
      PublicIp(Place(n, V2("master_subnet_id = subnet-pub\nuse_public_ips = false\n")), "head"));
  n["subnets"][0]["map_public_ip_on_launch"] = false;
  EXPECT_FALSE(
      PublicIp(Place(n, V2("master_subnet_id = subnet-pub\nuse_public_ips = false\n")), "head"));
}

TEST(PclusterPlacement, V2ComputeInTheHeadSubnetGetsPublicIpsOnlyWithUsePublicIps) {
  const json n = Network();
  EXPECT_TRUE(PublicIp(Place(n, V2("master_subnet_id = subnet-pub\n")), "compute"));
  // Explicit false in the launch template beats the subnet's auto-assign.
  EXPECT_FALSE(
      PublicIp(Place(n, V2("master_subnet_id = subnet-pub\nuse_public_ips = false\n")), "compute"));
  // compute_subnet_id equal to master_subnet_id is the head's subnet too.
  EXPECT_TRUE(PublicIp(
      Place(n, V2("master_subnet_id = subnet-pub\ncompute_subnet_id = subnet-pub\n")), "compute"));
}

TEST(PclusterPlacement, V2ComputeInAnotherSubnetNeverGetsAPublicIp) {
  json n = Network();
  n["subnets"][1]["map_public_ip_on_launch"] = true;
  const auto placed = Place(n, V2("master_subnet_id = subnet-pub\ncompute_subnet_id = "
                                  "subnet-priv\nuse_public_ips = true\n"));
  EXPECT_EQ(GroupOf(placed, "compute").subnet, "subnet-priv");
  EXPECT_FALSE(PublicIp(placed, "compute"));
}

TEST(PclusterPlacement, V2BatchInstancesFollowTheSubnetAndTaskEnisNeverGetAPublicIp) {
  json n = Network();
  n["subnets"][1]["map_public_ip_on_launch"] = true;
  const auto placed =
      Place(n, V2("master_subnet_id = subnet-pub\ncompute_subnet_id = subnet-priv\n",
                  "scheduler = awsbatch\n"));
  EXPECT_TRUE(PublicIp(placed, "batch-instance"));
  EXPECT_FALSE(PublicIp(placed, "batch-task"));
  EXPECT_EQ(GroupOf(placed, "batch-task").role, "batch-task");
  EXPECT_THROW(GroupOf(placed, "compute"), std::runtime_error);
}

TEST(PclusterPlacement, V3ElasticIpAndAssignPublicIp) {
  json n = Network();
  n["subnets"][0]["map_public_ip_on_launch"] = false;
  n["subnets"][1]["map_public_ip_on_launch"] = true;
  EXPECT_FALSE(PublicIp(Place(n, V3("", ""), "c.yaml"), "head"));  // ElasticIp false by default
  EXPECT_TRUE(PublicIp(Place(n, V3("    ElasticIp: true\n", ""), "c.yaml"), "head"));
  EXPECT_TRUE(PublicIp(Place(n, V3("    ElasticIp: eipalloc-0abc\n", ""), "c.yaml"), "head"));
  // AssignPublicIp unset: the subnet decides; set: it decides.
  EXPECT_TRUE(PublicIp(Place(n, V3("", ""), "c.yaml"), "compute:q1"));
  EXPECT_FALSE(
      PublicIp(Place(n, V3("", "        AssignPublicIp: false\n"), "c.yaml"), "compute:q1"));
}

// ---- §1.3 compute_subnet_cidr ----------------------------------------------------------

TEST(PclusterPlacement, ComputeSubnetCidrCreatesASubnetRoutedThroughTheHeadNode) {
  json n = Network(false);
  n["subnets"][0]["availability_zone"] = "us-east-1b";
  const auto placed =
      Place(n, V2("master_subnet_id = subnet-pub\ncompute_subnet_cidr = 10.0.8.0/24\n"));
  const Subnet* created = nullptr;
  for (const Subnet& sn : placed.scenario.subnets) {
    if (sn.id == kPclusterComputeSubnet) created = &sn;
  }
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->cidr.ToString(), "10.0.8.0/24");
  EXPECT_EQ(created->availability_zone, "us-east-1b");  // the head node's AZ
  EXPECT_FALSE(created->map_public_ip_on_launch);
  EXPECT_EQ(GroupOf(placed, "compute").subnet, kPclusterComputeSubnet);
  EXPECT_FALSE(PublicIp(placed, "compute"));
  EXPECT_FALSE(GroupOf(placed, "head").source_dest_check);
  // The head ENI masquerades: compute reaches the internet through it.
  const Topology t = Topology::Build(placed.scenario);
  const QueryResult r = testing::Ask(t, "compute", "service:cloudformation");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
  EXPECT_TRUE(testing::PathHas(r.trace.forward, kPclusterComputeRouteTable));
  EXPECT_TRUE(testing::PathHas(r.trace.forward, "igw-1"));
}

TEST(PclusterPlacement, ComputeSubnetCidrDoesNotWorkWithoutTheHeadsPublicIp) {
  // Maintainer, PR #1056: with use_public_ips = false "it does not work".
  json n = Network(false);
  n["subnets"][0]["map_public_ip_on_launch"] = false;
  const auto placed = Place(
      n, V2("master_subnet_id = subnet-pub\ncompute_subnet_cidr = 10.0.8.0/24\nuse_public_ips = "
            "false\n"));
  const Topology t = Topology::Build(placed.scenario);
  const QueryResult r = testing::Ask(t, "compute", "service:cloudformation");
  EXPECT_EQ(r.verdict, Verdict::kUnreachable);
  EXPECT_EQ(testing::FirstCode(r), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
}

TEST(PclusterPlacement, ComputeSubnetCidrIsIgnoredWithComputeSubnetId) {
  const auto placed =
      Place(Network(), V2("master_subnet_id = subnet-pub\ncompute_subnet_id = subnet-priv\n"
                          "compute_subnet_cidr = 10.0.8.0/24\n"));
  EXPECT_EQ(GroupOf(placed, "compute").subnet, "subnet-priv");
  EXPECT_TRUE(std::any_of(placed.warnings.begin(), placed.warnings.end(), [](const Diagnostic& w) {
    return w.location == "[vpc net] compute_subnet_cidr";
  }));
}

// ---- §1.4 security groups, §1.5 proxy --------------------------------------------------------

TEST(PclusterPlacement, ManagedSecurityGroupsUnlessReplaced) {
  const auto managed =
      Place(Network(), V2("master_subnet_id = subnet-pub\nadditional_sg = sg-open\n"));
  EXPECT_EQ(GroupOf(managed, "head").security_groups,
            (std::vector<std::string>{kPclusterHeadSg, "sg-open"}));
  EXPECT_EQ(GroupOf(managed, "compute").security_groups,
            (std::vector<std::string>{kPclusterComputeSg, "sg-open"}));
  const Topology t = Topology::Build(managed.scenario);
  EXPECT_EQ(testing::Ask(t, "compute", "head", 2049).verdict, Verdict::kReachable);
  // Without additional groups the head's Elastic IP admits SSH from ssh_from
  // (0.0.0.0/0) and nothing else.
  const auto alone = Place(Network(), V2("master_subnet_id = subnet-pub\n"));
  const Topology ta = Topology::Build(alone.scenario);
  const std::string head_ip = FormatIpv4(
      ta.enis()[static_cast<std::size_t>(
                    ta.groups()[static_cast<std::size_t>(*ta.FindGroup("head"))].first_eni)]
          .public_ip);
  EXPECT_EQ(testing::Ask(ta, "internet:8.8.8.8", head_ip, 22).verdict, Verdict::kReachable);
  EXPECT_EQ(testing::FirstBlocker(testing::Ask(ta, "internet:8.8.8.8", head_ip, 80)),
            kPclusterHeadSg);
  // vpc_security_group_id replaces both managed groups.
  const auto replaced =
      Place(Network(), V2("master_subnet_id = subnet-pub\nvpc_security_group_id = sg-open\n"));
  EXPECT_EQ(GroupOf(replaced, "head").security_groups, std::vector<std::string>{"sg-open"});
  EXPECT_EQ(GroupOf(replaced, "compute").security_groups, std::vector<std::string>{"sg-open"});
}

TEST(PclusterPlacement, ProxySendsEveryAwsCallThroughItButNotTheBatchSide) {
  json n = Network(false);
  n["node_groups"] = json::array({testing::Group("squid", "subnet-pub")});
  n["node_groups"][0]["private_ips"] = json::array({"10.0.0.50"});
  const auto placed =
      Place(n, V2("master_subnet_id = subnet-priv\ncompute_subnet_id = subnet-priv\n",
                  "scheduler = awsbatch\nproxy_server = http://10.0.0.50:3128\n"));
  const NodeGroup& head = GroupOf(placed, "head");
  ASSERT_EQ(head.proxy, kPclusterProxy);
  const Proxy& proxy = placed.scenario.proxies.back();
  EXPECT_EQ(proxy.node_group, "squid");
  EXPECT_EQ(proxy.port, 3128);
  EXPECT_EQ(proxy.no_proxy,
            (std::vector<std::string>{"localhost", "127.0.0.1", "169.254.169.254"}));
  EXPECT_TRUE(GroupOf(placed, "batch-instance").proxy.empty());
  EXPECT_TRUE(GroupOf(placed, "batch-task").proxy.empty());
  const Topology t = Topology::Build(placed.scenario);
  EXPECT_EQ(testing::Ask(t, "head", "service:cloudformation").via_proxy, kPclusterProxy);
}

// ---- readers ---------------------------------------------------------------------------

TEST(PclusterConfigReader, V2ReadsConfigparserSyntax) {
  const auto c = ParsePclusterConfig(
                     "# comment\n[global]\ncluster_template: main\n; another comment\n"
                     "[cluster main]\nscheduler = sge\nvpc_settings = v\nproxy_server = "
                     "http://proxy.corp:8080\ndisable_cluster_dns = true\n[vpc v]\nvpc_id = vpc-1\n"
                     "master_subnet_id = subnet-pub\nadditional_sg =\n  sg-1\n",
                     "c.ini")
                     .config;
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(c.scheduler.value, "sge");
  EXPECT_EQ(c.head_proxy.value, "http://proxy.corp:8080");
  EXPECT_TRUE(c.disable_managed_dns);
  EXPECT_EQ(c.additional_sg.value, "sg-1");  // a continuation line
  EXPECT_EQ(c.head_subnet.at, "[vpc v] master_subnet_id");
}

TEST(PclusterConfigReader, V3ReadsQueuesAndSwitches) {
  const auto c = ParsePclusterConfig(V3("    Proxy:\n      HttpProxyAddress: http://p:3128\n", "",
                                        "  SlurmSettings:\n    Dns:\n      DisableManagedDns: "
                                        "true\n") +
                                         "DirectoryService:\n  DomainName: corp.example.com\n",
                                     "c.yaml")
                     .config;
  EXPECT_EQ(c.version, 3);
  ASSERT_EQ(c.queues.size(), 1u);
  EXPECT_EQ(c.queues[0].name, "q1");
  EXPECT_EQ(c.queues[0].count, 2);  // MinCount: the nodes running at launch
  EXPECT_EQ(c.queues[0].subnets[0].at, "/Scheduling/SlurmQueues/0/Networking/SubnetIds/0");
  EXPECT_TRUE(c.disable_managed_dns);
  EXPECT_TRUE(c.directory_service);
  EXPECT_EQ(c.head_proxy.value, "http://p:3128");
}

TEST(PclusterConfigReader, UnknownKeysInNetworkSectionsAreWarnings) {
  const auto loaded =
      ParsePclusterConfig(V2("master_subnet_id = subnet-pub\nfoo = bar\n"), "c.ini");
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_EQ(loaded.warnings[0].location, "[vpc net] foo");
  // Keys that do not shape the network are accepted silently.
  EXPECT_TRUE(ParsePclusterConfig(V2("master_subnet_id = subnet-pub\n",
                                     "scheduler = slurm\nkey_name = k\nbase_os = alinux2\n"),
                                  "c.ini")
                  .warnings.empty());
}

TEST(PclusterConfigReader, ReadsWhatParallelClusterAccepts) {
  // Inline "#" comments (configparser with inline_comment_prefixes), and a long value of
  // an option that does not shape the network.
  const auto v2 = ParsePclusterConfig(
      V2("master_subnet_id = subnet-pub   # the public one\nuse_public_ips = false # EIPs\n",
         "scheduler = slurm  # queue mode\nextra_json = " + std::string(230, 'x') + "\n"),
      "c.ini");
  EXPECT_EQ(v2.config.head_subnet.value, "subnet-pub");
  EXPECT_EQ(v2.config.scheduler.value, "slurm");
  EXPECT_FALSE(v2.config.use_public_ips.value);
  ASSERT_EQ(v2.warnings.size(), 1u);
  EXPECT_EQ(v2.warnings[0].location, "[cluster default] extra_json");
  // YAML 1.1 booleans (PyYAML), and ElasticIp spelled in capitals.
  const auto v3 =
      ParsePclusterConfig(V3("    ElasticIp: FALSE\n", "        AssignPublicIp: yes\n"), "c.yaml");
  EXPECT_EQ(v3.config.elastic_ip.value, "false");
  EXPECT_EQ(v3.config.queues[0].assign_public_ip, std::optional<bool>(true));
}

// ---- requirements and readiness ----------------------------------------------------------

std::vector<std::string> Ids(const std::vector<const Requirement*>& rows) {
  std::vector<std::string> out;
  for (const Requirement* r : rows) out.push_back(r->id);
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

TEST(PclusterRequirements, RowsDependOnVersionSchedulerAndSwitches) {
  const RequirementTable& t = BuiltInRequirements();
  const auto v3 = Ids(t.For(3, "slurm", false, false));
  EXPECT_TRUE(Has(v3, "v3-head-route53"));
  EXPECT_TRUE(Has(v3, "v3-compute-dynamodb"));
  EXPECT_FALSE(Has(v3, "v3-head-secretsmanager"));
  EXPECT_FALSE(Has(Ids(t.For(3, "slurm", true, false)), "v3-head-route53"));
  EXPECT_TRUE(Has(Ids(t.For(3, "slurm", false, true)), "v3-head-secretsmanager"));
  const auto sge = Ids(t.For(2, "sge", false, false));
  EXPECT_TRUE(Has(sge, "v2-compute-sqs"));
  EXPECT_TRUE(Has(sge, "compute-head-sge"));
  EXPECT_FALSE(Has(sge, "compute-head-slurmctld"));
  const auto batch = Ids(t.For(3, "awsbatch", false, false));
  EXPECT_TRUE(Has(batch, "batch-task-s3"));
  EXPECT_TRUE(Has(batch, "batch-instance-ecs"));
  EXPECT_FALSE(Has(batch, "v3-compute-dynamodb"));
}

ClusterCheck ReadinessOf(const sim::Network& placed) {
  const Topology t = Topology::Build(placed.scenario);
  return JudgeReadiness(EvaluateReadiness(t, *placed.pcluster), std::nullopt);
}

TEST(PclusterReadiness, WorkingNetworkComesUp) {
  const auto c = ReadinessOf(
      Place(Network(), V2("master_subnet_id = subnet-pub\ncompute_subnet_id = subnet-priv\n")));
  EXPECT_TRUE(c.pass) << c.reason;
  EXPECT_GT(c.readiness.outcomes.size(), 10u);
}

TEST(PclusterReadiness, PrivateComputeWithoutNatFailsWithTheSymptomUsersSee) {
  const auto c = ReadinessOf(Place(Network(false), V3("", ""), "c.yaml"));
  EXPECT_FALSE(c.pass);
  const auto failing = FailingIds(c.readiness);
  EXPECT_TRUE(Has(failing, "v3-compute-dynamodb"));
  EXPECT_FALSE(Has(failing, "v3-head-cloudformation"));
  for (const RequirementOutcome& o : c.readiness.outcomes) {
    if (o.requirement->id != "v3-compute-dynamodb") continue;
    EXPECT_NE(o.requirement->symptom.find("ruby_block[retrieve compute node info]"),
              std::string::npos);
    EXPECT_EQ(testing::FirstBlocker(o.result), "rtb-main");
    EXPECT_EQ(testing::FirstCode(o.result), "NO_ROUTE_TO_DESTINATION");
  }
}

TEST(PclusterReadiness, DnsValidatorsSpeakParallelClustersWords) {
  json n = Network();
  n["vpcs"][0]["enableDnsHostnames"] = false;
  const auto v2 = ReadinessOf(Place(n, V2("master_subnet_id = subnet-pub\n")));
  ASSERT_EQ(v2.readiness.validators.size(), 1u);
  EXPECT_EQ(v2.readiness.validators[0].message, "DNS Hostnames not enabled in the VPC vpc-1");
  EXPECT_FALSE(v2.pass);
  n["vpcs"][0]["enableDnsSupport"] = false;
  const auto v3 = ReadinessOf(Place(n, V3("", ""), "c.yaml"));
  ASSERT_EQ(v3.readiness.validators.size(), 2u);
  EXPECT_EQ(v3.readiness.validators[0].message, "DNS Support is not enabled in the VPC vpc-1.");
}

TEST(PclusterReadiness, ExpectationsListExactlyTheFailingRequirements) {
  const sim::Network placed = Place(Network(false), V3("", ""), "c.yaml");
  const Topology t = Topology::Build(placed.scenario);
  sim::Readiness r = EvaluateReadiness(t, *placed.pcluster);
  ClusterExpectation e;
  e.ready = false;
  e.failing = FailingIds(r);
  EXPECT_TRUE(JudgeReadiness(r, e).pass);
  e.failing.pop_back();
  EXPECT_FALSE(JudgeReadiness(r, e).pass);
}

// ---- bad configs ---------------------------------------------------------------------------

class BadConfig : public ::testing::TestWithParam<std::string> {};

TEST_P(BadConfig, ReportsItsLocation) {
  const fs::path dir = fs::path(VPCSIM_SOURCE_DIR) / "tests" / "pcluster" / "invalid";
  std::ifstream in(dir / GetParam());
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<std::string> expected;
  std::ifstream e(dir / (fs::path(GetParam()).stem().string() + ".expected"));
  for (std::string line; std::getline(e, line);) {
    if (!line.empty()) expected.push_back(line);
  }
  ASSERT_FALSE(expected.empty());
  std::vector<std::string> actual;
  try {
    Place(Network(), text.str(), GetParam());
    ADD_FAILURE() << "accepted";
  } catch (const InputError& err) {
    for (const Diagnostic& d : err.diagnostics()) actual.push_back(d.ToString());
  }
  EXPECT_EQ(actual, expected);
}

std::vector<std::string> BadConfigs() {
  std::vector<std::string> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(VPCSIM_SOURCE_DIR) / "tests" / "pcluster" / "invalid")) {
    const std::string ext = e.path().extension().string();
    if (ext == ".ini" || ext == ".yaml") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadConfig, ::testing::ValuesIn(BadConfigs()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return testing::ParamNameOf(param.param);
                         });

}  // namespace
}  // namespace sim
