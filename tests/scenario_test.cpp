// Every bundled scenario loads, carries a description, and every expectation in it
// holds. Parameterised over the files under scenarios/ (JSON Schema files excluded).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/engine/check.hpp"
#include "sim/engine/readiness.hpp"
#include "sim/load/input.hpp"
#include "tests/test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  const fs::path root = fs::path(VPCSIM_SOURCE_DIR) / "scenarios";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.ends_with(".json") && !name.ends_with(".schema.json")) {
      files.push_back(fs::relative(e.path(), VPCSIM_SOURCE_DIR).string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, EveryExpectationHolds) {
  std::ifstream in(fs::path(VPCSIM_SOURCE_DIR) / GetParam(), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::vector<Network> networks;
  try {
    networks = LoadNetworks({{GetParam(), text.str(), 0, GetParam()}});
  } catch (const InputError& e) {
    FAIL() << e.what();
  }
  ASSERT_EQ(networks.size(), 1u);
  Network& n = networks.front();
  if (n.scenario.pcluster) {
    // The ParallelCluster config beside the scenario is placed as the CLI does.
    const fs::path config = fs::path(GetParam()).parent_path() / n.scenario.pcluster->config;
    std::ifstream cin(fs::path(VPCSIM_SOURCE_DIR) / config, std::ios::binary);
    ASSERT_TRUE(cin) << config;
    std::ostringstream ctext;
    ctext << cin.rdbuf();
    try {
      AttachPcluster(n, {config.string(), ctext.str(), 0, config.string()});
    } catch (const InputError& e) {
      FAIL() << e.what();
    }
  }
  const Scenario& s = n.scenario;
  EXPECT_GE(s.description.size(), 80u) << "a bundled scenario says what it teaches";
  EXPECT_TRUE(!s.expectations.empty() || s.pcluster) << "a bundled scenario checks something";
  const Topology t = Topology::Build(s);
  for (const ExpectationOutcome& o : CheckExpectations(t)) {
    EXPECT_TRUE(o.pass) << GetParam() << o.expectation.pointer << ": " << o.expectation.from
                        << " -> " << o.expectation.to << ": " << o.reason;
  }
  if (n.pcluster) {
    const ClusterCheck c = JudgeReadiness(EvaluateReadiness(t, *n.pcluster), s.pcluster);
    EXPECT_TRUE(c.pass) << GetParam() << ": " << c.reason;
  }
}

std::string ParamName(const ::testing::TestParamInfo<std::string>& info) {
  const std::string name = info.param.substr(std::string("scenarios/").size());
  return testing::ParamNameOf(name.substr(0, name.size() - 5));
}

INSTANTIATE_TEST_SUITE_P(Bundled, ScenarioTest, ::testing::ValuesIn(ScenarioFiles()), ParamName);

}  // namespace
}  // namespace sim
