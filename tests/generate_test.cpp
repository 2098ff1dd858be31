// `vpcsim generate`: synthetic networks of the requested size, reproducible from a seed,
// that load as scenarios and import as describe-* dumps.
#include "sim/model/generate.hpp"

#include <gtest/gtest.h>

#include "sim/engine/check.hpp"
#include "sim/load/input.hpp"
#include "sim/report/aws_writer.hpp"
#include "sim/report/scenario_writer.hpp"
#include "test_util.hpp"

namespace sim {
namespace {

std::int64_t Enis(const Scenario& s, const std::string& role = "") {
  std::int64_t n = 0;
  for (const NodeGroup& g : s.node_groups) {
    if ((role.empty() && g.role != "head" && g.role != "proxy") || g.role == role) n += g.count;
  }
  return n;
}

TEST(Generate, SizesSeedsAndShape) {
  const Scenario a = GenerateNetwork({5000, 600, 5, 7});
  EXPECT_EQ(Enis(a), 5000);
  EXPECT_EQ(a.vpcs.size(), 3u);  // 250 /24 subnets per /16 VPC
  std::size_t private_subnets = 0;
  for (const Subnet& sn : a.subnets) private_subnets += !sn.map_public_ip_on_launch;
  EXPECT_EQ(private_subnets, 600u);
  EXPECT_GT(Enis(a, "batch-task"), 0);
  EXPECT_GT(Enis(a, "compute"), 0);
  EXPECT_EQ(a.network_acls[0].ingress.size() + a.network_acls[0].egress.size(), 20u);
  EXPECT_EQ(a.route_tables[1].routes.size(), 46u);  // near the quota of 50
  // The same seed gives the same network; another seed another one.
  EXPECT_EQ(ScenarioToJson(a), ScenarioToJson(GenerateNetwork({5000, 600, 5, 7})));
  EXPECT_NE(ScenarioToJson(a), ScenarioToJson(GenerateNetwork({5000, 600, 5, 8})));
  EXPECT_THROW(GenerateNetwork({1000000, 10, 5, 1}), std::invalid_argument);
}

TEST(Generate, LoadsAsAScenarioAndImportsAsADump) {
  const Scenario s = GenerateNetwork({3000, 24, 3, 1});
  auto loaded = LoadNetworks({{"g.json", ScenarioToJson(s).dump(), 0, "g.json"}});
  ASSERT_EQ(loaded.size(), 1u);
  const Topology t = Topology::Build(loaded.front().scenario);
  EXPECT_EQ(testing::Ask(t, "compute", "service:s3").verdict, Verdict::kReachable);
  EXPECT_EQ(testing::Ask(t, "batch-task", "service:ecr.api").verdict, Verdict::kReachable);
  // Batch container instances of the first VPC go through the proxy.
  const QueryResult proxied = testing::Ask(t, "batch-instance", "service:ecs");
  EXPECT_EQ(proxied.via_proxy, "proxy-gen");
  std::vector<SourceFile> files;
  for (const auto& [name, doc] : ScenarioToAwsDump(s))
    files.push_back({"dump/" + name, doc.dump(), 0, "dump"});
  auto dump = LoadNetworks(files);
  ASSERT_EQ(dump.size(), 1u);
  std::int64_t enis = 0;
  for (const NodeGroup& g : dump.front().scenario.node_groups) enis += g.count;
  EXPECT_EQ(enis, 3000 + 1 + 1);  // the fleet, the head node and the proxy
  const Topology td = Topology::Build(dump.front().scenario);
  const QueryResult r = testing::Ask(td, t.EniId(t.groups()[0].first_eni), "service:s3");
  EXPECT_EQ(r.verdict, Verdict::kReachable);
}

// In an imported dump every ENI is its own node group; the matrix asks a question about
// a service once per class of them, and must answer as asking each group does.
TEST(Generate, MatrixOfADumpAnswersAsThePerEniOracle) {
  Scenario s = GenerateNetwork({600, 6, 3, 3});
  for (RouteTable& t : s.route_tables) {
    if (t.id == "rtb-gen0-private-1") t.routes.clear();  // zone b: no internet
  }
  std::vector<SourceFile> files;
  for (const auto& [name, doc] : ScenarioToAwsDump(s))
    files.push_back({"dump/" + name, doc.dump(), 0, "dump"});
  const auto dump = LoadNetworks(files);
  const Topology t = Topology::Build(dump.front().scenario);
  const Matrix fast = BuildMatrix(t);
  const Matrix oracle = BuildMatrix(t, {}, Evaluation::kPerEni);
  ASSERT_EQ(fast.cells.size(), oracle.cells.size());
  std::size_t reachable = 0;
  for (std::size_t i = 0; i < fast.cells.size(); ++i) {
    EXPECT_EQ(fast.cells[i].verdict, oracle.cells[i].verdict) << fast.cells[i].spec.from;
    EXPECT_EQ(fast.cells[i].blocked_by, oracle.cells[i].blocked_by);
    EXPECT_EQ(fast.cells[i].code, oracle.cells[i].code);
    EXPECT_EQ(fast.cells[i].spec.from, oracle.cells[i].spec.from);
    reachable += fast.cells[i].verdict == Verdict::kReachable;
  }
  EXPECT_GT(fast.cells.size(), 600u);
  EXPECT_GT(reachable, 0u);
  EXPECT_LT(reachable, fast.cells.size());
}

}  // namespace
}  // namespace sim
