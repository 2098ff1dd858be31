// Renders answers for people and programs: the contract's JSON for queries, a
// traceroute-like text with the verdict and the fix last, check results as text, JSON
// and JUnit XML, and the matrix as text, JSON and CSV. Output is deterministic.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/check.hpp"
#include "sim/engine/query.hpp"
#include "sim/engine/readiness.hpp"

namespace sim {

// &, <, > and " escaped for XML and HTML text and attributes; control characters XML
// cannot hold become U+FFFD.
std::string XmlEscape(const std::string& s);

nlohmann::ordered_json QueryToJson(const QueryResult& result);
std::string QueryToText(const QueryResult& result);
nlohmann::ordered_json HopToJson(const Hop& hop);
nlohmann::ordered_json BlockToJson(const Block& block);

struct ScenarioCheck {
  std::string file;
  std::string name;
  std::string description;
  std::vector<ExpectationOutcome> outcomes;
  std::vector<Diagnostic> warnings;
  std::optional<ClusterCheck> cluster;  // with a ParallelCluster config
};

// The cluster readiness report: validators, one line per requirement, and for each
// failure the hops, the blocking component and code, the symptom and the fix.
std::string ReadinessToText(const ClusterCheck& check, const std::string& indent = "");
nlohmann::ordered_json ReadinessToJson(const ClusterCheck& check);

std::string CheckToText(const std::vector<ScenarioCheck>& checks);
nlohmann::ordered_json CheckToJson(const std::vector<ScenarioCheck>& checks);
std::string CheckToJunit(const std::vector<ScenarioCheck>& checks);

std::string MatrixToText(const std::string& name, const Matrix& matrix);
nlohmann::ordered_json MatrixToJson(const std::string& name, const Matrix& matrix);
std::string MatrixToCsv(const std::string& name, const Matrix& matrix);

}  // namespace sim
