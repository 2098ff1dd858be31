// Query cost at several fleet sizes: the class-based engine against the per-ENI oracle,
// measured in the same run (the oracle is the baseline). Networks are synthetic: one
// VPC, a public subnet with a NAT gateway, N private /22 subnets of compute ENIs.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "sim/engine/query.hpp"
#include "sim/graph/topology.hpp"
#include "sim/load/scenario_loader.hpp"

namespace sim {
namespace {

using nlohmann::json;

json Fleet(int subnets, int enis_per_subnet) {
  json n = {{"name", "fleet"}, {"region", "us-east-1"}};
  n["vpcs"] = {{{"id", "vpc-1"}, {"cidr_blocks", {"10.0.0.0/16"}}, {"enableDnsHostnames", true}}};
  n["subnets"] = {{{"id", "subnet-pub"}, {"vpc", "vpc-1"}, {"cidr", "10.0.252.0/22"}}};
  n["internet_gateways"] = {{{"id", "igw-1"}, {"vpc", "vpc-1"}}};
  n["nat_gateways"] = {{{"id", "nat-1"}, {"subnet", "subnet-pub"}, {"elastic_ip", "198.51.100.1"}}};
  n["route_tables"] = {
      {{"id", "rtb-pub"},
       {"vpc", "vpc-1"},
       {"subnets", {"subnet-pub"}},
       {"routes", {{{"destination", "0.0.0.0/0"}, {"internet_gateway", "igw-1"}}}}},
      {{"id", "rtb-priv"},
       {"vpc", "vpc-1"},
       {"main", true},
       {"routes", {{{"destination", "0.0.0.0/0"}, {"nat_gateway", "nat-1"}}}}}};
  n["security_groups"] = {{{"id", "sg-c"},
                           {"vpc", "vpc-1"},
                           {"ingress", {{{"protocol", "-1"}, {"security_group", "sg-c"}}}}}};
  n["node_groups"] = json::array();
  for (int i = 0; i < subnets; ++i) {
    const std::string id = "subnet-" + std::to_string(i);
    n["subnets"].push_back(
        {{"id", id}, {"vpc", "vpc-1"}, {"cidr", "10.0." + std::to_string(i * 4) + ".0/22"}});
    n["node_groups"].push_back({{"name", "compute"},
                                {"subnet", id},
                                {"security_groups", {"sg-c"}},
                                {"count", enis_per_subnet}});
    n["node_groups"].back()["name"] = "compute:q" + std::to_string(i);
  }
  return n;
}

Topology BuildFleet(int subnets, int per_subnet) {
  return Topology::Build(LoadScenarioJson(Fleet(subnets, per_subnet), "fleet.json").scenario);
}

void BM_BuildTopology(benchmark::State& state) {
  const json n = Fleet(static_cast<int>(state.range(0)), 1000);
  for (auto _ : state) {
    Topology t = Topology::Build(LoadScenarioJson(n, "fleet.json").scenario);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 1000);
}
BENCHMARK(BM_BuildTopology)->Arg(4)->Arg(16)->Arg(60)->Unit(benchmark::kMillisecond);

void Query(benchmark::State& state, Evaluation mode) {
  const Topology t = BuildFleet(static_cast<int>(state.range(0)), 1000);
  QuerySpec spec;
  spec.from = "compute";
  spec.to = "service:s3";
  for (auto _ : state) {
    QueryResult r = Evaluate(t, spec, mode);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 1000);
}

void BM_QueryClasses(benchmark::State& state) { Query(state, Evaluation::kClasses); }
void BM_QueryPerEniOracle(benchmark::State& state) { Query(state, Evaluation::kPerEni); }
BENCHMARK(BM_QueryClasses)->Arg(4)->Arg(16)->Arg(60)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueryPerEniOracle)->Arg(4)->Arg(16)->Arg(60)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sim
