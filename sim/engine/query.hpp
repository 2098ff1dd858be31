// Questions about a topology: "can SOURCE reach DESTINATION on PROTOCOL/PORT?".
// Resolves the names of the CLI contract (node groups, ENI and instance ids,
// addresses, service:NAME, DNS names, internet), resolves DNS in the source's VPC,
// sends proxied connections through their HTTP proxy (two legs), and evaluates one
// representative per equivalence class of sources and destinations: ENIs in the same
// subnet with the same security groups, public-IP status and address atom are
// forwarded and filtered identically. EvaluatePerEni is the plain per-ENI evaluator
// kept as the test oracle for the class-based engine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "sim/engine/walk.hpp"
#include "sim/graph/topology.hpp"

namespace sim {

struct QuerySpec {
  std::string from;
  std::string to;
  int protocol = proto::kTcp;
  int port = 443;
  int icmp_code = 0;
  // Where `from` and `to` were written, for diagnostics ("--from", "/expectations/2/to").
  std::string from_location = "--from";
  std::string to_location = "--to";
};

struct DnsAnswer {
  std::string name;             // the name asked for ("" when the destination is an address)
  std::string resolver;         // VPC id, or "public DNS"
  std::vector<Ipv4> addresses;  // representative addresses, one per address atom
  std::string note;             // why the name resolved the way it did
  bool resolved = true;
};

struct QueryResult {
  QuerySpec spec;
  Verdict verdict = Verdict::kUnreachable;
  std::int64_t sources_total = 0;
  std::int64_t sources_reachable = 0;
  std::string via_proxy;         // proxy id when the connection goes through one
  std::string source_id;         // the representative source (ENI id)
  std::string destination;       // what `to` stands for, in words
  DnsAnswer dns;                 // resolution for the representative source
  Trace trace;                   // of the representative source and destination
  std::int64_t evaluations = 0;  // packet walks performed
};

enum class Evaluation { kClasses, kPerEni };

// What makes source ENIs answer every question alike: their node group's subnet,
// security groups, proxy, ephemeral range, IMDS switch and ECS endpoint (computed once
// per group), and per ENI its public-IP status and address atoms. Queries evaluate one
// representative per class; the matrix reuses answers across groups of one class.
using GroupClassKey = std::tuple<int, std::vector<int>, int, int, int, bool, bool>;
using SourceClassKey = std::tuple<GroupClassKey, bool, std::size_t, std::size_t>;
GroupClassKey GroupClassOf(const Topology& topology, int group);
SourceClassKey SourceClassOf(const Topology& topology, std::int64_t eni);

// Answers one question. Throws InputError when `from` or `to` names nothing in the
// input. Unreachable destinations are answers, not errors.
QueryResult Evaluate(const Topology& topology, const QuerySpec& spec,
                     Evaluation mode = Evaluation::kClasses);

// Something that answers questions: Evaluate, or a Survey's stored answers.
using Asker = std::function<QueryResult(const QuerySpec&)>;

// The per-ENI oracle: every source ENI and every destination ENI on its own.
inline QueryResult EvaluatePerEni(const Topology& topology, const QuerySpec& spec) {
  return Evaluate(topology, spec, Evaluation::kPerEni);
}

// Whether `host` matches a no_proxy list (hosts, ".domain" suffixes, IPs, CIDRs, "*").
bool MatchesNoProxy(const std::vector<std::string>& no_proxy, const std::string& host);
// Whether a proxy allow-list admits `host` (empty list: everything).
bool DomainAllowed(const std::vector<std::string>& allowed, const std::string& host);

}  // namespace sim
