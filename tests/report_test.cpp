// Reports: the DOT text of the diagram (clusters per VPC, Availability Zone and subnet,
// ids for every component, a failing path drawn up to the component that drops it), the
// pages, and that the committed reports/ are what `vpcsim report scenarios/ -o reports/`
// writes today (a stale report fails).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/report/diagram.hpp"
#include "sim/report/page.hpp"
#include "test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;
using testing::json;

Topology Network() {
  json n = testing::BaseNetwork();
  testing::AddNat(n);
  n["node_groups"] = json::array({testing::Group("head", "subnet-pub"),
                                  testing::Group("compute", "subnet-priv", "sg-open", 8)});
  return testing::Build(n);
}

TEST(Diagram, DrawsTheNetworkAsTheDocsDo) {
  const Topology t = Network();
  const std::string dot = TopologyToDot(t);
  EXPECT_NE(dot.find("subgraph \"cluster_vpc-1\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"VPC vpc-1  10.0.0.0/16\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"Availability Zone us-east-1a\""), std::string::npos);
  EXPECT_NE(dot.find("subnet-pub  public subnet\\n10.0.0.0/24"), std::string::npos);
  EXPECT_NE(dot.find("subnet-priv  private subnet\\n10.0.1.0/24"), std::string::npos);
  EXPECT_NE(dot.find("\"compute\" [id=\"compute\", label=\"compute  x8"), std::string::npos);
  EXPECT_NE(dot.find("\"nat-1\" [id=\"nat-1\""), std::string::npos);
  EXPECT_NE(dot.find("\"rtb-main\" -> \"nat-1\" [label=\"0.0.0.0/0\"]"), std::string::npos);
  EXPECT_NE(dot.find("\"igw-1\" -> \"internet\""), std::string::npos);
  EXPECT_EQ(dot, TopologyToDot(t));  // deterministic
}

TEST(Diagram, DrawsAFailingPathUpToWhereItStops) {
  json n = testing::BaseNetwork();
  n["node_groups"] = json::array({testing::Group("compute", "subnet-priv")});
  const Topology t = testing::Build(n);
  const QueryResult r = testing::Ask(t, "compute", "service:ecs");
  ASSERT_EQ(testing::FirstBlocker(r), "rtb-main");
  const DiagramPath path{"compute -> service:ecs", r.trace.forward, r.trace.blocked};
  const std::string dot = TopologyToDot(t, &path);
  EXPECT_NE(dot.find("\"rtb-main\" [color=\"#d0021b\""), std::string::npos);
  EXPECT_NE(dot.find("NO_ROUTE_TO_DESTINATION"), std::string::npos);
  EXPECT_NE(dot.find("\"compute\" -> \"rtb-main\" [color=\"#e07b00\""), std::string::npos);
}

TEST(Diagram, IdsAreSafeForSvg) {
  EXPECT_EQ(DiagramId("compute:q1"), "compute_q1");
  EXPECT_EQ(DiagramId("vpce-1/subnet-a"), "vpce-1_subnet-a");
  EXPECT_EQ(DiagramId("igw-0a1"), "igw-0a1");
}

TEST(Page, FailuresAreDrawnOncePerGroupAndBlocker) {
  const Topology t = Network();
  ScenarioCheck check;
  check.name = "n";
  Expectation e;
  e.from = "compute";
  e.to = "10.9.9.9";
  e.expect = Verdict::kUnreachable;
  QuerySpec q;
  q.from = e.from;
  q.to = e.to;
  check.outcomes.push_back(Judge(e, Evaluate(t, q)));
  const auto failures = FailuresOf(check);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].svg_file, "failure-1.svg");
  EXPECT_TRUE(failures[0].as_expected);
  ReportPage page{"n",     "n.json", "A network.", &check, nullptr, "<?xml?><svg id=\"x\"></svg>",
                  failures};
  const std::string html = ReportHtml(page);
  EXPECT_NE(html.find("<svg id=\"x\"></svg>"), std::string::npos);  // inline, without the prolog
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_NE(ReportMarkdown(page).find("![diagram of n](diagram.svg)"), std::string::npos);
}

// ---- the committed reports ---------------------------------------------------------

bool HaveDot() { return std::system("dot -V >/dev/null 2>&1") == 0; }

std::map<std::string, std::string> Files(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() == ".png") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out[fs::relative(e.path(), root).generic_string()] = text.str();
  }
  return out;
}

TEST(CommittedReports, AreNotStale) {
  if (!HaveDot()) GTEST_SKIP() << "Graphviz's dot is not installed (apt-get install graphviz)";
  const fs::path out = fs::temp_directory_path() / ("vpcsim-reports-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const std::string command = std::string("cd ") + VPCSIM_SOURCE_DIR + " && " + VPCSIM_BINARY +
                              " report scenarios/ -o " + out.string() + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const auto fresh = Files(out);
  const auto committed = Files(fs::path(VPCSIM_SOURCE_DIR) / "reports");
  fs::remove_all(out);
  std::vector<std::string> stale;
  for (const auto& [name, text] : fresh) {
    const auto it = committed.find(name);
    if (it == committed.end() || it->second != text) stale.push_back(name);
  }
  for (const auto& [name, text] : committed) {
    if (!fresh.contains(name)) stale.push_back(name + " (no longer generated)");
  }
  EXPECT_TRUE(stale.empty()) << stale.size()
                             << " report files are stale; regenerate them with "
                                "`./build/sim/vpcsim report scenarios/ -o reports/`, e.g. "
                             << stale.front();
}

}  // namespace
}  // namespace sim
