#include "sim/engine/readiness.hpp"

#include <algorithm>

namespace sim {
namespace {

// The node groups that play a role: the role's group, or every compute:QUEUE group.
std::vector<std::string> GroupsWithRole(const Topology& t, const std::string& role) {
  std::vector<std::string> out;
  for (const GroupInfo& g : t.groups()) {
    if (g.model->role == role) out.push_back(g.name);
  }
  return out;
}

std::string Replace(std::string text, const std::string& what, const std::string& with) {
  for (std::size_t at; (at = text.find(what)) != std::string::npos;)
    text.replace(at, what.size(), with);
  return text;
}

}  // namespace

bool Readiness::ready() const { return failures() == 0; }

std::size_t Readiness::failures() const {
  return validators.size() + static_cast<std::size_t>(std::count_if(
                                 outcomes.begin(), outcomes.end(),
                                 [](const RequirementOutcome& o) { return !o.pass; }));
}

std::vector<std::string> FailingIds(const Readiness& readiness) {
  std::vector<std::string> ids;
  for (const ValidatorMessage& v : readiness.validators) ids.push_back(v.id);
  for (const RequirementOutcome& o : readiness.outcomes) {
    if (!o.pass) ids.push_back(o.requirement->id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

bool ClusterCheck::AsExpected(const std::string& id, bool passed) const {
  if (!expectation) return passed;
  const bool expected_to_fail = std::find(expectation->failing.begin(), expectation->failing.end(),
                                          id) != expectation->failing.end();
  return passed != expected_to_fail;
}

ClusterCheck JudgeReadiness(Readiness readiness, std::optional<ClusterExpectation> expectation) {
  ClusterCheck c;
  c.readiness = std::move(readiness);
  c.expectation = std::move(expectation);
  const std::vector<std::string> failing = FailingIds(c.readiness);
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? std::string("none") : out;
  };
  if (!c.expectation) {
    c.pass = failing.empty();
    if (!c.pass) c.reason = "the cluster would not come up; failing: " + join(failing);
    return c;
  }
  std::vector<std::string> expected = c.expectation->failing;
  std::sort(expected.begin(), expected.end());
  c.pass = failing == expected && c.readiness.ready() == c.expectation->ready;
  if (!c.pass)
    c.reason = "expected failing: " + join(expected) + "; actually failing: " + join(failing);
  return c;
}

Readiness EvaluateReadiness(const Topology& topology, const PclusterConfig& config,
                            const RequirementTable& table, const Asker& ask) {
  Readiness r;
  r.config = config.source;
  r.version = config.version;
  r.scheduler = config.scheduler.value;
  // ParallelCluster's ec2_vpc_id_validator (v2) and SubnetsValidator (v3) refuse a VPC
  // without DNS support or DNS hostnames (parallelcluster.md §4).
  if (const auto head = topology.FindGroup(kHeadGroup)) {
    const VpcInfo& vpc = topology.vpcs()[static_cast<std::size_t>(
        topology
            .subnets()[static_cast<std::size_t>(
                topology.groups()[static_cast<std::size_t>(*head)].subnet)]
            .vpc)];
    const std::string validator = config.version == 2 ? "ec2_vpc_id_validator" : "SubnetsValidator";
    if (!vpc.dns_support) {
      r.validators.push_back(
          {"validator:dns-support", validator,
           Replace(table.dns_support_message.at(config.version), "{vpc}", vpc.id),
           "enable DNS resolution (enableDnsSupport) on " + vpc.id});
    }
    // An Elastic IP cannot be associated in a VPC without an attached internet gateway:
    // the stack fails creating it (v2 use_public_ips, the default; v3 ElasticIp).
    const bool wants_eip = config.version == 2
                               ? config.use_public_ips.value
                               : config.elastic_ip.set() && config.elastic_ip.value != "false";
    if (wants_eip && vpc.internet_gateway < 0) {
      r.validators.push_back(
          {"launch:elastic-ip-without-igw", "CloudFormation (head node Elastic IP)",
           "Gateway.NotAttached: Network " + vpc.id + " is not attached to any internet gateway",
           config.version == 2 ? "set use_public_ips = false (it defaults to true) or attach an "
                                 "internet gateway to " +
                                     vpc.id
                               : "set HeadNode/Networking/ElasticIp: false or attach an internet "
                                 "gateway to " +
                                     vpc.id});
    }
    if (!vpc.dns_hostnames) {
      r.validators.push_back(
          {"validator:dns-hostnames", validator,
           Replace(table.dns_hostnames_message.at(config.version), "{vpc}", vpc.id),
           "enable DNS hostnames (enableDnsHostnames) on " + vpc.id});
    }
  }
  for (const Requirement* req : table.For(config.version, config.scheduler.value,
                                          config.disable_managed_dns, config.directory_service)) {
    const std::vector<std::string> sources = GroupsWithRole(topology, req->role);
    std::string to = req->to;
    if (to == "head" || to == "compute" || to == "batch-task") {
      if (GroupsWithRole(topology, to).empty()) continue;
    }
    for (const std::string& from : sources) {
      QuerySpec spec;
      spec.from = from;
      spec.to = to;
      spec.protocol = req->protocol;
      spec.port = req->port;
      spec.from_location = "requirement " + req->id;
      spec.to_location = "requirement " + req->id;
      RequirementOutcome o;
      o.requirement = req;
      o.group = from;
      o.result = ask ? ask(spec) : Evaluate(topology, spec);
      o.pass = o.result.verdict == Verdict::kReachable;
      r.outcomes.push_back(std::move(o));
    }
  }
  return r;
}

}  // namespace sim
