// An AWS ParallelCluster configuration as far as it shapes the network (v2 INI and v3
// YAML read into one form), and the versioned table of what each node needs
// (pcluster_requirements.json, compiled in). Every field remembers where it was written
// ("[vpc public] master_subnet_id" or "/HeadNode/Networking/SubnetId") so that placement
// can name it in diagnostics. Depends only on core/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/net.hpp"

namespace sim {

// A value and where the config wrote it.
template <typename T>
struct Located {
  T value{};
  std::string at;  // "" when the config leaves it out
  bool set() const { return !at.empty(); }
};

struct PclusterQueue {
  std::string name;                                   // v3 queue name; "" for v2's single fleet
  std::vector<Located<std::string>> subnets;          // v3 SubnetIds
  std::optional<bool> assign_public_ip;               // unset: the subnet's auto-assign setting
  std::vector<Located<std::string>> security_groups;  // replace the managed group
  std::vector<Located<std::string>> additional_security_groups;
  Located<std::string> proxy;  // http://host:port
  std::int64_t count = 10;
};

struct PclusterConfig {
  std::string source;              // file name, for messages
  int version = 3;                 // 2 (INI) or 3 (YAML)
  Located<std::string> scheduler;  // slurm, sge, torque, awsbatch
  Located<std::string> region;
  Located<std::string> vpc_id;  // v2 only

  // Head node.
  Located<std::string> head_subnet;
  // v2 use_public_ips (default true); v3 ElasticIp true/false or an allocation id.
  Located<bool> use_public_ips{true, ""};
  Located<std::string> elastic_ip;  // v3: "true", "false" or "eipalloc-..."
  std::vector<Located<std::string>> head_security_groups;
  std::vector<Located<std::string>> head_additional_security_groups;
  Located<std::string> head_proxy;
  Located<std::string> ssh_from{"0.0.0.0/0", ""};

  // v2: one compute fleet (compute_subnet_id / compute_subnet_cidr, or the head's subnet).
  Located<std::string> compute_subnet;  // v2 compute_subnet_id
  Located<std::string> compute_subnet_cidr;
  // v2: vpc_security_group_id goes on every node; additional_sg too.
  Located<std::string> vpc_security_group;
  Located<std::string> additional_sg;

  std::vector<PclusterQueue> queues;  // v3 SlurmQueues / AwsBatchQueues; v2 one entry
  bool disable_managed_dns = false;   // v2 disable_cluster_dns, v3 DisableManagedDns
  bool directory_service = false;     // v3 DirectoryService
  std::string disable_managed_dns_at;
};

// Node group names placement creates (cli-contract.md).
inline constexpr const char* kHeadGroup = "head";
inline constexpr const char* kComputeGroup = "compute";
inline constexpr const char* kBatchInstanceGroup = "batch-instance";
inline constexpr const char* kBatchTaskGroup = "batch-task";

// One row of the requirement table: a role needs to reach something.
struct Requirement {
  std::string id;
  std::vector<int> versions;
  std::vector<std::string> schedulers;
  std::string role;  // head, compute, batch-instance, batch-task
  std::string to;    // service:NAME, a role, or "internet"
  int protocol = proto::kTcp;
  int port = 443;
  std::string what;     // "CloudFormation (cfn-init, cfn-signal)"
  std::string unless;   // "disable_managed_dns"; the row does not apply then
  std::string only_if;  // "directory_service"; the row applies only then
  std::string symptom;  // what a user sees in a real launch; {version}-specific rows
  std::string source;   // where the fact comes from
};

struct RequirementTable {
  int table_version = 0;
  std::vector<Requirement> rows;
  // Messages of ParallelCluster's own VPC validators per config version
  // (parallelcluster.md §4); "{vpc}" stands for the VPC id.
  std::map<int, std::string> dns_support_message;
  std::map<int, std::string> dns_hostnames_message;
  // The rows that apply to a configuration.
  std::vector<const Requirement*> For(int version, const std::string& scheduler,
                                      bool disable_managed_dns, bool directory_service) const;
};

const RequirementTable& BuiltInRequirements();

}  // namespace sim
