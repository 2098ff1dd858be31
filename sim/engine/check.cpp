#include "sim/engine/check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sim/core/parallel.hpp"

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

QuerySpec SpecOf(const Expectation& e) {
  QuerySpec spec;
  spec.from = e.from;
  spec.to = e.to;
  spec.protocol = e.protocol;
  spec.port = e.port;
  spec.from_location = PointerAppend(e.pointer, "from");
  spec.to_location = PointerAppend(e.pointer, "to");
  return spec;
}

std::vector<ExpectationOutcome> CheckExpectations(const Topology& topology, const Asker& ask) {
  std::vector<ExpectationOutcome> out;
  for (const Expectation& e : topology.scenario().expectations) {
    const QuerySpec spec = SpecOf(e);
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

namespace {

// Every node group (sorted) against every destination; the cells' verdicts unset.
Matrix Layout(const Topology& topology, const std::vector<MatrixDestination>& destinations) {
  Matrix m;
  for (const GroupInfo& g : topology.groups()) m.sources.push_back(g.name);
  std::sort(m.sources.begin(), m.sources.end());
  for (const auto& d : destinations) m.destinations.push_back(d.Label());
  m.cells.reserve(m.sources.size() * destinations.size());
  for (const std::string& from : m.sources) {
    for (const MatrixDestination& d : destinations) {
      MatrixCell cell;
      cell.spec.from = from;
      cell.spec.to = d.to;
      cell.spec.protocol = d.protocol;
      cell.spec.port = d.port;
      m.cells.push_back(std::move(cell));
    }
  }
  return m;
}

void Fill(MatrixCell& cell, const Answer& a) {
  cell.verdict = a.verdict;
  cell.sources_total = a.sources_total;
  cell.sources_reachable = a.sources_reachable;
  cell.via_proxy = a.via_proxy;
  cell.error = a.error;
  if (a.blocked) {
    cell.blocked_by = a.blocked->id;
    cell.code = a.blocked->code;
  }
}

}  // namespace

Matrix MatrixOf(Survey& survey, const std::vector<MatrixDestination>& extra, bool keep_unaskable) {
  Matrix m = Layout(survey.topology(), MatrixDestinations(survey.topology(), extra));
  std::vector<QuerySpec> specs;
  specs.reserve(m.cells.size());
  for (const MatrixCell& c : m.cells) specs.push_back(c.spec);
  const std::vector<std::size_t> asked = survey.AskAll(specs);
  for (std::size_t i = 0; i < m.cells.size(); ++i) {
    const Answer& a = survey.answer(asked[i]);
    if (!a.error.empty() && !keep_unaskable) survey.Result(m.cells[i].spec);  // throws
    Fill(m.cells[i], a);
  }
  return m;
}

// As MatrixOf, without keeping the answers: the classes' walks run on every core.
Matrix BuildMatrix(const Topology& topology, const std::vector<MatrixDestination>& extra,
                   Evaluation mode) {
  Matrix m = Layout(topology, MatrixDestinations(topology, extra));
  std::vector<QuerySpec> specs;
  specs.reserve(m.cells.size());
  for (const MatrixCell& c : m.cells) specs.push_back(c.spec);
  std::vector<std::size_t> all(specs.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  std::map<SharingKey, std::size_t> shared;
  const SharingPlan plan = PlanSharing(topology, specs, all, mode, shared);
  std::vector<Answer> answers(specs.size());
  ParallelFor(plan.walk.size(), [&](std::size_t k) {
    answers[plan.walk[k]] = AnswerOf(Evaluate(topology, specs[plan.walk[k]], mode));
  });
  for (const auto& [i, from] : plan.copy) answers[i] = answers[from];
  for (std::size_t i = 0; i < m.cells.size(); ++i) Fill(m.cells[i], answers[i]);
  return m;
}

}  // namespace sim
