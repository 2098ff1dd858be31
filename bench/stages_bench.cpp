// Every stage at several sizes, on networks from `vpcsim generate` (GenerateNetwork):
// loading a scenario, importing a describe-* dump, building the topology, one query and
// the full matrix, the class-based engine against the per-ENI oracle measured in the
// same run. Sizes are ENIs; subnets hold about 244 ENIs each, as a /24 does.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
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

// One query from every compute node of the network (all queues), from one queue (the
// first compute group: the ENIs of one subnet), and from one network interface.
void Query(benchmark::State& state, Evaluation mode, const std::string& from) {
  const Topology& t = Built(state.range(0));
  const GroupInfo& queue = *std::find_if(t.groups().begin(), t.groups().end(),
                                         [](const GroupInfo& g) { return g.role == "compute"; });
  QuerySpec q;
  q.from = from == "queue" ? queue.name : from.empty() ? t.EniId(queue.first_eni) : from;
  q.to = "service:s3";
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(t, q, mode));
}
void BM_Query(benchmark::State& state) { Query(state, Evaluation::kClasses, "compute"); }
void BM_QueryOracle(benchmark::State& state) { Query(state, Evaluation::kPerEni, "compute"); }
void BM_QueryQueue(benchmark::State& state) { Query(state, Evaluation::kClasses, "queue"); }
void BM_QueryQueueOracle(benchmark::State& state) { Query(state, Evaluation::kPerEni, "queue"); }
void BM_QueryEni(benchmark::State& state) { Query(state, Evaluation::kClasses, ""); }
BENCHMARK(BM_Query)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryOracle)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryQueue)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryQueueOracle)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_QueryEni)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void Matrix(benchmark::State& state, Evaluation mode) {
  const Topology& t = Built(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(BuildMatrix(t, {}, mode));
}
void BM_Matrix(benchmark::State& state) { Matrix(state, Evaluation::kClasses); }
void BM_MatrixOracle(benchmark::State& state) { Matrix(state, Evaluation::kPerEni); }
BENCHMARK(BM_Matrix)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatrixOracle)->Arg(10000)->Unit(benchmark::kMillisecond);

// Re-evaluation of the full matrix after one change, by kind: the survey of the whole
// matrix moves to the edited network and back (each iteration is one move: building the
// edited topology, which shares the ENI tables, finding the changed components and
// re-answering the questions that read them). Baseline: the full matrix from scratch.
enum Change { kRoute, kSgRule, kAclEntry, kNatDeleted };
Scenario Edited(Scenario s, Change change) {
  switch (change) {
    case kRoute:  // the default route of one private route table goes to the other NAT
      for (RouteTable& t : s.route_tables) {
        if (t.id != "rtb-gen0-private-0") continue;
        for (Route& r : t.routes) {
          if (r.destination && r.destination->length == 0) r.target = "nat-gen0-1";
        }
      }
      break;
    case kSgRule:  // one VPC's interface endpoints stop admitting HTTPS (ingress rule 0)
      for (SecurityGroup& g : s.security_groups) {
        if (g.id == "sg-gen0-endpoint") g.ingress.erase(g.ingress.begin());
      }
      break;
    case kAclEntry:  // one VPC's network ACL denies outbound HTTPS (its rule 110)
      for (NetworkAcl& a : s.network_acls) {
        for (NaclEntry& e : a.egress) {
          if (a.id == "acl-gen0" && e.rule_number == 110) e.allow = false;
        }
      }
      break;
    case kNatDeleted:
      for (NatGateway& n : s.nat_gateways) {
        if (n.id == "nat-gen0-0") n.state = "deleted";
      }
      break;
  }
  return s;
}

void Reevaluate(benchmark::State& state, Change change) {
  const Scenario base = GenerateNetwork(Size(state.range(0)));
  const Scenario edited = Edited(base, change);
  auto topology = std::make_shared<const Topology>(Topology::Build(base));
  Survey survey(topology);
  MatrixOf(survey);
  bool on_edited = false;
  std::size_t reanswered = 0;
  double build_s = 0, move_s = 0;
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  for (auto _ : state) {
    on_edited = !on_edited;
    const auto t0 = Clock::now();
    auto next = std::make_shared<const Topology>(
        Topology::Build(on_edited ? edited : base, topology.get()));
    const auto t1 = Clock::now();
    const Survey::Update u = survey.MoveTo(next);
    topology = std::move(next);  // the previous topology is freed here
    const auto t2 = Clock::now();
    build_s += seconds(t1 - t0);
    move_s += seconds(t2 - t1);
    if (u.reshaped) state.SkipWithError("the change reshaped the network");
    reanswered += u.reanswered.size();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["questions"] = static_cast<double>(survey.size());
  state.counters["reanswered"] = static_cast<double>(reanswered) / n;
  // The split: building the edited topology, and moving the survey (finding what
  // changed, re-answering, freeing the old topology), in milliseconds.
  state.counters["build_ms"] = build_s * 1e3 / n;
  state.counters["move_ms"] = move_s * 1e3 / n;
}
void BM_ReevaluateRoute(benchmark::State& state) { Reevaluate(state, kRoute); }
void BM_ReevaluateSgRule(benchmark::State& state) { Reevaluate(state, kSgRule); }
void BM_ReevaluateAclEntry(benchmark::State& state) { Reevaluate(state, kAclEntry); }
void BM_ReevaluateNatDeleted(benchmark::State& state) { Reevaluate(state, kNatDeleted); }
BENCHMARK(BM_ReevaluateRoute)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReevaluateSgRule)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReevaluateAclEntry)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReevaluateNatDeleted)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sim
