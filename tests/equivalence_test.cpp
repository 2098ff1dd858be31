// Property test: on seeded random networks, the class-based engine (one representative
// per equivalence class of ENIs) and the per-ENI oracle give the same verdicts and the
// same source counts. The random networks deliberately cut subnets with small CIDRs in
// security-group rules, network ACL entries and routes, so that ENIs of one node group
// fall into different address atoms.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/test_util.hpp"

namespace sim::testing {
namespace {

class RandomNetwork {
 public:
  explicit RandomNetwork(std::uint32_t seed) : rng_(seed) {}

  json Make() {
    json n;
    n["name"] = "random";
    n["region"] = "us-east-1";
    n["vpcs"] = json::array();
    n["subnets"] = json::array();
    n["route_tables"] = json::array();
    n["internet_gateways"] = json::array();
    n["nat_gateways"] = json::array();
    n["security_groups"] = json::array();
    n["network_acls"] = json::array();
    n["node_groups"] = json::array();
    n["vpc_endpoints"] = json::array();
    const int vpcs = Pick(1, 2);
    for (int v = 0; v < vpcs; ++v) AddVpc(n, v);
    if (vpcs == 2 && Chance(0.6)) {
      n["peering_connections"] =
          json::array({{{"id", "pcx-01"}, {"requester_vpc", "vpc-0"}, {"accepter_vpc", "vpc-1"}}});
      for (auto& t : n["route_tables"]) {
        const bool in0 = t["vpc"] == "vpc-0";
        t["routes"].push_back({{"destination", in0 ? "10.1.0.0/16" : "10.0.0.0/16"},
                               {"peering_connection", "pcx-01"}});
      }
    }
    return n;
  }

  std::vector<std::string> groups() const { return groups_; }
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

 private:
  std::string SmallCidr(int v, int subnet) {
    // A /28 or /27 inside a subnet: splits the ENIs of a group into atoms.
    const int len = Pick(27, 28);
    const int step = 1 << (32 - len);
    // Node groups take the low addresses of a subnet; cut there.
    const int offset = Pick(0, 64 / step) * step;
    return "10." + std::to_string(v) + "." + std::to_string(subnet) + "." + std::to_string(offset) +
           "/" + std::to_string(len);
  }

  std::string AnyCidr(int v, int subnets) {
    switch (Pick(0, 5)) {
      case 0:
        return "0.0.0.0/0";
      case 1:
        return "10." + std::to_string(v) + ".0.0/16";
      case 2:
        return "10." + std::to_string(v) + "." + std::to_string(Pick(0, subnets - 1)) + ".0/24";
      case 3:
      case 5:
        return SmallCidr(v, Pick(0, subnets - 1));
      default:
        return "10." + std::to_string(1 - v) + ".0.0/16";
    }
  }

  json Ports(json rule) {
    const int kind = Pick(0, 3);
    if (kind == 0) {
      rule["protocol"] = "-1";
    } else {
      rule["protocol"] = kind == 1 ? "udp" : "tcp";
      const int lo = std::vector<int>{
          0, 22, 443, 1024, 2049, 40000, 49152}[static_cast<std::size_t>(Pick(0, 6))];
      rule["from_port"] = lo;
      rule["to_port"] = Chance(0.5) ? lo : 65535;
    }
    return rule;
  }

  void AddVpc(json& n, int v) {
    const std::string vpc = "vpc-" + std::to_string(v);
    n["vpcs"].push_back({{"id", vpc},
                         {"cidr_blocks", {"10." + std::to_string(v) + ".0.0/16"}},
                         {"enableDnsHostnames", true}});
    const int subnets = Pick(2, 4);
    const std::string igw = "igw-" + std::to_string(v);
    n["internet_gateways"].push_back({{"id", igw}, {"vpc", vpc}});
    json pub_routes = json::array({{{"destination", "0.0.0.0/0"}, {"internet_gateway", igw}}});
    if (Chance(0.3))
      pub_routes.push_back(
          {{"destination", "8.8.8.0/24"}, {"internet_gateway", igw}, {"state", "blackhole"}});
    n["route_tables"].push_back({{"id", "rtb-pub-" + std::to_string(v)},
                                 {"vpc", vpc},
                                 {"subnets", json::array()},
                                 {"routes", pub_routes}});
    json priv_routes = json::array();
    const bool nat = Chance(0.7);
    if (nat) {
      const std::string id = "nat-" + std::to_string(v);
      n["nat_gateways"].push_back({{"id", id},
                                   {"subnet", "subnet-" + std::to_string(v) + "-0"},
                                   {"elastic_ip", "198.51.100." + std::to_string(10 + v)}});
      priv_routes.push_back({{"destination", "0.0.0.0/0"}, {"nat_gateway", id}});
    }
    n["route_tables"].push_back({{"id", "rtb-priv-" + std::to_string(v)},
                                 {"vpc", vpc},
                                 {"main", true},
                                 {"routes", priv_routes}});
    if (Chance(0.5)) {
      n["vpc_endpoints"].push_back({{"id", "vpce-s3-" + std::to_string(v)},
                                    {"vpc", vpc},
                                    {"type", "gateway"},
                                    {"service", "s3"},
                                    {"route_tables", {"rtb-priv-" + std::to_string(v)}}});
    }
    for (int s = 0; s < subnets; ++s) {
      const std::string id = "subnet-" + std::to_string(v) + "-" + std::to_string(s);
      const bool pub = s == 0 || Chance(0.3);
      n["subnets"].push_back(
          {{"id", id},
           {"vpc", vpc},
           {"cidr", "10." + std::to_string(v) + "." + std::to_string(s) + ".0/24"},
           {"availability_zone", s % 2 ? "us-east-1b" : "us-east-1a"},
           {"map_public_ip_on_launch", pub}});
      if (pub) (*Find(n["route_tables"], "rtb-pub-" + std::to_string(v)))["subnets"].push_back(id);
    }
    // Security groups with CIDR, small-CIDR and group-reference rules.
    for (int g = 0; g < 3; ++g) {
      const std::string id = "sg-" + std::to_string(v) + "-" + std::to_string(g);
      json ingress = json::array(), egress = json::array();
      for (int r = Pick(0, 3); r > 0; --r) {
        json rule = Ports(json::object());
        if (Chance(0.3)) {
          rule["security_group"] = "sg-" + std::to_string(v) + "-" + std::to_string(Pick(0, 2));
        } else {
          rule["cidr"] = AnyCidr(v, subnets);
        }
        ingress.push_back(rule);
      }
      // Rules that admit only part of a subnet make ENIs of one group differ.
      for (int r = Pick(0, 2); r > 0; --r)
        ingress.push_back({{"protocol", "-1"}, {"cidr", SmallCidr(v, Pick(0, subnets - 1))}});
      json sg = {{"id", id}, {"vpc", vpc}, {"ingress", ingress}};
      if (Chance(0.4)) {
        for (int r = Pick(0, 2); r > 0; --r) {
          json rule = Ports(json::object());
          rule["cidr"] = AnyCidr(v, subnets);
          egress.push_back(rule);
        }
        sg["egress"] = egress;
      }
      n["security_groups"].push_back(sg);
    }
    // A custom network ACL on some subnets, with small-CIDR entries and port ranges.
    if (Chance(0.7)) {
      json acl = {{"id", "acl-" + std::to_string(v)}, {"vpc", vpc}, {"subnets", json::array()}};
      for (int s = 0; s < subnets; ++s) {
        if (Chance(0.5))
          acl["subnets"].push_back("subnet-" + std::to_string(v) + "-" + std::to_string(s));
      }
      for (const char* dir : {"ingress", "egress"}) {
        json entries = json::array();
        int number = 10;
        for (int e = Pick(1, 4); e > 0; --e) {
          json entry = Ports(json::object());
          entry["rule_number"] = number;
          number += Pick(1, 20);
          entry["cidr"] = AnyCidr(v, subnets);
          entry["action"] = Chance(0.7) ? "allow" : "deny";
          entries.push_back(entry);
        }
        if (Chance(0.5)) {
          entries.push_back({{"rule_number", 900},
                             {"protocol", "-1"},
                             {"cidr", SmallCidr(v, Pick(0, subnets - 1))},
                             {"action", "deny"}});
        }
        entries.push_back({{"rule_number", 1000},
                           {"protocol", "-1"},
                           {"cidr", "0.0.0.0/0"},
                           {"action", Chance(0.8) ? "allow" : "deny"}});
        acl[dir] = entries;
      }
      n["network_acls"].push_back(acl);
    }
    for (int g = Pick(2, 4); g > 0; --g) {
      // Some groups are queues of "compute", which a query names all at once.
      const std::string name =
          (Chance(0.5) ? "compute:q" : "g") + std::to_string(v) + "-" + std::to_string(g);
      json group = {
          {"name", name},
          {"subnet", "subnet-" + std::to_string(v) + "-" + std::to_string(Pick(0, subnets - 1))},
          {"count", Pick(1, 40)},
          {"security_groups", {"sg-" + std::to_string(v) + "-" + std::to_string(Pick(0, 2))}}};
      if (Chance(0.3))
        group["security_groups"].push_back("sg-" + std::to_string(v) + "-" +
                                           std::to_string(Pick(0, 2)));
      if (Chance(0.3)) group["public_ip"] = Chance(0.5);
      if (Chance(0.2)) group["imds"] = false;
      if (Chance(0.3)) {
        group["role"] = Chance(0.5) ? "batch-task" : "batch-instance";
        if (group["role"] == "batch-task") group.erase("public_ip");
      }
      n["node_groups"].push_back(group);
      groups_.push_back(name);
    }
  }

  std::mt19937 rng_;
  std::vector<std::string> groups_;
};

TEST(EquivalenceTest, ClassEngineAgreesWithPerEniOracle) {
  int compared = 0;
  int stats[3] = {0, 0, 0};
  int mixed = 0;
  for (std::uint32_t seed = 1; seed <= 120; ++seed) {
    RandomNetwork gen(seed);
    const json network = gen.Make();
    const Topology t = Build(network);
    const auto groups = gen.groups();
    const bool has_compute = std::any_of(groups.begin(), groups.end(), [](const std::string& g) {
      return g.starts_with("compute:");
    });
    for (int q = 0; q < 12; ++q) {
      QuerySpec spec;
      spec.from =
          has_compute && gen.Chance(0.25)
              ? std::string("compute")
              : groups[static_cast<std::size_t>(gen.Pick(0, static_cast<int>(groups.size()) - 1))];
      const int kind = gen.Pick(0, 6);
      if (kind <= 2) {
        spec.to =
            groups[static_cast<std::size_t>(gen.Pick(0, static_cast<int>(groups.size()) - 1))];
      } else {
        spec.to = std::vector<std::string>{"internet", "service:s3", "169.254.169.254",
                                           "169.254.170.2"}[static_cast<std::size_t>(kind - 3)];
      }
      spec.port = std::vector<int>{22, 443, 2049, 53}[static_cast<std::size_t>(gen.Pick(0, 3))];
      spec.protocol = spec.port == 53 ? proto::kUdp : proto::kTcp;
      const QueryResult classes = Evaluate(t, spec);
      const QueryResult oracle = EvaluatePerEni(t, spec);
      ASSERT_EQ(classes.verdict, oracle.verdict) << "seed " << seed << ": " << spec.from << " -> "
                                                 << spec.to << " port " << spec.port << "\n"
                                                 << network.dump();
      ASSERT_EQ(classes.sources_total, oracle.sources_total) << "seed " << seed;
      ASSERT_EQ(classes.sources_reachable, oracle.sources_reachable)
          << "seed " << seed << ": " << spec.from << " -> " << spec.to << " port " << spec.port;
      EXPECT_LE(classes.evaluations, oracle.evaluations);
      ++compared;
      stats[static_cast<int>(classes.verdict)]++;
      if (classes.sources_reachable > 0 && classes.sources_reachable < classes.sources_total)
        ++mixed;
    }
  }
  EXPECT_EQ(compared, 1440);
  // The comparison is only worth something if the random networks produce every
  // verdict and split node groups into classes that answer differently.
  EXPECT_GT(stats[static_cast<int>(Verdict::kReachable)], 100);
  EXPECT_GT(stats[static_cast<int>(Verdict::kUnreachable)], 100);
  EXPECT_GE(stats[static_cast<int>(Verdict::kPartial)], 20);
  EXPECT_GE(mixed, 15);
}

}  // namespace
}  // namespace sim::testing
