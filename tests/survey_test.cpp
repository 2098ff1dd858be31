// Incremental re-evaluation: after seeded random edits (routes, security-group rules,
// network ACL entries, NAT gateways, endpoints, peering, and edits that reshape the
// network), a survey moved to the edited network answers every question exactly as a
// survey built from scratch on it does, while re-answering only what the edit touched.
#include "sim/engine/survey.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "sim/engine/check.hpp"
#include "sim/load/input.hpp"
#include "sim/model/generate.hpp"
#include "test_util.hpp"

namespace sim {
namespace {

// One random edit of the kinds a user makes; returns what it did, for failure messages.
std::string RandomEdit(Scenario& s, std::mt19937& rng) {
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  // An address inside the network or a service: narrow CIDRs split address classes.
  auto narrow = [&]() {
    const Subnet& sn = s.subnets[pick(s.subnets.size())];
    const std::vector<Cidr> choices = {
        Cidr{sn.cidr.first() + 5 + static_cast<Ipv4>(pick(4)), 32},  // one node's address
        Cidr{sn.cidr.first(), static_cast<int>(std::min(32, sn.cidr.length + 1))},  // half
        *ParseCidr("52.216.0.0/15", true),  // inside S3's us-east-1 ranges
        *ParseCidr("8.8.8.0/24", true)};    // the internet representative
    return choices[pick(choices.size())];
  };
  for (;;) {
    switch (pick(12)) {
      case 0: {  // delete a route
        RouteTable& t = s.route_tables[pick(s.route_tables.size())];
        if (t.routes.empty()) continue;
        const std::size_t i = pick(t.routes.size());
        t.routes.erase(t.routes.begin() + static_cast<std::ptrdiff_t>(i));
        return "delete route " + std::to_string(i) + " of " + t.id;
      }
      case 1: {  // point a route at another gateway of its VPC, or blackhole it
        RouteTable& t = s.route_tables[pick(s.route_tables.size())];
        if (t.routes.empty()) continue;
        Route& r = t.routes[pick(t.routes.size())];
        std::vector<std::pair<TargetKind, std::string>> targets;
        for (const auto& g : s.internet_gateways)
          if (g.vpc == t.vpc) targets.emplace_back(TargetKind::kInternetGateway, g.id);
        for (const auto& n : s.nat_gateways) {
          for (const auto& sn : s.subnets)
            if (sn.id == n.subnet && sn.vpc == t.vpc)
              targets.emplace_back(TargetKind::kNatGateway, n.id);
        }
        if (targets.empty() || pick(4) == 0) {
          r.state = RouteState::kBlackhole;
          return "blackhole a route of " + t.id;
        }
        const auto& [kind, id] = targets[pick(targets.size())];
        r.target_kind = kind;
        r.target = id;
        r.state = RouteState::kActive;
        return "route of " + t.id + " -> " + id;
      }
      case 2: {  // delete a security-group rule
        SecurityGroup& g = s.security_groups[pick(s.security_groups.size())];
        auto& rules = pick(2) ? g.ingress : g.egress;
        if (rules.empty()) continue;
        rules.erase(rules.begin() + static_cast<std::ptrdiff_t>(pick(rules.size())));
        return "delete a rule of " + g.id;
      }
      case 3: {  // add a security-group rule
        SecurityGroup& g = s.security_groups[pick(s.security_groups.size())];
        SgRule r;
        r.protocol = proto::kTcp;
        r.from_port = r.to_port = pick(2) ? 443 : 6817;
        r.cidr = *ParseCidr(pick(2) ? "0.0.0.0/0" : "10.0.0.0/8", true);
        (pick(2) ? g.ingress : g.egress).push_back(r);
        return "add a rule to " + g.id;
      }
      case 4: {  // flip a network ACL entry
        NetworkAcl& a = s.network_acls[pick(s.network_acls.size())];
        auto& entries = pick(2) ? a.ingress : a.egress;
        if (entries.empty()) continue;
        NaclEntry& e = entries[pick(entries.size())];
        e.allow = !e.allow;
        return "flip entry " + std::to_string(e.rule_number) + " of " + a.id;
      }
      case 5: {  // a NAT gateway deleted
        if (s.nat_gateways.empty()) continue;
        NatGateway& n = s.nat_gateways[pick(s.nat_gateways.size())];
        n.state = n.state == "available" ? "deleted" : "available";
        return "NAT gateway " + n.id + " " + n.state;
      }
      case 6: {  // an endpoint deleted, or its private DNS switched
        if (s.vpc_endpoints.empty()) continue;
        VpcEndpoint& e = s.vpc_endpoints[pick(s.vpc_endpoints.size())];
        if (pick(2)) {
          e.state = e.state == "available" ? "deleted" : "available";
        } else {
          e.private_dns = !e.private_dns;
        }
        return "endpoint " + e.id + " edited";
      }
      case 7: {  // a peering connection goes down
        if (s.peering_connections.empty()) continue;
        PeeringConnection& p = s.peering_connections[pick(s.peering_connections.size())];
        p.status = p.status == "active" ? "deleted" : "active";
        return "peering " + p.id + " " + p.status;
      }
      case 8: {  // reshape: a node group loses or gains its public IPv4
        NodeGroup& g = s.node_groups[pick(s.node_groups.size())];
        g.public_ip = !g.public_ip.value_or(false);
        return "public IPv4 of " + g.name + " switched";
      }
      case 9: {  // a narrow deny in front of a network ACL
        NetworkAcl& a = s.network_acls[pick(s.network_acls.size())];
        NaclEntry e;
        e.rule_number = 1 + static_cast<int>(pick(5));
        e.protocol = pick(2) ? proto::kAll : proto::kTcp;
        e.allow = false;
        e.cidr = narrow();
        auto& entries = pick(2) ? a.ingress : a.egress;
        if (std::any_of(entries.begin(), entries.end(),
                        [&](const NaclEntry& x) { return x.rule_number == e.rule_number; }))
          continue;
        entries.insert(entries.begin(), e);
        return "deny " + e.cidr.ToString() + " in " + a.id;
      }
      case 10: {  // a narrow route
        RouteTable& t = s.route_tables[pick(s.route_tables.size())];
        Route r;
        r.destination = narrow();
        r.state = RouteState::kBlackhole;
        if (std::any_of(t.routes.begin(), t.routes.end(),
                        [&](const Route& x) { return x.destination == r.destination; }))
          continue;
        t.routes.push_back(r);
        return "blackhole route " + r.destination->ToString() + " in " + t.id;
      }
      case 11: {  // a narrow security-group rule
        SecurityGroup& g = s.security_groups[pick(s.security_groups.size())];
        SgRule r;
        r.protocol = pick(2) ? proto::kAll : proto::kTcp;
        if (r.protocol == proto::kTcp) r.from_port = r.to_port = 443;
        r.cidr = narrow();
        (pick(2) ? g.ingress : g.egress).push_back(r);
        return "allow " + r.cidr.ToString() + " in " + g.id;
      }
    }
  }
}

// Every question of the matrix and the expectations, and packets of any protocol from
// each subnet's router (source 0.0.0.0 and a host address) to the matrix's destinations.
void AskEverything(Survey& survey) {
  const Matrix m = MatrixOf(survey);
  CheckExpectations(survey.topology(), [&](const QuerySpec& q) { return survey.Result(q); });
  std::vector<QuerySpec> more;
  const auto& subnets = survey.topology().subnets();
  for (std::size_t i = 0; i < subnets.size() && i < 8; ++i) {
    for (const std::string& from :
         {subnets[i].id, subnets[i].id + ":" + FormatIpv4(subnets[i].cidr.first() + 9)}) {
      for (std::size_t d = 0; d < m.destinations.size() && d < 3; ++d) {
        QuerySpec q;
        q.from = from;
        q.to = m.cells[d].spec.to;
        q.protocol = proto::kAll;
        more.push_back(q);
      }
    }
  }
  survey.AskAll(more);
}

// Moves a survey through `edits` random edits of `base` (each on top of the last) and
// compares it after every edit with a survey built from scratch. Returns the share of
// questions re-answered after the edits that kept the network's shape.
double CheckAgainstScratch(const Scenario& base, unsigned seed, int edits) {
  std::mt19937 rng(seed);
  Scenario s = base;
  auto topology = std::make_shared<const Topology>(Topology::Build(s));
  Survey survey(topology);
  AskEverything(survey);
  std::size_t reanswered = 0, asked = 0;
  for (int k = 0; k < edits; ++k) {
    const std::string what = RandomEdit(s, rng);
    auto next = std::make_shared<const Topology>(Topology::Build(s, topology.get()));
    const Survey::Update u = survey.MoveTo(next);
    topology = next;
    AskEverything(survey);  // destinations the edit added
    Survey scratch(std::make_shared<const Topology>(Topology::Build(s)));
    for (std::size_t i = 0; i < survey.size(); ++i) {
      const Answer& full = scratch.answer(scratch.Ask(survey.question(i)));
      if (survey.answer(i).SameVerdict(full)) continue;
      ADD_FAILURE() << base.name << " seed " << seed << " edit " << k << " (" << what
                    << "): " << survey.question(i).from << " -> " << survey.question(i).to
                    << ": incremental " << survey.answer(i).Describe() << ", from scratch "
                    << full.Describe();
      return 1.0;
    }
    if (!u.reshaped) {
      reanswered += u.reanswered.size();
      asked += survey.size();
    }
  }
  return asked ? static_cast<double>(reanswered) / static_cast<double>(asked) : 0.0;
}

TEST(Survey, IncrementalMatchesScratchOnGeneratedNetworks) {
  const Scenario base = GenerateNetwork({3000, 40, 3, 5});
  for (unsigned seed = 1; seed <= 4; ++seed) {
    // Edits of settings re-answer a small part of the questions only.
    EXPECT_LT(CheckAgainstScratch(base, seed, 12), 0.75) << "seed " << seed;
  }
}

TEST(Survey, IncrementalMatchesScratchOnEveryBundledScenario) {
  for (const char* dir : {"scenarios/architectures", "scenarios/rules"}) {
    for (const Network& n : LoadNetworks(testing::ReadJsonDir(dir))) {
      for (unsigned seed = 1; seed <= 3; ++seed) CheckAgainstScratch(n.scenario, seed, 6);
    }
  }
}

TEST(Survey, ASettingEditSharesTheEniTablesAndReanswersItsReaders) {
  Scenario s = GenerateNetwork({2000, 20, 2, 3});
  auto a = std::make_shared<const Topology>(Topology::Build(s));
  Survey survey(a);
  MatrixOf(survey);
  // The first NAT gateway is deleted: the route tables through it turn blackhole.
  s.nat_gateways[0].state = "deleted";
  auto b = std::make_shared<const Topology>(Topology::Build(s, a.get()));
  const Survey::Update u = survey.MoveTo(b);
  EXPECT_FALSE(u.reshaped);
  ASSERT_FALSE(u.changed.empty());
  EXPECT_EQ(KindOfRef(u.changed.front()), Kind::kRouteTable);
  EXPECT_EQ(KindOfRef(u.changed.back()), Kind::kNatGateway);
  EXPECT_GT(u.reanswered.size(), 0u);
  EXPECT_LT(u.reanswered.size(), survey.size());
  ASSERT_FALSE(u.differences.empty());
  const Answer& after = survey.answer(u.differences.front().first);
  ASSERT_TRUE(after.blocked.has_value());
  EXPECT_EQ(after.blocked->code, "BAD_STATE_ROUTE");
  // One more node reshapes the network: everything is re-answered.
  s.node_groups.back().count += 1;
  auto c = std::make_shared<const Topology>(Topology::Build(s, b.get()));
  EXPECT_TRUE(survey.MoveTo(c).reshaped);
}

}  // namespace
}  // namespace sim
