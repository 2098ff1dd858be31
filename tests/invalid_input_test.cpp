// The corpus of invalid inputs under tests/invalid/: every NAME.json must fail to load
// with exactly the diagnostics listed in NAME.expected, one "LOCATION: message" per
// line, where the message is a prefix of the reported one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/load/input.hpp"
#include "tests/test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> CorpusNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(VPCSIM_SOURCE_DIR) / "tests/invalid")) {
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class InvalidInputTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidInputTest, ReportsEveryProblemWithItsLocation) {
  const fs::path dir = fs::path(VPCSIM_SOURCE_DIR) / "tests/invalid";
  const std::string file = "tests/invalid/" + GetParam() + ".json";
  std::vector<std::string> expected;
  std::istringstream lines(Read(dir / (GetParam() + ".expected")));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) expected.push_back(line);
  }
  ASSERT_FALSE(expected.empty()) << "no .expected lines for " << file;
  std::vector<Diagnostic> got;
  try {
    LoadNetworks({{file, Read(dir / (GetParam() + ".json")), 0, file}});
    FAIL() << file << " loaded without error";
  } catch (const InputError& e) {
    got = e.diagnostics();
  }
  std::string all;
  for (const auto& d : got) all += "\n  " + d.ToString();
  EXPECT_EQ(got.size(), expected.size()) << "diagnostics:" << all;
  for (const std::string& want : expected) {
    const bool found = std::any_of(got.begin(), got.end(), [&](const Diagnostic& d) {
      return d.file == file && (d.location + ": " + d.message).starts_with(want);
    });
    EXPECT_TRUE(found) << "missing: " << file << ":" << want << "\ndiagnostics:" << all;
  }
}

std::string ParamName(const ::testing::TestParamInfo<std::string>& info) {
  return testing::ParamNameOf(info.param);
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidInputTest, ::testing::ValuesIn(CorpusNames()), ParamName);

}  // namespace
}  // namespace sim
