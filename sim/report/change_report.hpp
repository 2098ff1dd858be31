// Renders what-if and diff results: every verdict that changed (source group,
// destination, before -> after with the new blocking component), the expectations,
// cluster requirements and validators that broke or were fixed, and how much the
// incremental engine re-evaluated; as text, JSON and JUnit XML, and the table of
// single points of failure of `whatif --fail-each`. Output is deterministic.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/engine/whatif.hpp"

namespace sim {

struct ChangeReport {
  std::string title;    // "what if nat-1 fails", "what if edit.json is applied", "diff A B"
  std::string network;  // the network's name
  Comparison comparison;
  bool reshaped = false;             // every question was re-evaluated
  std::size_t questions = 0;         // questions the survey holds
  std::size_t reevaluated = 0;       // of them, re-evaluated for the change
  std::vector<std::string> changed;  // ids of the components whose settings changed
  std::vector<std::string> lost;     // node groups lost with a failed subnet or zone
  std::vector<std::string> notes;    // effects not modelled
};

std::string ChangeToText(const ChangeReport& report);
nlohmann::ordered_json ChangeToJson(const ChangeReport& report);
// One test suite per report: a test case per matrix cell (failing when its verdict
// changed) and per broken or fixed expectation, requirement or validator.
std::string ChangesToJunit(const std::vector<ChangeReport>& reports);

// `whatif --fail-each`: one row per component, the single points of failure first.
std::string FailEachToText(const std::string& network, const std::vector<ChangeReport>& rows);
nlohmann::ordered_json FailEachToJson(const std::string& network,
                                      const std::vector<ChangeReport>& rows);

}  // namespace sim
