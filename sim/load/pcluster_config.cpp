#include "sim/load/pcluster_config.hpp"

#include <ini.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "sim/core/text.hpp"

namespace sim {
namespace {

// ParallelCluster writes the proxy into shell profiles and cuts host and port with
// `awk -F/ '{print $3}'`: the value must be a URL, http://host:port (parallelcluster.md
// §1.5).
bool ValidProxy(const std::string& value) {
  static const std::regex kUrl("https?://[^/:@\\s]+:[0-9]{1,5}/?");
  return std::regex_match(value, kUrl);
}

const std::set<std::string> kSchedulers = {"slurm", "sge", "torque", "awsbatch"};

// ---- version 2 (INI) ---------------------------------------------------------------

struct IniSection {
  std::string name;
  std::vector<std::pair<std::string, std::string>> keys;  // in file order, keys lowercased
};

struct IniDocument {
  std::vector<IniSection> sections;
  const IniSection* Find(const std::string& name) const {
    for (const auto& s : sections) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }
};

int OnIniValue(void* user, const char* section, const char* name, const char* value) {
  auto& doc = *static_cast<IniDocument*>(user);
  if (doc.sections.empty() || doc.sections.back().name != section)
    doc.sections.push_back({section, {}});
  IniSection& s = doc.sections.back();
  const std::string key = ToLower(name);
  // ParallelCluster 2 reads with inline_comment_prefixes ("#", ";"); inih strips ";" only.
  std::string text = value;
  for (std::size_t at = text.find('#'); at != std::string::npos; at = text.find('#', at + 1)) {
    if (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t')) {
      text = Trim(text.substr(0, at));
      break;
    }
  }
  value = text.c_str();
  // inih reports each continuation line of a multi-line value under the same key.
  if (!s.keys.empty() && s.keys.back().first == key) {
    s.keys.back().second += std::string("\n") + value;
  } else {
    s.keys.emplace_back(key, value);
  }
  return 1;
}

class V2Reader {
 public:
  V2Reader(const IniDocument& doc, DiagnosticSink& sink, PclusterConfig& c)
      : doc_(doc), sink_(sink), c_(c) {}

  void Run() {
    c_.version = 2;
    // configparser refuses duplicate sections and keys (DuplicateSectionError,
    // DuplicateOptionError); so does ParallelCluster.
    std::set<std::string> sections;
    for (const IniSection& s : doc_.sections) {
      if (!sections.insert(s.name).second)
        sink_.Error("[" + s.name + "]", "duplicate section: configparser refuses it");
    }
    const IniSection* global = doc_.Find("global");
    Known(global, {"cluster_template", "update_check", "sanity_check"});
    const auto tmpl = Get(global, "global", "cluster_template");
    if (!tmpl) {
      sink_.Error("[global] cluster_template",
                  "missing: the [global] section must name the cluster template "
                  "(cluster_template = NAME, with a [cluster NAME] section)");
      return;
    }
    const std::string cluster_name = "cluster " + tmpl->value;
    const IniSection* cluster = doc_.Find(cluster_name);
    if (!cluster) {
      sink_.Error(tmpl->at, "no [" + cluster_name + "] section in the file");
      return;
    }
    Known(cluster, kClusterKeys);
    if (const IniSection* aws = doc_.Find("aws")) {
      if (auto r = Get(aws, "aws", "aws_region_name")) c_.region = *r;
    }
    if (auto s = Get(cluster, cluster_name, "scheduler")) {
      c_.scheduler = {ToLower(Trim(s->value)), s->at};
      if (!kSchedulers.contains(c_.scheduler.value))
        sink_.Error(s->at, "unknown scheduler \"" + s->value +
                               "\" (ParallelCluster 2 supports slurm, sge, torque and awsbatch)");
    } else {
      sink_.Error("[" + cluster_name + "] scheduler",
                  "missing: ParallelCluster 2.7 and later need a scheduler (slurm, sge, torque or "
                  "awsbatch)");
    }
    if (auto p = Get(cluster, cluster_name, "proxy_server")) {
      if (ToLower(p->value) != "none") {
        c_.head_proxy = *p;
        if (!ValidProxy(p->value))
          sink_.Error(p->at, "\"" + p->value +
                                 "\" is not a proxy URL: ParallelCluster needs http://host:port "
                                 "(it cuts host and port out of the URL)");
      }
    }
    if (auto d = Get(cluster, cluster_name, "disable_cluster_dns")) {
      c_.disable_managed_dns = Bool(*d).value_or(false);
      c_.disable_managed_dns_at = d->at;
    }
    if (auto q = Get(cluster, cluster_name, "initial_queue_size")) {
      try {
        queue_.count = std::max<std::int64_t>(1, std::stoll(q->value));
      } catch (...) {
        sink_.Error(q->at, "\"" + q->value + "\" is not a number");
      }
    }
    const auto vpc_settings = Get(cluster, cluster_name, "vpc_settings");
    if (!vpc_settings) {
      sink_.Error("[" + cluster_name + "] vpc_settings",
                  "missing: the cluster needs a [vpc NAME] section named by vpc_settings");
      return;
    }
    const std::string vpc_name = "vpc " + vpc_settings->value;
    const IniSection* vpc = doc_.Find(vpc_name);
    if (!vpc) {
      sink_.Error(vpc_settings->at, "no [" + vpc_name + "] section in the file");
      return;
    }
    Known(vpc, {"vpc_id", "master_subnet_id", "compute_subnet_id", "compute_subnet_cidr",
                "use_public_ips", "additional_sg", "vpc_security_group_id", "ssh_from"});
    if (auto v = Get(vpc, vpc_name, "vpc_id")) c_.vpc_id = *v;
    if (auto v = Get(vpc, vpc_name, "master_subnet_id")) {
      c_.head_subnet = *v;
    } else {
      sink_.Error("[" + vpc_name + "] master_subnet_id", "missing: the head node's subnet");
    }
    if (auto v = Get(vpc, vpc_name, "compute_subnet_id")) c_.compute_subnet = *v;
    if (auto v = Get(vpc, vpc_name, "compute_subnet_cidr")) {
      c_.compute_subnet_cidr = *v;
      if (!ParseCidr(v->value, false))
        sink_.Error(v->at, "\"" + v->value + "\" is not a CIDR block such as 10.0.1.0/24");
    }
    if (auto v = Get(vpc, vpc_name, "use_public_ips")) {
      if (auto b = Bool(*v)) c_.use_public_ips = {*b, v->at};
    }
    if (auto v = Get(vpc, vpc_name, "additional_sg")) c_.additional_sg = *v;
    if (auto v = Get(vpc, vpc_name, "vpc_security_group_id")) c_.vpc_security_group = *v;
    if (auto v = Get(vpc, vpc_name, "ssh_from")) {
      c_.ssh_from = *v;
      if (!ParseCidr(v->value, false))
        sink_.Error(v->at, "\"" + v->value + "\" is not a CIDR block such as 0.0.0.0/0");
    }
    c_.queues.push_back(queue_);
  }

 private:
  std::optional<Located<std::string>> Get(const IniSection* s, const std::string& name,
                                          const std::string& key) {
    if (!s) return std::nullopt;
    for (const auto& [k, v] : s->keys) {
      if (k == key) return Located<std::string>{Trim(v), "[" + name + "] " + key};
    }
    return std::nullopt;
  }

  // configparser's getboolean words.
  std::optional<bool> Bool(const Located<std::string>& v) {
    const std::string s = ToLower(v.value);
    if (s == "1" || s == "yes" || s == "true" || s == "on") return true;
    if (s == "0" || s == "no" || s == "false" || s == "off") return false;
    sink_.Error(v.at, "\"" + v.value + "\" is not a boolean (true or false)");
    return std::nullopt;
  }

  void Known(const IniSection* s, std::initializer_list<const char*> keys) {
    Known(s, std::set<std::string>(keys.begin(), keys.end()));
  }
  void Known(const IniSection* s, const std::set<std::string>& keys) {
    if (!s) return;
    for (const auto& [k, v] : s->keys) {
      if (!keys.contains(k))
        sink_.Warn("[" + s->name + "] " + k, "unknown key for ParallelCluster 2; skipped");
    }
  }

  // The [cluster] keys of ParallelCluster 2.11 (mappings.py).
  const std::set<std::string> kClusterKeys = {"additional_cfn_template",
                                              "additional_iam_policies",
                                              "architecture",
                                              "base_os",
                                              "cluster_config_metadata",
                                              "cluster_resource_bucket",
                                              "cluster_type",
                                              "compute_instance_type",
                                              "compute_root_volume_size",
                                              "custom_ami",
                                              "custom_chef_cookbook",
                                              "custom_awsbatch_template_url",
                                              "cw_log_settings",
                                              "dashboard_settings",
                                              "dcv_settings",
                                              "desired_vcpus",
                                              "disable_cluster_dns",
                                              "disable_hyperthreading",
                                              "ebs_settings",
                                              "ec2_iam_role",
                                              "efs_settings",
                                              "enable_efa",
                                              "enable_efa_gdr",
                                              "enable_intel_hpc_platform",
                                              "encrypted_ephemeral",
                                              "ephemeral_dir",
                                              "extra_json",
                                              "fsx_settings",
                                              "iam_lambda_role",
                                              "initial_queue_size",
                                              "key_name",
                                              "maintain_initial_size",
                                              "master_instance_type",
                                              "master_root_volume_size",
                                              "max_queue_size",
                                              "max_vcpus",
                                              "min_vcpus",
                                              "placement",
                                              "placement_group",
                                              "post_install",
                                              "post_install_args",
                                              "pre_install",
                                              "pre_install_args",
                                              "proxy_server",
                                              "queue_settings",
                                              "raid_settings",
                                              "s3_read_resource",
                                              "s3_read_write_resource",
                                              "scaling_settings",
                                              "scheduler",
                                              "shared_dir",
                                              "spot_bid_percentage",
                                              "spot_price",
                                              "tags",
                                              "template_url",
                                              "vpc_settings"};

  const IniDocument& doc_;
  DiagnosticSink& sink_;
  PclusterConfig& c_;
  PclusterQueue queue_;
};

// ---- version 3 (YAML) ---------------------------------------------------------------

std::string Append(const std::string& path, const std::string& key) { return path + "/" + key; }
std::string Append(const std::string& path, std::size_t i) {
  return path + "/" + std::to_string(i);
}

const char* YamlType(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "null";
    default:
      return "nothing";
  }
}

class V3Reader {
 public:
  V3Reader(DiagnosticSink& sink, PclusterConfig& c) : sink_(sink), c_(c) {}

  void Run(const YAML::Node& root) {
    c_.version = 3;
    if (!Map(root, "/")) return;
    Known(root, "",
          {"Region", "Image", "HeadNode", "Scheduling", "SharedStorage", "Iam", "Monitoring",
           "Tags", "AdditionalPackages", "CustomS3Bucket", "AdditionalResources", "DevSettings",
           "DeploymentSettings", "DirectoryService", "Imds", "LoginNodes", "CustomActions"});
    if (root["LoginNodes"].IsDefined())
      sink_.Warn("/LoginNodes",
                 "login nodes are not placed: their ports into the head node and "
                 "their endpoints are not checked");
    if (root["SharedStorage"].IsDefined())
      sink_.Warn("/SharedStorage",
                 "shared storage (EFS, FSx) is not modelled: its mount ports are "
                 "not checked");
    if (auto r = Scalar(root, "", "Region", false)) c_.region = *r;
    c_.directory_service = root["DirectoryService"].IsDefined();
    const YAML::Node head = root["HeadNode"];
    if (!head.IsDefined()) {
      sink_.Error("/HeadNode", "missing: the cluster needs a HeadNode");
    } else if (Map(head, "/HeadNode")) {
      ReadHead(head);
    }
    const YAML::Node scheduling = root["Scheduling"];
    if (!scheduling.IsDefined()) {
      sink_.Error("/Scheduling", "missing: the cluster needs Scheduling");
      return;
    }
    if (!Map(scheduling, "/Scheduling")) return;
    Known(scheduling, "/Scheduling",
          {"Scheduler", "SlurmSettings", "SlurmQueues", "AwsBatchQueues", "ScalingStrategy"});
    if (auto s = Scalar(scheduling, "/Scheduling", "Scheduler", true)) {
      c_.scheduler = *s;
      if (s->value != "slurm" && s->value != "awsbatch")
        sink_.Error(s->at, "unknown scheduler \"" + s->value +
                               "\" (ParallelCluster 3 supports slurm and awsbatch)");
    }
    const YAML::Node settings = scheduling["SlurmSettings"];
    const YAML::Node dns =
        settings.IsDefined() && settings.IsMap() ? settings["Dns"] : YAML::Node();
    if (settings.IsDefined() && settings.IsMap() && dns.IsDefined() &&
        Map(dns, "/Scheduling/SlurmSettings/Dns")) {
      Known(dns, "/Scheduling/SlurmSettings/Dns",
            {"DisableManagedDns", "HostedZoneId", "UseEc2Hostnames"});
      if (auto d = BoolField(dns, "/Scheduling/SlurmSettings/Dns", "DisableManagedDns")) {
        c_.disable_managed_dns = d->value;
        c_.disable_managed_dns_at = d->at;
      }
    }
    const char* queues_key = c_.scheduler.value == "awsbatch" ? "AwsBatchQueues" : "SlurmQueues";
    const YAML::Node queues = scheduling[queues_key];
    const std::string qp = std::string("/Scheduling/") + queues_key;
    if (!queues.IsDefined()) {
      if (c_.scheduler.set()) sink_.Error(qp, "missing: the scheduler needs at least one queue");
      return;
    }
    if (!queues.IsSequence()) {
      sink_.Error(qp, std::string("expected a list of queues, found ") + YamlType(queues));
      return;
    }
    if (queues.size() == 0) {
      sink_.Error(qp, "the scheduler needs at least one queue");
      return;
    }
    if (c_.scheduler.value == "awsbatch" && queues.size() > 1)
      sink_.Warn(Append(qp, 1),
                 "ParallelCluster supports one AWS Batch queue; only the first is placed");
    std::set<std::string> names;
    for (std::size_t i = 0; i < queues.size(); ++i) {
      const std::size_t before = c_.queues.size();
      ReadQueue(queues[i], Append(qp, i));
      if (c_.queues.size() > before && !names.insert(c_.queues.back().name).second)
        sink_.Error(Append(Append(qp, i), "Name"),
                    "queue name " + c_.queues.back().name + " is used twice");
    }
  }

 private:
  void ReadHead(const YAML::Node& head) {
    const YAML::Node net = head["Networking"];
    if (!net.IsDefined()) {
      sink_.Error("/HeadNode/Networking", "missing: the head node needs Networking/SubnetId");
      return;
    }
    const std::string p = "/HeadNode/Networking";
    if (!Map(net, p)) return;
    Known(net, p, {"SubnetId", "ElasticIp", "SecurityGroups", "AdditionalSecurityGroups", "Proxy"});
    if (auto s = Scalar(net, p, "SubnetId", true)) c_.head_subnet = *s;
    if (auto e = Scalar(net, p, "ElasticIp", false)) {
      // true, false (YAML 1.1 spellings too) or an allocation id; kept as "true"/"false"/id.
      const std::string v = ToLower(e->value);
      const bool yes = v == "true" || v == "yes" || v == "on";
      const bool no = v == "false" || v == "no" || v == "off";
      c_.elastic_ip = {yes ? "true" : no ? "false" : e->value, e->at};
      if (!yes && !no && !e->value.starts_with("eipalloc-"))
        sink_.Error(e->at, "\"" + e->value +
                               "\" is not an ElasticIp setting (true, false or an eipalloc- id)");
    }
    c_.head_security_groups = List(net, p, "SecurityGroups");
    c_.head_additional_security_groups = List(net, p, "AdditionalSecurityGroups");
    c_.head_proxy = Proxy(net, p);
    const YAML::Node ssh = head["Ssh"];
    if (ssh.IsDefined() && ssh.IsMap()) {
      if (auto ips = Scalar(ssh, "/HeadNode/Ssh", "AllowedIps", false)) c_.ssh_from = *ips;
    }
  }

  void ReadQueue(const YAML::Node& q, const std::string& p) {
    if (!Map(q, p)) return;
    PclusterQueue queue;
    if (auto n = Scalar(q, p, "Name", true)) queue.name = n->value;
    const YAML::Node net = q["Networking"];
    const std::string np = p + "/Networking";
    if (!net.IsDefined()) {
      sink_.Error(np, "missing: a queue needs Networking/SubnetIds");
      return;
    }
    if (!Map(net, np)) return;
    Known(net, np,
          {"SubnetIds", "AssignPublicIp", "SecurityGroups", "AdditionalSecurityGroups",
           "PlacementGroup", "Proxy"});
    queue.subnets = List(net, np, "SubnetIds");
    if (queue.subnets.empty())
      sink_.Error(Append(np, "SubnetIds"), "a queue needs at least one subnet in SubnetIds");
    if (auto b = BoolField(net, np, "AssignPublicIp")) {
      queue.assign_public_ip = b->value;
    }
    queue.security_groups = List(net, np, "SecurityGroups");
    queue.additional_security_groups = List(net, np, "AdditionalSecurityGroups");
    queue.proxy = Proxy(net, np);
    std::int64_t count = 0;
    const YAML::Node resources = q["ComputeResources"];
    if (resources.IsDefined() && resources.IsSequence()) {
      for (std::size_t i = 0; i < resources.size(); ++i) {
        if (!resources[i].IsMap()) continue;
        // Nodes running when the cluster comes up: MinCount (MaxCount is a ceiling).
        const YAML::Node min = resources[i]["MinCount"];
        count += min.IsDefined() && min.IsScalar() ? min.as<std::int64_t>(0) : 0;
      }
    }
    queue.count = std::max<std::int64_t>(1, count);
    c_.queues.push_back(std::move(queue));
  }

  Located<std::string> Proxy(const YAML::Node& net, const std::string& p) {
    const YAML::Node proxy = net["Proxy"];
    if (!proxy.IsDefined()) return {};
    if (!Map(proxy, Append(p, "Proxy"))) return {};
    auto address = Scalar(proxy, Append(p, "Proxy"), "HttpProxyAddress", true);
    if (!address) return {};
    if (!ValidProxy(address->value))
      sink_.Error(address->at, "\"" + address->value +
                                   "\" is not a proxy URL: ParallelCluster needs http://host:port");
    return *address;
  }

  bool Map(const YAML::Node& n, const std::string& p) {
    if (n.IsMap()) return true;
    sink_.Error(p.empty() ? "/" : p, std::string("expected a mapping, found ") + YamlType(n));
    return false;
  }

  std::optional<Located<std::string>> Scalar(const YAML::Node& parent, const std::string& p,
                                             const std::string& key, bool required) {
    if (!parent.IsDefined() || !parent.IsMap()) return std::nullopt;
    const YAML::Node n = parent[key];
    const std::string at = Append(p, key);
    if (!n.IsDefined() || n.IsNull()) {
      if (required) sink_.Error(at, "missing required key " + key);
      return std::nullopt;
    }
    if (!n.IsScalar()) {
      sink_.Error(at, std::string("expected a value, found ") + YamlType(n));
      return std::nullopt;
    }
    return Located<std::string>{n.Scalar(), at};
  }

  std::optional<Located<bool>> BoolField(const YAML::Node& parent, const std::string& p,
                                         const std::string& key) {
    const auto s = Scalar(parent, p, key, false);
    if (!s) return std::nullopt;
    // ParallelCluster reads v3 configs with PyYAML: YAML 1.1 booleans.
    const std::string v = ToLower(s->value);
    if (v == "true" || v == "yes" || v == "on" || v == "y") return Located<bool>{true, s->at};
    if (v == "false" || v == "no" || v == "off" || v == "n") return Located<bool>{false, s->at};
    sink_.Error(s->at, "\"" + s->value + "\" is not a boolean (true or false)");
    return std::nullopt;
  }

  std::vector<Located<std::string>> List(const YAML::Node& parent, const std::string& p,
                                         const std::string& key) {
    std::vector<Located<std::string>> out;
    const YAML::Node n = parent[key];
    const std::string at = Append(p, key);
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) {
      sink_.Error(at, std::string("expected a list, found ") + YamlType(n));
      return out;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (!n[i].IsScalar()) {
        sink_.Error(Append(at, i), std::string("expected an id, found ") + YamlType(n[i]));
        continue;
      }
      out.push_back({n[i].Scalar(), Append(at, i)});
    }
    return out;
  }

  void Known(const YAML::Node& n, const std::string& p, std::initializer_list<const char*> keys) {
    for (const auto& item : n) {
      const std::string key = item.first.Scalar();
      if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; }))
        sink_.Warn(Append(p, key), "unknown key for ParallelCluster 3; skipped");
    }
  }

  DiagnosticSink& sink_;
  PclusterConfig& c_;
};

// INI when a line is a section header ("[global]"); YAML configs have none.
bool LooksLikeIni(std::string_view text) {
  static const std::regex kSection("^\\[[^\\]]+\\][ \\t\\r]*$");
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    if (std::regex_match(line, kSection)) return true;
  }
  return false;
}

// inih reads lines of at most 200 characters (INI_MAX_LINE of Debian's build). Long
// values are options such as extra_json or post_install_args that do not shape the
// network: they are shortened, with a warning; a long value of a key that does is an
// error rather than a misreading.
std::string WithinLineLimit(std::string_view text, DiagnosticSink& sink) {
  static const std::set<std::string> kNetworkKeys = {"cluster_template",
                                                     "vpc_settings",
                                                     "scheduler",
                                                     "proxy_server",
                                                     "disable_cluster_dns",
                                                     "initial_queue_size",
                                                     "aws_region_name",
                                                     "vpc_id",
                                                     "master_subnet_id",
                                                     "compute_subnet_id",
                                                     "compute_subnet_cidr",
                                                     "use_public_ips",
                                                     "additional_sg",
                                                     "vpc_security_group_id",
                                                     "ssh_from"};
  std::string out, section;
  std::map<std::string, std::set<std::string>> keys;  // section -> keys seen
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    const std::string trimmed = Trim(line);
    if (!trimmed.empty() && trimmed.front() == '[' && trimmed.back() == ']')
      section = trimmed.substr(1, trimmed.size() - 2);
    // A key at the start of a line (continuation lines are indented): configparser
    // refuses one written twice in a section, and inih would join it as a continuation.
    if (!line.empty() && !std::isspace(static_cast<unsigned char>(line[0])) && line[0] != '[' &&
        line[0] != '#' && line[0] != ';') {
      const std::size_t sep = line.find_first_of("=:");
      if (sep != std::string::npos) {
        const std::string key = ToLower(Trim(line.substr(0, sep)));
        if (!keys[section].insert(key).second)
          sink.Error("[" + section + "] " + key, "duplicate key: configparser refuses it");
      }
    }
    if (line.size() >= 199) {
      const std::size_t sep = line.find_first_of("=:");
      const std::string key = ToLower(Trim(line.substr(0, sep)));
      const std::string at = "[" + section + "] " + key;
      if (sep == std::string::npos || kNetworkKeys.contains(key)) {
        sink.Error(at, "a line over 200 characters cannot be read (the INI reader's line limit)");
      } else {
        sink.Warn(at,
                  "the value is over 200 characters and is not read; it does not shape the "
                  "network");
        line = line.substr(0, sep + 1) + " (long value not read)";
      }
    }
    out += line + "\n";
    if (end == text.size()) break;
    pos = end + 1;
  }
  return out;
}

}  // namespace

LoadedPcluster ParsePclusterConfig(std::string_view text, const std::string& path) {
  DiagnosticSink sink(path);
  LoadedPcluster out;
  out.config.source = path;
  if (LooksLikeIni(text)) {
    IniDocument doc;
    const std::string copy = WithinLineLimit(text, sink);
    const int line = ini_parse_string(copy.c_str(), OnIniValue, &doc);
    if (line != 0) {
      sink.Error(std::to_string(line) + ":1",
                 "invalid INI: expected [section], key = value or key: value");
    } else {
      V2Reader(doc, sink, out.config).Run();
    }
  } else {
    try {
      const YAML::Node root = YAML::Load(std::string(text));
      V3Reader(sink, out.config).Run(root);
    } catch (const YAML::Exception& e) {
      if (e.mark.is_null()) {
        sink.Error("/", "unreadable YAML: " + e.msg);
      } else {
        sink.Error(std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                   "invalid YAML: " + e.msg);
      }
    }
  }
  sink.ThrowIfErrors();
  out.warnings = sink.warnings();
  return out;
}

}  // namespace sim
