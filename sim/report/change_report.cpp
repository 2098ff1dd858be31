#include "sim/report/change_report.hpp"

#include <sstream>

#include "sim/report/report.hpp"

namespace sim {
namespace {

std::string Side(const std::optional<MatrixCell>& cell) {
  return cell ? DescribeCell(*cell) : "(not in this network)";
}

nlohmann::ordered_json CellJson(const std::optional<MatrixCell>& cell) {
  if (!cell) return nullptr;
  nlohmann::ordered_json j;
  j["verdict"] = VerdictName(cell->verdict);
  j["sources"] = {{"total", cell->sources_total}, {"reachable", cell->sources_reachable}};
  j["blocked_by"] = cell->blocked_by.empty() ? nlohmann::ordered_json() : cell->blocked_by;
  j["code"] = cell->code.empty() ? nlohmann::ordered_json() : cell->code;
  j["via_proxy"] = cell->via_proxy.empty() ? nlohmann::ordered_json() : cell->via_proxy;
  if (!cell->error.empty()) j["error"] = cell->error;
  return j;
}

nlohmann::ordered_json OutcomesJson(const std::vector<OutcomeChange>& list) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const OutcomeChange& o : list) {
    out.push_back(
        {{"id", o.id}, {"description", o.description}, {"before", o.before}, {"after", o.after}});
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string ChangeToText(const ChangeReport& r) {
  std::ostringstream out;
  const Comparison& c = r.comparison;
  out << r.title << " (" << r.network << ")\n";
  out << "  re-evaluated " << r.reevaluated << " of " << r.questions << " questions"
      << (r.reshaped ? " (the change reshapes the network: all of them)" : "");
  if (!r.changed.empty()) out << "; changed: " << Join(r.changed);
  out << "\n";
  if (!r.lost.empty()) out << "  lost node groups: " << Join(r.lost) << "\n";
  for (const std::string& n : r.notes) out << "  note: " << n << "\n";
  out << "verdict changes (" << c.verdicts.size() << ")" << (c.verdicts.empty() ? "" : ":") << "\n";
  for (const VerdictChange& v : c.verdicts) {
    out << "  " << v.source << " -> " << v.destination << ": " << Side(v.before) << " -> "
        << Side(v.after) << "\n";
  }
  out << "broken (" << c.broken.size() << ")" << (c.broken.empty() ? "" : ":") << "\n";
  for (const OutcomeChange& o : c.broken) {
    out << "  " << o.id << ": " << o.description << "\n    "
        << (o.before.empty() ? "(new)" : o.before) << " -> " << o.after << "\n";
  }
  if (!c.fixed.empty()) {
    out << "fixed (" << c.fixed.size() << "):\n";
    for (const OutcomeChange& o : c.fixed) out << "  " << o.id << ": " << o.description << "\n";
  }
  out << "result: "
      << (c.Breaks() ? std::to_string(c.broken.size()) + " expectation(s) or requirement(s) break"
                     : "nothing breaks")
      << "\n";
  return out.str();
}

nlohmann::ordered_json ChangeToJson(const ChangeReport& r) {
  nlohmann::ordered_json j;
  j["title"] = r.title;
  j["network"] = r.network;
  j["reshaped"] = r.reshaped;
  j["questions"] = r.questions;
  j["reevaluated"] = r.reevaluated;
  j["changed_components"] = r.changed;
  j["lost_node_groups"] = r.lost;
  j["notes"] = r.notes;
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const VerdictChange& v : r.comparison.verdicts) {
    changes.push_back({{"source", v.source},
                       {"destination", v.destination},
                       {"before", CellJson(v.before)},
                       {"after", CellJson(v.after)}});
  }
  j["verdict_changes"] = changes;
  j["broken"] = OutcomesJson(r.comparison.broken);
  j["fixed"] = OutcomesJson(r.comparison.fixed);
  return j;
}

std::string ChangesToJunit(const std::vector<ChangeReport>& reports) {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vpcsim\">\n";
  for (const ChangeReport& r : reports) {
    const Comparison& c = r.comparison;
    const std::size_t tests =
        c.unchanged.size() + c.verdicts.size() + c.broken.size() + c.fixed.size();
    out << "  <testsuite name=\"" << XmlEscape(r.title) << "\" tests=\"" << tests
        << "\" failures=\"" << c.verdicts.size() + c.broken.size() << "\">\n";
    auto ok = [&](const std::string& cls, const std::string& name) {
      out << "    <testcase classname=\"" << XmlEscape(cls) << "\" name=\"" << XmlEscape(name)
          << "\"/>\n";
    };
    auto fail = [&](const std::string& cls, const std::string& name, const std::string& msg) {
      out << "    <testcase classname=\"" << XmlEscape(cls) << "\" name=\"" << XmlEscape(name)
          << "\">\n      <failure message=\"" << XmlEscape(msg) << "\"/>\n    </testcase>\n";
    };
    for (const auto& [source, destination] : c.unchanged)
      ok("verdicts", source + " -> " + destination);
    for (const VerdictChange& v : c.verdicts)
      fail("verdicts", v.source + " -> " + v.destination, Side(v.before) + " -> " + Side(v.after));
    for (const OutcomeChange& o : c.broken)
      fail("checks", o.id,
           o.description + ": " + (o.before.empty() ? "(new)" : o.before) + " -> " + o.after);
    for (const OutcomeChange& o : c.fixed) ok("checks", o.id);
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

std::string FailEachToText(const std::string& network, const std::vector<ChangeReport>& rows) {
  std::ostringstream out;
  std::size_t spof = 0;
  for (const ChangeReport& r : rows) spof += r.comparison.Breaks();
  out << "single points of failure in " << network << ": " << spof << " of " << rows.size()
      << " components\n";
  for (bool breaking : {true, false}) {
    for (const ChangeReport& r : rows) {
      if (r.comparison.Breaks() != breaking) continue;
      out << "  " << r.title << ": ";
      if (!breaking) {
        out << "nothing breaks (" << r.comparison.verdicts.size() << " verdict changes)\n";
        continue;
      }
      out << r.comparison.broken.size() << " break, " << r.comparison.verdicts.size()
          << " verdict changes\n";
      for (const OutcomeChange& o : r.comparison.broken)
        out << "    " << o.id << ": " << o.description << " -> " << o.after << "\n";
      if (!r.lost.empty()) out << "    lost node groups: " << Join(r.lost) << "\n";
    }
  }
  return out.str();
}

nlohmann::ordered_json FailEachToJson(const std::string& network,
                                      const std::vector<ChangeReport>& rows) {
  nlohmann::ordered_json j;
  j["network"] = network;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ChangeReport& r : rows) list.push_back(ChangeToJson(r));
  j["failures"] = list;
  return j;
}

}  // namespace sim
