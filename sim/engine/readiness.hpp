// Cluster readiness: would an AWS ParallelCluster cluster come up in this network? Every
// row of the requirement table that applies to the config's version and scheduler is
// asked of every node group with that role (each v3 queue on its own), through the same
// engine as any query; ParallelCluster's own VPC validators (DNS support and hostnames)
// are reported as they would be at `pcluster create`. Each failure carries the
// explanation (hops, blocking component, code), the symptom a user meets in a real
// launch and the smallest change that fixes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/engine/query.hpp"
#include "sim/graph/topology.hpp"
#include "sim/model/pcluster.hpp"

namespace sim {

struct RequirementOutcome {
  const Requirement* requirement = nullptr;
  std::string group;  // the source node group
  QueryResult result;
  bool pass = false;
};

struct ValidatorMessage {
  std::string id;         // "validator:dns-support", "validator:dns-hostnames"
  std::string validator;  // "ec2_vpc_id_validator", "SubnetsValidator"
  std::string message;    // ParallelCluster's words
  std::string fix;
};

struct Readiness {
  std::string config;  // the config file
  int version = 3;
  std::string scheduler;
  std::vector<ValidatorMessage> validators;
  std::vector<RequirementOutcome> outcomes;
  bool ready() const;
  std::size_t failures() const;
};

// The readiness of a cluster judged against what a scenario expects of it (exactly the
// listed requirements fail), or, without an expectation, against "the cluster comes up".
struct ClusterCheck {
  Readiness readiness;
  std::optional<ClusterExpectation> expectation;
  bool pass = false;
  std::string reason;  // why it failed ("" when it passes)
  // Whether one requirement's outcome is what was expected of it.
  bool AsExpected(const std::string& id, bool passed) const;
};

// Ids of the failing requirements and validators, sorted, each once.
std::vector<std::string> FailingIds(const Readiness& readiness);

ClusterCheck JudgeReadiness(Readiness readiness, std::optional<ClusterExpectation> expectation);

// `ask`: answers the requirement questions (Evaluate when empty).
Readiness EvaluateReadiness(const Topology& topology, const PclusterConfig& config,
                            const RequirementTable& table = BuiltInRequirements(),
                            const Asker& ask = {});

}  // namespace sim
