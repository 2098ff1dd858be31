// Expectations and the reachability matrix, on top of Evaluate.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/query.hpp"
#include "sim/engine/survey.hpp"

namespace sim {

struct ExpectationOutcome {
  Expectation expectation;
  QueryResult result;
  bool pass = false;
  std::string reason;  // why it failed, in words ("" when it passes)
};

// Evaluates every expectation of the topology's scenario, through `ask` when given
// (a Survey's answers). Throws InputError when an expectation names a source or
// destination the input does not have.
std::vector<ExpectationOutcome> CheckExpectations(const Topology& topology, const Asker& ask = {});

// The question an expectation asks (its locations name the expectation's fields).
QuerySpec SpecOf(const Expectation& expectation);

// Compares one result with one expectation.
ExpectationOutcome Judge(const Expectation& expectation, QueryResult result);

struct MatrixCell {
  QuerySpec spec;
  Verdict verdict = Verdict::kUnreachable;
  std::int64_t sources_total = 0;
  std::int64_t sources_reachable = 0;
  std::string blocked_by;  // first blocking component
  std::string code;
  std::string via_proxy;
  std::string error;  // the question cannot be asked of this network (MatrixOf keep_unaskable)
};

struct Matrix {
  std::vector<std::string> sources;       // node-group names
  std::vector<std::string> destinations;  // "service:ecs tcp/443", ...
  std::vector<MatrixCell> cells;          // row-major: sources x destinations
};

struct MatrixDestination {
  std::string to;
  int protocol = proto::kTcp;
  int port = 443;
  std::string Label() const;
};

// The destinations an input names: its expectations' destinations, the services of
// its VPC endpoints, every service of the catalog it mentions, and the internet.
// `extra`: more destinations the input names elsewhere (a cluster's requirements).
std::vector<MatrixDestination> MatrixDestinations(const Topology& topology,
                                                  const std::vector<MatrixDestination>& extra = {});

// Every node group of the survey's network against every destination it names, asked
// through the survey (so a moved survey gives the edited network's matrix).
// Throws InputError for a question that names nothing in the network, unless
// `keep_unaskable` (then the cell carries the error).
Matrix MatrixOf(Survey& survey, const std::vector<MatrixDestination>& extra = {},
                bool keep_unaskable = false);

// Every node group against every destination the input names.
// `mode`: kPerEni evaluates every source ENI on its own (the oracle, for benchmarks).
Matrix BuildMatrix(const Topology& topology, const std::vector<MatrixDestination>& extra = {},
                   Evaluation mode = Evaluation::kClasses);

}  // namespace sim
