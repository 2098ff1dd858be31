// Builders for hand-made networks: a base VPC as JSON that tests edit, and helpers that
// load it through the real loader and ask questions through the real engine.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "sim/engine/query.hpp"
#include "sim/graph/topology.hpp"
#include "sim/load/input.hpp"
#include "sim/load/scenario_loader.hpp"

namespace sim::testing {

using nlohmann::json;

// A VPC 10.0.0.0/16 in us-east-1 with both DNS attributes on; a public subnet
// 10.0.0.0/24 (route 0.0.0.0/0 -> igw-1, map_public_ip_on_launch) and a private subnet
// 10.0.1.0/24 (main route table, local only). No node groups.
inline json BaseNetwork() {
  return json::parse(R"({
    "name": "test",
    "region": "us-east-1",
    "vpcs": [{"id": "vpc-1", "cidr_blocks": ["10.0.0.0/16"], "enableDnsSupport": true, "enableDnsHostnames": true}],
    "subnets": [
      {"id": "subnet-pub", "vpc": "vpc-1", "cidr": "10.0.0.0/24", "availability_zone": "us-east-1a", "map_public_ip_on_launch": true},
      {"id": "subnet-priv", "vpc": "vpc-1", "cidr": "10.0.1.0/24", "availability_zone": "us-east-1a"}
    ],
    "internet_gateways": [{"id": "igw-1", "vpc": "vpc-1"}],
    "route_tables": [
      {"id": "rtb-pub", "vpc": "vpc-1", "subnets": ["subnet-pub"], "routes": [{"destination": "0.0.0.0/0", "internet_gateway": "igw-1"}]},
      {"id": "rtb-main", "vpc": "vpc-1", "main": true}
    ],
    "security_groups": [
      {"id": "sg-open", "vpc": "vpc-1", "ingress": [{"protocol": "-1", "cidr": "0.0.0.0/0"}]}
    ]
  })");
}

inline json Group(const std::string& name, const std::string& subnet,
                  const std::string& sg = "sg-open", std::int64_t count = 1) {
  return json{{"name", name}, {"subnet", subnet}, {"security_groups", {sg}}, {"count", count}};
}

// Network ACL entries and ACLs.
inline json AllowAllEntry(int rule = 100) {
  return {{"rule_number", rule}, {"protocol", "-1"}, {"action", "allow"}, {"cidr", "0.0.0.0/0"}};
}
inline json PortEntry(int rule, const std::string& protocol, int from, int to,
                      const std::string& action = "allow", const std::string& cidr = "0.0.0.0/0") {
  return {{"rule_number", rule}, {"protocol", protocol}, {"from_port", from},
          {"to_port", to},       {"action", action},     {"cidr", cidr}};
}
inline json Acl(const std::string& id, const std::vector<std::string>& subnets, json ingress,
                json egress) {
  return {{"id", id},
          {"vpc", "vpc-1"},
          {"subnets", subnets},
          {"ingress", std::move(ingress)},
          {"egress", std::move(egress)}};
}

inline json* Find(json& array, const std::string& id) {
  for (auto& item : array) {
    if (item.contains("id") && item["id"] == id) return &item;
    if (item.contains("name") && item["name"] == id) return &item;
  }
  return nullptr;
}

// The routes of rtb-main, the private subnet's (main) route table in BaseNetwork.
inline json& MainRoutes(json& n) { return (*Find(n["route_tables"], "rtb-main"))["routes"]; }

// Adds a public NAT gateway nat-1 in subnet-pub and routes the private subnet's
// 0.0.0.0/0 to it.
inline void AddNat(json& n) {
  n["nat_gateways"] =
      json::array({{{"id", "nat-1"}, {"subnet", "subnet-pub"}, {"elastic_ip", "198.51.100.10"}}});
  MainRoutes(n) = json::array({{{"destination", "0.0.0.0/0"}, {"nat_gateway", "nat-1"}}});
}

// A GoogleTest parameter name (letters, digits and '_' only) for a file name.
inline std::string ParamNameOf(std::string name) {
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

// Every *.json file below `dir` (recursively, sorted), as the CLI reads an INPUT.
inline std::vector<SourceFile> ReadJsonDir(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<SourceFile> files;
  for (const auto& p : paths) {
    std::ifstream in(p);
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({p.string(), text.str(), 0, dir.string()});
  }
  return files;
}

// The real describe-* outputs beside the project (../shared/fixtures/aws/batfish, never
// copied into it); empty when they are not there.
inline std::filesystem::path BatfishFixtureDir() {
  namespace fs = std::filesystem;
  for (const fs::path& p : {fs::path(VPCSIM_SOURCE_DIR) / ".." / "shared" / "fixtures" / "aws",
                            fs::path("/work/shared/fixtures/aws")}) {
    if (fs::is_directory(p / "batfish")) return p / "batfish";
  }
  return {};
}

inline Topology Build(const json& network) {
  return Topology::Build(LoadScenarioJson(network, "test.json").scenario);
}

inline QueryResult Ask(const Topology& t, const std::string& from, const std::string& to,
                       int port = 443, int protocol = proto::kTcp) {
  QuerySpec spec;
  spec.from = from;
  spec.to = to;
  spec.port = port;
  spec.protocol = protocol;
  return Evaluate(t, spec);
}

inline QueryResult Ask(const json& network, const std::string& from, const std::string& to,
                       int port = 443, int protocol = proto::kTcp) {
  return Ask(Build(network), from, to, port, protocol);
}

inline std::string FirstCode(const QueryResult& r) {
  return r.trace.blocked.empty() ? "" : r.trace.blocked.front().code;
}
inline std::string FirstBlocker(const QueryResult& r) {
  return r.trace.blocked.empty() ? "" : r.trace.blocked.front().id;
}
inline bool PathHas(const std::vector<Hop>& hops, const std::string& id) {
  for (const Hop& h : hops) {
    if (h.id == id) return true;
  }
  return false;
}

// The messages of the InputError a network raises ("" when it loads).
inline std::vector<Diagnostic> LoadErrors(const json& network) {
  try {
    LoadScenarioJson(network, "test.json");
  } catch (const InputError& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace sim::testing
