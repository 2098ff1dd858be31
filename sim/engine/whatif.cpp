#include "sim/engine/whatif.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

namespace sim {

Outlook LookAt(Survey& survey, const std::vector<MatrixDestination>& extra,
               const PclusterConfig* config) {
  Outlook o;
  o.destinations = MatrixDestinations(survey.topology(), extra);
  o.matrix = MatrixOf(survey, o.destinations, /*keep_unaskable=*/true);
  for (const Expectation& e : survey.topology().scenario().expectations) {
    const QuerySpec spec = SpecOf(e);
    const Answer& a = survey.answer(survey.Ask(spec));
    if (a.error.empty()) {
      o.expectations.push_back(Judge(e, a.AsResult(spec)));
    } else {
      ExpectationOutcome out;
      out.expectation = e;
      out.result.spec = spec;
      out.reason = "cannot be asked: " + a.error;
      o.expectations.push_back(std::move(out));
    }
  }
  if (config) {
    o.readiness = EvaluateReadiness(survey.topology(), *config, BuiltInRequirements(),
                                    [&](const QuerySpec& q) { return survey.Result(q); });
  }
  return o;
}

std::string DescribeCell(const MatrixCell& c) {
  if (!c.error.empty()) return "not asked (" + c.error + ")";
  std::string out = VerdictName(c.verdict);
  if (c.verdict == Verdict::kPartial) {
    out += " (" + std::to_string(c.sources_reachable) + " of " + std::to_string(c.sources_total) +
           " sources)";
  }
  if (!c.blocked_by.empty()) out += " at " + c.blocked_by + " (" + c.code + ")";
  if (!c.via_proxy.empty()) out += " via " + c.via_proxy;
  return out;
}

namespace {

// "/expectations/9" before "/expectations/10".
struct NaturalLess {
  bool operator()(const std::string& a, const std::string& b) const {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      if (std::isdigit(static_cast<unsigned char>(a[i])) &&
          std::isdigit(static_cast<unsigned char>(b[j]))) {
        std::size_t ei = i, ej = j;
        while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
        while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
        if (ei - i != ej - j) return ei - i < ej - j;
        if (const int c = a.compare(i, ei - i, b, j, ej - j); c != 0) return c < 0;
        i = ei;
        j = ej;
        continue;
      }
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
    return a.size() - i < b.size() - j;
  }
};

struct Judged {
  std::string id;  // as shown: the expectation's pointer, "requirement ID from GROUP", ...
  std::string description;
  bool pass = false;
  std::string text;  // "holds", or why it fails
};

std::map<std::string, Judged, NaturalLess> Outcomes(const Outlook& o) {
  std::map<std::string, Judged, NaturalLess> out;
  // Expectations pair up by what they say (and their rank among equal ones), so that a
  // patch inserting or removing one does not pair the others with their neighbours.
  std::map<std::string, int> seen;
  for (const ExpectationOutcome& e : o.expectations) {
    const Expectation& x = e.expectation;
    const std::string description = x.from + " -> " + x.to + " " + ProtocolName(x.protocol) +
                                    (HasPorts(x.protocol) ? "/" + std::to_string(x.port) : "") +
                                    " (expected " + VerdictName(x.expect) +
                                    (x.blocked_by.empty() ? "" : " at " + x.blocked_by) +
                                    (x.code.empty() ? "" : " " + x.code) + ")";
    const std::string key =
        "expectation " + description + " #" + std::to_string(seen[description]++);
    out[key] = {x.pointer, description, e.pass, e.pass ? "holds" : e.reason};
  }
  if (o.readiness) {
    for (const RequirementOutcome& r : o.readiness->outcomes) {
      const Requirement& q = *r.requirement;
      std::string why = "holds";
      if (!r.pass) {
        why = VerdictName(r.result.verdict);
        if (!r.result.trace.blocked.empty())
          why += " at " + r.result.trace.blocked.front().id + " (" +
                 r.result.trace.blocked.front().code + ")";
      }
      const std::string id = "requirement " + q.id + " from " + r.group;
      out[id] = {id,
                 r.group + " -> " + q.to + " " + ProtocolName(q.protocol) +
                     (HasPorts(q.protocol) ? "/" + std::to_string(q.port) : "") + ": " + q.what,
                 r.pass, why};
    }
    for (const ValidatorMessage& v : o.readiness->validators)
      out[v.id] = {v.id, v.validator, false, v.message};
  }
  return out;
}

}  // namespace

Comparison Compare(const Outlook& before, const Outlook& after) {
  Comparison c;
  using Key = std::pair<std::string, std::string>;
  std::map<Key, std::pair<std::optional<MatrixCell>, std::optional<MatrixCell>>> cells;
  auto index = [&](const Matrix& m, bool first) {
    for (std::size_t s = 0; s < m.sources.size(); ++s) {
      for (std::size_t d = 0; d < m.destinations.size(); ++d) {
        const MatrixCell& cell = m.cells[s * m.destinations.size() + d];
        auto& slot = cells[{m.sources[s], m.destinations[d]}];
        (first ? slot.first : slot.second) = cell;
      }
    }
  };
  index(before.matrix, true);
  index(after.matrix, false);
  const auto same = [](const MatrixCell& a, const MatrixCell& b) {
    return std::tie(a.verdict, a.sources_total, a.sources_reachable, a.blocked_by, a.code,
                    a.via_proxy, a.error) == std::tie(b.verdict, b.sources_total,
                                                      b.sources_reachable, b.blocked_by, b.code,
                                                      b.via_proxy, b.error);
  };
  for (const auto& [key, pair] : cells) {
    const auto& [a, b] = pair;
    if (a && b && same(*a, *b)) {
      c.unchanged.push_back(key);
      continue;
    }
    c.verdicts.push_back({key.first, key.second, a, b});
  }
  const auto was = Outcomes(before), now = Outcomes(after);
  for (const auto& [key, a] : was) {
    const auto it = now.find(key);
    if (it == now.end()) {
      // Gone: a requirement whose node group was lost no longer holds.
      if (a.pass && key.starts_with("requirement "))
        c.broken.push_back({a.id, a.description, a.text, "its node group is gone"});
      if (!a.pass && key.starts_with("validator:"))
        c.fixed.push_back({a.id, a.description, a.text, ""});
      continue;
    }
    const Judged& b = it->second;
    if (a.pass && !b.pass) c.broken.push_back({b.id, b.description, a.text, b.text});
    if (!a.pass && b.pass) c.fixed.push_back({b.id, b.description, a.text, b.text});
  }
  for (const auto& [key, b] : now) {
    if (!was.count(key) && !b.pass) c.broken.push_back({b.id, b.description, "", b.text});
  }
  const auto by_id = [](const OutcomeChange& x, const OutcomeChange& y) {
    return NaturalLess()(x.id, y.id);
  };
  std::stable_sort(c.broken.begin(), c.broken.end(), by_id);
  std::stable_sort(c.fixed.begin(), c.fixed.end(), by_id);
  return c;
}

}  // namespace sim
