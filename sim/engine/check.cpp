#include "sim/engine/check.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace sim {

ExpectationOutcome Judge(const Expectation& expectation, QueryResult result) {
  ExpectationOutcome out;
  out.expectation = expectation;
  out.result = std::move(result);
  const QueryResult& r = out.result;
  if (r.verdict != expectation.expect) {
    out.reason = std::string("expected ") + VerdictName(expectation.expect) + ", got " +
                 VerdictName(r.verdict);
    if (!r.trace.blocked.empty()) {
      out.reason += " (" + r.trace.blocked.front().id + ": " + r.trace.blocked.front().code + ")";
    }
    return out;
  }
  const Block* first = r.trace.blocked.empty() ? nullptr : &r.trace.blocked.front();
  if (!expectation.blocked_by.empty() && (!first || first->id != expectation.blocked_by)) {
    out.reason = "expected the packet to be blocked by " + expectation.blocked_by + ", but " +
                 (first ? "it is blocked by " + first->id + " (" + first->code + ")"
                        : std::string("nothing blocks it"));
    return out;
  }
  if (!expectation.code.empty() && (!first || first->code != expectation.code)) {
    out.reason = "expected code " + expectation.code + ", got " +
                 (first ? first->code : std::string("none"));
    return out;
  }
  out.pass = true;
  return out;
}

std::vector<ExpectationOutcome> CheckExpectations(const Topology& topology) {
  std::vector<ExpectationOutcome> out;
  for (const Expectation& e : topology.scenario().expectations) {
    QuerySpec spec;
    spec.from = e.from;
    spec.to = e.to;
    spec.protocol = e.protocol;
    spec.port = e.port;
    spec.from_location = PointerAppend(e.pointer, "from");
    spec.to_location = PointerAppend(e.pointer, "to");
    out.push_back(Judge(e, Evaluate(topology, spec)));
  }
  return out;
}

std::string MatrixDestination::Label() const {
  return to + " " + ProtocolName(protocol) + (HasPorts(protocol) ? "/" + std::to_string(port) : "");
}

std::vector<MatrixDestination> MatrixDestinations(const Topology& topology,
                                                  const std::vector<MatrixDestination>& extra) {
  std::vector<MatrixDestination> out;
  std::set<std::tuple<std::string, int, int>> seen;
  auto add = [&](const std::string& to, int protocol, int port) {
    if (seen.insert({to, protocol, port}).second) out.push_back({to, protocol, port});
  };
  for (const Expectation& e : topology.scenario().expectations) add(e.to, e.protocol, e.port);
  for (const EndpointInfo& ep : topology.endpoints()) {
    if (ep.service) add("service:" + ep.service->name, proto::kTcp, 443);
  }
  for (const MatrixDestination& d : extra) add(d.to, d.protocol, d.port);
  add("internet", proto::kTcp, 443);
  std::stable_sort(out.begin(), out.end(),
                   [](const MatrixDestination& a, const MatrixDestination& b) {
                     return std::tie(a.to, a.protocol, a.port) < std::tie(b.to, b.protocol, b.port);
                   });
  return out;
}

Matrix BuildMatrix(const Topology& topology, const std::vector<MatrixDestination>& extra,
                   Evaluation mode) {
  Matrix m;
  std::vector<std::string> groups;
  for (const GroupInfo& g : topology.groups()) groups.push_back(g.name);
  std::sort(groups.begin(), groups.end());
  m.sources = groups;
  const auto destinations = MatrixDestinations(topology, extra);
  for (const auto& d : destinations) m.destinations.push_back(d.Label());
  // One-ENI groups of one class (imported dumps have a group per ENI) answer a question
  // about a service or the internet alike: it is asked once per class. Destinations
  // that are node groups, ENIs or addresses are asked per group, because a source may
  // itself be the destination.
  std::map<std::pair<SourceClassKey, std::size_t>, QueryResult> asked;
  for (const std::string& from : groups) {
    const GroupInfo& g = topology.groups()[static_cast<std::size_t>(*topology.FindGroup(from))];
    std::optional<SourceClassKey> key;
    if (g.count == 1 && mode == Evaluation::kClasses) key = SourceClassOf(topology, g.first_eni);
    for (std::size_t di = 0; di < destinations.size(); ++di) {
      const MatrixDestination& d = destinations[di];
      QuerySpec spec;
      spec.from = from;
      spec.to = d.to;
      spec.protocol = d.protocol;
      spec.port = d.port;
      const bool shared = key && (d.to == "internet" || d.to.starts_with("service:"));
      QueryResult r;
      if (shared) {
        const auto it = asked.find({*key, di});
        r = it != asked.end() ? it->second : (asked[{*key, di}] = Evaluate(topology, spec, mode));
      } else {
        r = Evaluate(topology, spec, mode);
      }
      MatrixCell cell;
      cell.spec = spec;
      cell.verdict = r.verdict;
      cell.sources_total = r.sources_total;
      cell.sources_reachable = r.sources_reachable;
      cell.via_proxy = r.via_proxy;
      if (!r.trace.blocked.empty()) {
        cell.blocked_by = r.trace.blocked.front().id;
        cell.code = r.trace.blocked.front().code;
      }
      m.cells.push_back(cell);
    }
  }
  return m;
}

}  // namespace sim
