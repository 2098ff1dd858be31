#include "sim/engine/check.hpp"

#include <algorithm>
#include <map>
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

std::vector<ExpectationOutcome> CheckExpectations(const Topology& topology, const Asker& ask) {
  std::vector<ExpectationOutcome> out;
  for (const Expectation& e : topology.scenario().expectations) {
    QuerySpec spec;
    spec.from = e.from;
    spec.to = e.to;
    spec.protocol = e.protocol;
    spec.port = e.port;
    spec.from_location = PointerAppend(e.pointer, "from");
    spec.to_location = PointerAppend(e.pointer, "to");
    out.push_back(Judge(e, ask ? ask(spec) : Evaluate(topology, spec)));
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

Matrix MatrixOf(Survey& survey, const std::vector<MatrixDestination>& extra, bool keep_unaskable) {
  const Topology& topology = survey.topology();
  Matrix m;
  for (const GroupInfo& g : topology.groups()) m.sources.push_back(g.name);
  std::sort(m.sources.begin(), m.sources.end());
  const auto destinations = MatrixDestinations(topology, extra);
  for (const auto& d : destinations) m.destinations.push_back(d.Label());
  m.cells.reserve(m.sources.size() * destinations.size());
  for (const std::string& from : m.sources) {
    for (const MatrixDestination& d : destinations) {
      MatrixCell cell;
      cell.spec.from = from;
      cell.spec.to = d.to;
      cell.spec.protocol = d.protocol;
      cell.spec.port = d.port;
      const Answer& a = survey.answer(survey.Ask(cell.spec));
      if (!a.error.empty() && !keep_unaskable) survey.Result(cell.spec);  // throws
      cell.error = a.error;
      cell.verdict = a.verdict;
      cell.sources_total = a.sources_total;
      cell.sources_reachable = a.sources_reachable;
      cell.via_proxy = a.via_proxy;
      if (a.blocked) {
        cell.blocked_by = a.blocked->id;
        cell.code = a.blocked->code;
      }
      m.cells.push_back(std::move(cell));
    }
  }
  return m;
}

Matrix BuildMatrix(const Topology& topology, const std::vector<MatrixDestination>& extra,
                   Evaluation mode) {
  Survey survey(std::shared_ptr<const Topology>(std::shared_ptr<const Topology>(), &topology),
                mode);
  return MatrixOf(survey, extra);
}

}  // namespace sim
