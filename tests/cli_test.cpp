// The command-line contract (../shared/reference/cli-contract.md): exit statuses,
// the JSON of `query`, JUnit output of `check`, and "FILE:LOCATION: message" errors
// that write nothing. Runs the built vpcsim binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "test_util.hpp"

namespace sim {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;
};

CliRun Vpcsim(const std::string& args) {
  const fs::path err_file =
      fs::temp_directory_path() / ("vpcsim_cli_err_" + std::to_string(::getpid()));
  const std::string command = std::string(VPCSIM_BINARY) + " " + args + " 2>" + err_file.string();
  CliRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), n);
  const int raw = ::pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream in(err_file);
  std::ostringstream s;
  s << in.rdbuf();
  run.err = s.str();
  fs::remove(err_file);
  return run;
}

const std::string kExample = "tests/data/contract-example.json";

TEST(CliQueryTest, JsonMatchesTheContractFieldForField) {
  const CliRun r = Vpcsim("query " + kExample + " --from compute --to service:ecs --format json");
  EXPECT_EQ(r.status, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["from"], "compute");
  EXPECT_EQ(j["to"], "service:ecs");
  EXPECT_EQ(j["protocol"], "tcp");
  EXPECT_EQ(j["port"], 443);
  EXPECT_EQ(j["verdict"], "unreachable");
  EXPECT_EQ(j["reachable"], false);
  EXPECT_EQ(j["sources"]["total"], 64);
  EXPECT_EQ(j["sources"]["reachable"], 0);
  EXPECT_TRUE(j["via_proxy"].is_null());
  ASSERT_TRUE(j["path"].is_array());
  const std::vector<std::string> kinds = {"network-interface", "dns",         "security-group",
                                          "route-table",       "network-acl", "internet-gateway"};
  ASSERT_EQ(j["path"].size(), kinds.size());
  for (std::size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(j["path"][i]["kind"], kinds[i]) << i;
  EXPECT_EQ(j["path"][0]["id"], "eni-compute-1");
  EXPECT_EQ(j["path"][2]["id"], "sg-0c2d");
  EXPECT_EQ(j["path"][3]["id"], "rtb-0e3f");
  EXPECT_EQ(j["path"][3]["route"], "0.0.0.0/0");
  EXPECT_EQ(j["path"][5]["id"], "igw-0a9b");
  EXPECT_TRUE(j["return_path"].is_array());
  EXPECT_TRUE(j["return_path"].empty());
  ASSERT_EQ(j["blocked"].size(), 1u);
  const auto& b = j["blocked"][0];
  EXPECT_EQ(b["id"], "igw-0a9b");
  EXPECT_EQ(b["kind"], "internet-gateway");
  EXPECT_EQ(b["code"], "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS");
  EXPECT_EQ(b["direction"], "forward");
  EXPECT_EQ(b["detail"], "10.0.1.5 has no public IPv4 address");
  // Field order follows the contract.
  std::vector<std::string> keys;
  const auto ordered = nlohmann::ordered_json::parse(r.out);
  for (const auto& item : ordered.items()) keys.push_back(item.key());
  const std::vector<std::string> order = {"from",    "to",          "protocol", "port",
                                          "verdict", "reachable",   "sources",  "via_proxy",
                                          "path",    "return_path", "blocked"};
  ASSERT_GE(keys.size(), order.size());
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(keys[i], order[i]);
}

TEST(CliQueryTest, ReachableExitsZeroWithReturnPath) {
  const CliRun r = Vpcsim("query " + kExample + " --from head --to service:ecs --format json");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "reachable");
  EXPECT_EQ(j["reachable"], true);
  EXPECT_TRUE(j["blocked"].empty());
  EXPECT_FALSE(j["return_path"].empty());
}

TEST(CliQueryTest, TextEndsWithVerdictAndFix) {
  const CliRun r = Vpcsim("query " + kExample + " --from compute --to service:ecs");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("verdict: unreachable (0 of 64 sources reach)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nfix: set public_ip to true on node group compute, or route 0.0.0.0/0 "
                       "in rtb-0e3f to a NAT gateway"),
            std::string::npos)
      << r.out;
  EXPECT_LT(r.out.find("verdict:"), r.out.find("fix:"));
}

TEST(CliQueryTest, UnknownSourceIsBadInput) {
  const CliRun r = Vpcsim("query " + kExample + " --from nosuch --to service:ecs");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err.rfind(kExample + ":--from: \"nosuch\" is not a node group", 0), 0u) << r.err;
}

TEST(CliQueryTest, UnknownDestinationIsBadInput) {
  const CliRun r = Vpcsim("query " + kExample + " --from head --to service:nosuch");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind(kExample + ":--to: no service \"nosuch\"", 0), 0u) << r.err;
}

TEST(CliQueryTest, BadProtocolAndMissingOptionAreBadInput) {
  EXPECT_EQ(Vpcsim("query " + kExample + " --from head --to internet --protocol http").status, 2);
  EXPECT_EQ(Vpcsim("query " + kExample + " --from head").status, 2);
  EXPECT_EQ(Vpcsim("frobnicate").status, 2);
}

TEST(CliQueryTest, OneNetworkOnly) {
  const CliRun r = Vpcsim("query tests/data --from head --to internet");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("query answers about one network"), std::string::npos) << r.err;
}

TEST(CliCheckTest, PassingScenarioExitsZero) {
  const CliRun r = Vpcsim("check " + kExample);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("3 expectations in 1 input: 3 hold, 0 fail"), std::string::npos) << r.out;
}

TEST(CliCheckTest, FailingExpectationExitsOneAndWritesJunit) {
  const fs::path junit = fs::temp_directory_path() / "vpcsim_cli_junit.xml";
  fs::remove(junit);
  const CliRun r = Vpcsim("check tests/data/failing-expectation.json --junit " + junit.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("FAIL  compute -> service:ecs tcp/443: unreachable at igw-0a9b"),
            std::string::npos)
      << r.out;
  std::ifstream in(junit);
  std::ostringstream xml;
  xml << in.rdbuf();
  EXPECT_NE(xml.str().find("<testsuites name=\"vpcsim\" tests=\"3\" failures=\"1\">"),
            std::string::npos)
      << xml.str();
  EXPECT_NE(xml.str().find("<failure message=\"expected reachable, got unreachable (igw-0a9b: "
                           "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS)\">"),
            std::string::npos)
      << xml.str();
  fs::remove(junit);
}

TEST(CliCheckTest, JsonSummary) {
  const CliRun r = Vpcsim("check tests/data/failing-expectation.json --format json");
  EXPECT_EQ(r.status, 1);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["summary"]["expectations"], 3);
  EXPECT_EQ(j["summary"]["failed"], 1);
  EXPECT_EQ(j["inputs"][0]["expectations"][1]["pass"], false);
  EXPECT_EQ(j["inputs"][0]["expectations"][1]["location"], "/expectations/1");
}

TEST(CliCheckTest, BadInputExitsTwoAndWritesNothing) {
  const fs::path junit = fs::temp_directory_path() / "vpcsim_cli_junit_bad.xml";
  fs::remove(junit);
  const CliRun r =
      Vpcsim("check tests/data/contract-example.json tests/invalid/several-problems.json --junit " +
             junit.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(fs::exists(junit));
  EXPECT_NE(
      r.err.find(
          "tests/invalid/several-problems.json:/node_groups/0/public_ip: expected true or false"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("tests/invalid/several-problems.json:/subnets/0/vpc: no VPC"),
            std::string::npos)
      << r.err;
}

TEST(CliCheckTest, EveryInvalidInputExitsTwoNamingItsLocation) {
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(VPCSIM_SOURCE_DIR) / "tests/invalid")) {
    if (e.path().extension() != ".json") continue;
    ++files;
    const std::string file = "tests/invalid/" + e.path().filename().string();
    const CliRun r = Vpcsim("check " + file);
    EXPECT_EQ(r.status, 2) << file;
    EXPECT_TRUE(r.out.empty()) << file;
    std::istringstream lines(r.err);
    int n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
      // FILE:LOCATION: message, LOCATION a JSON pointer or LINE:COLUMN.
      ASSERT_EQ(line.rfind(file + ":", 0), 0u) << line;
      const std::string rest = line.substr(file.size() + 1);
      EXPECT_TRUE(rest[0] == '/' || std::isdigit(static_cast<unsigned char>(rest[0]))) << line;
      EXPECT_NE(rest.find(": "), std::string::npos) << line;
    }
    EXPECT_GT(n, 0) << file;
  }
  EXPECT_GE(files, 30);
}

TEST(CliCheckTest, UnreadableFileIsBadInput) {
  const CliRun r = Vpcsim("check tests/data/does-not-exist.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("tests/data/does-not-exist.json:/: cannot read the file", 0), 0u) << r.err;
}

TEST(CliMatrixTest, CsvHasOneRowPerSourceAndDestination) {
  const CliRun r = Vpcsim("matrix " + kExample + " --format csv");
  EXPECT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header,
            "input,from,to,protocol,port,verdict,reachable_sources,total_sources,blocked_by,code,"
            "via_proxy");
  int rows = 0;
  for (std::string line; std::getline(lines, line);) ++rows;
  // 2 groups x (service:ecs, head tcp/2049, internet).
  EXPECT_EQ(rows, 6);
  EXPECT_NE(r.out.find("contract-example,compute,service:ecs,tcp,443,unreachable,0,64,igw-0a9b,"
                       "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,"),
            std::string::npos)
      << r.out;
}

TEST(CliMatrixTest, JsonCells) {
  const CliRun r = Vpcsim("matrix " + kExample + " --format json");
  EXPECT_EQ(r.status, 0);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sources"], nlohmann::json({"compute", "head"}));
  EXPECT_EQ(j["cells"].size(), 6u);
}

// ---- import --------------------------------------------------------------------------

TEST(CliImportTest, WritesAScenarioThatAnswersAsTheDump) {
  const fs::path out =
      fs::temp_directory_path() / ("vpcsim_import_" + std::to_string(::getpid()) + ".json");
  const CliRun r = Vpcsim("import tests/aws/every-resource -o " + out.string());
  ASSERT_EQ(r.status, 0) << r.err;
  // Warnings go to standard error with their file and pointer.
  EXPECT_NE(r.err.find("warning: tests/aws/every-resource/"), std::string::npos) << r.err;
  const auto scenario = nlohmann::json::parse(std::ifstream(out));
  EXPECT_EQ(scenario["region"], "us-east-1");
  const std::string question = " --from internet:8.8.8.8 --to 54.90.10.20 --port 22 --format json";
  const CliRun from_dump = Vpcsim("query tests/aws/every-resource" + question);
  const CliRun from_file = Vpcsim("query " + out.string() + question);
  EXPECT_EQ(from_dump.status, from_file.status);
  EXPECT_EQ(nlohmann::json::parse(from_dump.out)["path"],
            nlohmann::json::parse(from_file.out)["path"]);
  fs::remove(out);
}

TEST(CliImportTest, BadDumpExitsTwoAndWritesNothing) {
  const fs::path out =
      fs::temp_directory_path() / ("vpcsim_import_bad_" + std::to_string(::getpid()) + ".json");
  const CliRun r = Vpcsim("import tests/aws/invalid/eni-subnet-missing -o " + out.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(
      r.err.find("tests/aws/invalid/eni-subnet-missing/enis.json:/NetworkInterfaces/0/SubnetId: "),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("aws ec2 describe-subnets"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".tmp"));
}

TEST(CliImportTest, OutputIsRequired) {
  EXPECT_EQ(Vpcsim("import tests/aws/every-resource").status, 2);
}

// ---- --pcluster ------------------------------------------------------------------------

// A network without a NAT gateway for its private subnet, and a v3 config whose queue
// runs there: the cluster would not come up.
struct PclusterFiles {
  fs::path dir = fs::temp_directory_path() / ("vpcsim_pcluster_" + std::to_string(::getpid()));
  PclusterFiles() {
    fs::create_directories(dir);
    std::ofstream(dir / "net.json") << R"({"region": "us-east-1",
      "vpcs": [{"id": "vpc-1", "cidr_blocks": ["10.0.0.0/16"], "enableDnsSupport": true, "enableDnsHostnames": true}],
      "subnets": [{"id": "subnet-pub", "vpc": "vpc-1", "cidr": "10.0.0.0/24", "map_public_ip_on_launch": true},
                  {"id": "subnet-priv", "vpc": "vpc-1", "cidr": "10.0.1.0/24"}],
      "internet_gateways": [{"id": "igw-1", "vpc": "vpc-1"}],
      "route_tables": [{"id": "rtb-pub", "vpc": "vpc-1", "subnets": ["subnet-pub"],
                        "routes": [{"destination": "0.0.0.0/0", "internet_gateway": "igw-1"}]},
                       {"id": "rtb-priv", "vpc": "vpc-1", "main": true}]})";
    std::ofstream(dir / "cluster.yaml") << "HeadNode:\n  Networking:\n    SubnetId: subnet-pub\n"
                                           "Scheduling:\n  Scheduler: slurm\n  SlurmQueues:\n"
                                           "    - Name: q1\n      Networking:\n        SubnetIds:\n"
                                           "          - subnet-priv\n";
    std::ofstream(dir / "bad.ini") << "[global]\ncluster_template = x\n";
  }
  ~PclusterFiles() { fs::remove_all(dir); }
  std::string Path(const char* name) const { return (dir / name).string(); }
};

TEST(CliPclusterTest, CheckReportsReadinessAndExitsOneWhenTheClusterWouldFail) {
  const PclusterFiles f;
  const fs::path junit = f.dir / "report.xml";
  const CliRun r = Vpcsim("check " + f.Path("net.json") + " --pcluster " + f.Path("cluster.yaml") +
                          " --junit " + junit.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("compute:q1 -> service:dynamodb tcp/443 [v3-compute-dynamodb]: unreachable"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("symptom: compute node stuck at ruby_block[retrieve compute node info]"),
            std::string::npos);
  EXPECT_NE(r.out.find("blocked: rtb-priv (route-table) NO_ROUTE_TO_DESTINATION"),
            std::string::npos);
  EXPECT_NE(r.out.find("the cluster would not come up"), std::string::npos);
  std::ifstream in(junit);
  std::ostringstream xml;
  xml << in.rdbuf();
  EXPECT_NE(xml.str().find("compute:q1 needs service:dynamodb tcp/443 (v3-compute-dynamodb)"),
            std::string::npos);
  EXPECT_NE(xml.str().find("<failure"), std::string::npos);
}

TEST(CliPclusterTest, CheckJsonListsEveryRequirement) {
  const PclusterFiles f;
  const CliRun r = Vpcsim("check " + f.Path("net.json") + " --pcluster " + f.Path("cluster.yaml") +
                          " --format json");
  EXPECT_EQ(r.status, 1);
  const auto j = nlohmann::json::parse(r.out);
  const auto& cluster = j["inputs"][0]["cluster"];
  EXPECT_EQ(cluster["ready"], false);
  EXPECT_EQ(cluster["version"], 3);
  bool head_cfn = false;
  for (const auto& req : cluster["requirements"]) {
    if (req["id"] == "v3-head-cloudformation") head_cfn = req["pass"].get<bool>();
  }
  EXPECT_TRUE(head_cfn);
  EXPECT_EQ(j["summary"]["cluster_checks_failed"], 1);
}

TEST(CliPclusterTest, QueryAndImportPlaceTheCluster) {
  const PclusterFiles f;
  const CliRun q = Vpcsim("query " + f.Path("net.json") + " --pcluster " + f.Path("cluster.yaml") +
                          " --from master --to service:cloudformation");
  EXPECT_EQ(q.status, 0) << q.err;
  const fs::path out = f.dir / "placed.json";
  ASSERT_EQ(Vpcsim("import " + f.Path("net.json") + " --pcluster " + f.Path("cluster.yaml") +
                   " -o " + out.string())
                .status,
            0);
  const auto placed = nlohmann::json::parse(std::ifstream(out));
  std::vector<std::string> groups;
  for (const auto& g : placed["node_groups"]) groups.push_back(g["name"].get<std::string>());
  EXPECT_EQ(groups, (std::vector<std::string>{"head", "compute:q1"}));
  // The written scenario names its config, so checking it again reports the readiness.
  EXPECT_EQ(placed["pcluster"]["placed"], true);
  const CliRun again = Vpcsim("check " + out.string());
  EXPECT_EQ(again.status, 1) << again.err;
  EXPECT_NE(again.out.find("[v3-compute-dynamodb]"), std::string::npos);
}

TEST(CliPclusterTest, BadConfigExitsTwoNamingTheSectionAndKey) {
  const PclusterFiles f;
  const CliRun r = Vpcsim("check " + f.Path("net.json") + " --pcluster " + f.Path("bad.ini"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.ini:[global] cluster_template: no [cluster x] section"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
}

// ---- whatif and diff -------------------------------------------------------------------

const std::string kNat = "scenarios/architectures/arch-2-public-head-private-compute-nat.json";

fs::path WriteTemp(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("vpcsim_" + std::to_string(::getpid()) + name);
  std::ofstream(p) << text;
  return p;
}

TEST(CliWhatifTest, JsonPatchPrintsEveryChangedVerdictAndExitsOneWhenExpectationsBreak) {
  // RFC 6902: the private route table loses its default route to the NAT gateway.
  const fs::path patch =
      WriteTemp("remove-route.json", R"([{"op": "remove", "path": "/route_tables/1/routes/0"}])");
  const CliRun r = Vpcsim("whatif " + kNat + " --patch " + patch.string() + " --format json");
  fs::remove(patch);
  EXPECT_EQ(r.status, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["reshaped"], false);
  EXPECT_EQ(j["changed_components"], nlohmann::json::array({"rtb-private"}));
  EXPECT_LT(j["reevaluated"].get<int>(), j["questions"].get<int>());
  bool s3 = false;
  for (const auto& c : j["verdict_changes"]) {
    EXPECT_EQ(c["source"], "compute");  // the head node's routes did not change
    EXPECT_EQ(c["before"]["verdict"], "reachable");
    EXPECT_EQ(c["after"]["verdict"], "unreachable");
    EXPECT_EQ(c["after"]["blocked_by"], "rtb-private");
    EXPECT_EQ(c["after"]["code"], "NO_ROUTE_TO_DESTINATION");
    s3 = s3 || c["destination"] == "service:s3 tcp/443";
  }
  EXPECT_TRUE(s3);
  ASSERT_FALSE(j["broken"].empty());
  EXPECT_EQ(j["broken"][0]["id"], "/expectations/7");
}

TEST(CliWhatifTest, MergePatchThatChangesNothingExitsZero) {
  // RFC 7396: a description edit changes no verdict.
  const fs::path patch = WriteTemp("merge.json", R"({"description": "edited"})");
  const CliRun r = Vpcsim("whatif " + kNat + " --patch " + patch.string());
  fs::remove(patch);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("verdict changes (0)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("re-evaluated 0 of"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("result: nothing breaks"), std::string::npos) << r.out;
}

TEST(CliWhatifTest, FailingTheNatGatewayBlackholesTheRoute) {
  const CliRun r = Vpcsim("whatif " + kNat + " --fail nat-pcluster");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("what if nat-pcluster fails (nat-gateway)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compute -> service:s3 tcp/443: reachable -> unreachable at rtb-private "
                       "(BAD_STATE_ROUTE)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("head -> service:s3 tcp/443: reachable"), std::string::npos) << r.out;
}

TEST(CliWhatifTest, FailEachListsTheSinglePointsOfFailureOfACluster) {
  const CliRun r =
      Vpcsim("whatif scenarios/pcluster/arch-4-awsbatch-nat-v3.json --fail-each --format json");
  EXPECT_EQ(r.status, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_title;
  for (const auto& f : j["failures"]) by_title[f["title"].get<std::string>()] = f;
  // The NAT gateway breaks the Batch side; the head node keeps its internet gateway.
  const auto& nat = by_title.at("what if nat-0e4a6c8b1d3f50d55 fails (nat-gateway)");
  ASSERT_FALSE(nat["broken"].empty());
  for (const auto& b : nat["broken"]) {
    const std::string id = b["id"].get<std::string>();
    EXPECT_TRUE(id.starts_with("requirement batch-")) << id;  // the Batch side only
  }
  // A zone outage loses every node group placed in it.
  bool zone = false;
  for (const auto& [title, f] : by_title) {
    if (title.find("(availability-zone)") == std::string::npos) continue;
    zone = true;
    EXPECT_FALSE(f["lost_node_groups"].empty());
  }
  EXPECT_TRUE(zone);
}

TEST(CliWhatifTest, UnknownComponentIsBadInput) {
  const CliRun r = Vpcsim("whatif " + kNat + " --fail nat-nope");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("vpcsim:--fail: \"nat-nope\" is no NAT gateway"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nat-pcluster"), std::string::npos) << r.err;  // what can fail
  EXPECT_EQ(Vpcsim("whatif " + kNat).status, 2);                      // neither --patch nor --fail
}

// Every malformed patch in tests/patch/invalid/ exits 2, writes nothing to standard output
// and reports the line its .expected file holds: the patch file and the operation (/N).
TEST(CliWhatifTest, BadPatchCorpus) {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator("tests/patch/invalid")) {
    if (entry.path().extension() != ".json") continue;
    ++cases;
    std::ifstream in(fs::path(entry.path()).replace_extension(".expected"));
    std::string expected;
    std::getline(in, expected);
    const CliRun r = Vpcsim("whatif " + kNat + " --patch " + entry.path().string());
    EXPECT_EQ(r.status, 2) << entry.path();
    EXPECT_TRUE(r.out.empty()) << entry.path();
    EXPECT_EQ(r.err.substr(0, r.err.find('\n')), expected) << entry.path();
  }
  EXPECT_GE(cases, 7);
}

TEST(CliDiffTest, TwoScenariosWithJunit) {
  const fs::path junit = fs::temp_directory_path() / ("vpcsim_diff_" + std::to_string(::getpid()));
  const CliRun r = Vpcsim(
      "diff " + kNat +
      " scenarios/architectures/arch-2-public-head-private-compute-nat-broken-no-default-route.json"
      " --junit " +
      junit.string());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("compute -> internet tcp/443: reachable -> unreachable at rtb-private "
                       "(NO_ROUTE_TO_DESTINATION)"),
            std::string::npos)
      << r.out;
  std::ifstream in(junit);
  std::stringstream xml;
  xml << in.rdbuf();
  fs::remove(junit);
  EXPECT_NE(xml.str().find("<testcase classname=\"verdicts\" name=\"compute -&gt; internet "
                           "tcp/443\">\n      <failure"),
            std::string::npos)
      << xml.str();
  EXPECT_NE(
      xml.str().find("<testcase classname=\"verdicts\" name=\"head -&gt; internet tcp/443\"/>"),
      std::string::npos);
  // A network against itself: no change, exit 0.
  EXPECT_EQ(Vpcsim("diff " + kNat + " " + kNat).status, 0);
}

TEST(CliWhatifTest, ADumpIsPatchedInItsScenarioForm) {
  const fs::path fixtures = testing::BatfishFixtureDir();
  if (fixtures.empty()) GTEST_SKIP() << "no ../shared/fixtures/aws/batfish";
  const std::string dump = (fixtures / "test-nat-gateway").string();
  // The patch addresses the scenario `vpcsim import` writes: its first NAT gateway.
  const fs::path patch =
      WriteTemp("nat-deleted.json",
                R"([{"op": "replace", "path": "/nat_gateways/0/state", "value": "deleted"}])");
  const CliRun r = Vpcsim("whatif " + dump + " --patch " + patch.string() + " --format json");
  fs::remove(patch);
  EXPECT_EQ(r.status, 0) << r.err;  // a dump expects nothing, so nothing breaks
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["reshaped"], false);
  ASSERT_EQ(j["verdict_changes"].size(), 1u) << r.out;
  EXPECT_EQ(j["verdict_changes"][0]["destination"], "internet tcp/443");
  EXPECT_EQ(j["verdict_changes"][0]["after"]["code"], "BAD_STATE_ROUTE");
}

TEST(CliDiffTest, TwoDumps) {
  const fs::path dir = testing::BatfishFixtureDir();
  if (dir.empty()) GTEST_SKIP() << "no ../shared/fixtures/aws/batfish";
  const std::string fixtures = dir.string() + "/";
  const CliRun same =
      Vpcsim("diff " + fixtures + "test-nat-gateway " + fixtures + "test-nat-gateway");
  EXPECT_EQ(same.status, 0) << same.err;
  EXPECT_NE(same.out.find("re-evaluated 0 of"), std::string::npos) << same.out;
  const CliRun other = Vpcsim("diff " + fixtures + "test-nat-gateway " + fixtures +
                              "test-public-subnet --format json");
  EXPECT_EQ(other.status, 1) << other.err;
  EXPECT_EQ(nlohmann::json::parse(other.out)["reshaped"], true);
}

}  // namespace
}  // namespace sim
