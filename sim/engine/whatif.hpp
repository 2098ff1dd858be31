// What-if and diff: everything an input's checks say about a network (its matrix,
// expectations and cluster readiness), looked at through a Survey, and the comparison
// of two such outlooks: every verdict that changed, and the expectations, cluster
// requirements and ParallelCluster validators that broke or were fixed. `vpcsim whatif`
// moves one survey from a network to its edited or failed form; `vpcsim diff` from one
// network to another; either way only the answers the change touched are re-evaluated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/engine/check.hpp"
#include "sim/engine/readiness.hpp"
#include "sim/engine/survey.hpp"

namespace sim {

struct Outlook {
  std::vector<MatrixDestination> destinations;  // the matrix's columns
  Matrix matrix;
  std::vector<ExpectationOutcome> expectations;  // an unaskable one fails with the reason
  std::optional<Readiness> readiness;
};

// Looks at the survey's network: the matrix (with `extra` destinations), the
// expectations of its scenario and, with `config`, the cluster's readiness.
Outlook LookAt(Survey& survey, const std::vector<MatrixDestination>& extra,
               const PclusterConfig* config);

struct VerdictChange {
  std::string source;
  std::string destination;                  // MatrixDestination::Label()
  std::optional<MatrixCell> before, after;  // nullopt: not in that network
};

// An expectation (id: its JSON pointer), a cluster requirement ("REQ-ID from GROUP") or
// a validator ("validator:dns-support") whose outcome changed.
struct OutcomeChange {
  std::string id;
  std::string description;  // "compute -> service:s3 tcp/443"
  std::string before;       // "holds", or why it fails; "" when absent
  std::string after;
};

struct Comparison {
  std::vector<VerdictChange> verdicts;                         // sorted by source, destination
  std::vector<std::pair<std::string, std::string>> unchanged;  // (source, destination)
  std::vector<OutcomeChange> broken;  // held before, fail (or cannot be asked) after
  std::vector<OutcomeChange> fixed;   // failed before, hold after
  bool Breaks() const { return !broken.empty(); }
};

Comparison Compare(const Outlook& before, const Outlook& after);

// "unreachable at rtb-1 (NO_ROUTE_TO_DESTINATION)", "reachable via proxy-1", ...
std::string DescribeCell(const MatrixCell& cell);

}  // namespace sim
