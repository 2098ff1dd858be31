// Every stage at several sizes, on networks from `vpcsim generate` (GenerateNetwork):
// loading a scenario, importing a describe-* dump, building the topology, one query and
// the full matrix, the class-based engine against the per-ENI oracle measured in the
// same run. Sizes are ENIs; subnets hold about 244 ENIs each, as a /24 does.
#include <benchmark/benchmark.h>

#include <map>

#include "sim/engine/check.hpp"
#include "sim/engine/query.hpp"
#include "sim/load/input.hpp"
#include "sim/load/scenario_loader.hpp"
#include "sim/model/generate.hpp"
#include "sim/report/aws_writer.hpp"
#include "sim/report/scenario_writer.hpp"

namespace sim {
namespace {

GenerateOptions Size(std::int64_t enis) {
  return {enis, static_cast<int>(std::max<std::int64_t>(1, enis / 244)), 5, 1};
}

const std::string& ScenarioText(std::int64_t enis) {
  static std::map<std::int64_t, std::string> cache;
  auto& text = cache[enis];
  if (text.empty()) text = ScenarioToJson(GenerateNetwork(Size(enis))).dump();
  return text;
}

const Topology& Built(std::int64_t enis) {
  static std::map<std::int64_t, Topology> cache;
  auto it = cache.find(enis);
  if (it == cache.end())
    it = cache.emplace(enis, Topology::Build(GenerateNetwork(Size(enis)))).first;
  return it->second;
}

void BM_LoadScenario(benchmark::State& state) {
  const std::string& text = ScenarioText(state.range(0));
  for (auto _ : state) {
    auto n = LoadNetworks({{"g.json", text, 0, "g.json"}});
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LoadScenario)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_ImportDump(benchmark::State& state) {
  std::vector<SourceFile> files;
  for (const auto& [name, doc] : ScenarioToAwsDump(GenerateNetwork(Size(state.range(0)))))
    files.push_back({"dump/" + name, doc.dump(), 0, "dump"});
  for (auto _ : state) {
    auto n = LoadNetworks(files);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ImportDump)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_Build(benchmark::State& state) {
  const Scenario s = GenerateNetwork(Size(state.range(0)));
  for (auto _ : state) {
    Topology t = Topology::Build(s);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Build)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void Query(benchmark::State& state, Evaluation mode) {
  const Topology& t = Built(state.range(0));
  QuerySpec q;
  q.from = "compute";
  q.to = "service:s3";
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(t, q, mode));
}
void BM_Query(benchmark::State& state) { Query(state, Evaluation::kClasses); }
void BM_QueryOracle(benchmark::State& state) { Query(state, Evaluation::kPerEni); }
BENCHMARK(BM_Query)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryOracle)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

void Matrix(benchmark::State& state, Evaluation mode) {
  const Topology& t = Built(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(BuildMatrix(t, {}, mode));
}
void BM_Matrix(benchmark::State& state) { Matrix(state, Evaluation::kClasses); }
void BM_MatrixOracle(benchmark::State& state) { Matrix(state, Evaluation::kPerEni); }
BENCHMARK(BM_Matrix)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatrixOracle)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sim
