#include "sim/report/report.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace sim {
namespace {

std::string TrafficLabel(const QuerySpec& spec) {
  if (HasPorts(spec.protocol)) return ProtocolName(spec.protocol) + "/" + std::to_string(spec.port);
  if (spec.protocol == proto::kIcmp) return "icmp type " + std::to_string(spec.port);
  return ProtocolName(spec.protocol);
}

std::string Pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void AppendHops(std::ostringstream& out, const std::vector<Hop>& hops) {
  int n = 0;
  for (const Hop& h : hops) {
    char num[16];
    std::snprintf(num, sizeof num, "%3d  ", ++n);
    out << num << Pad(h.id, 30) << Pad(KindName(h.kind), 24) << h.detail << "\n";
  }
}

}  // namespace

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 has no control characters but tab, newline and carriage return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        } else {
          out += c;
        }
    }
  }
  return out;
}

nlohmann::ordered_json HopToJson(const Hop& hop) {
  nlohmann::ordered_json j = {{"id", hop.id}, {"kind", KindName(hop.kind)}};
  if (hop.kind == Kind::kRouteTable && !hop.route.empty()) j["route"] = hop.route;
  if (!hop.direction.empty()) j["direction"] = hop.direction;
  if (!hop.detail.empty()) j["detail"] = hop.detail;
  return j;
}

nlohmann::ordered_json BlockToJson(const Block& block) {
  nlohmann::ordered_json j = {{"id", block.id},         {"kind", KindName(block.kind)},
                              {"code", block.code},     {"direction", block.direction},
                              {"detail", block.detail}, {"fix", block.fix}};
  if (block.partial) j["partial"] = true;
  return j;
}

nlohmann::ordered_json QueryToJson(const QueryResult& r) {
  nlohmann::ordered_json j;
  j["from"] = r.spec.from;
  j["to"] = r.spec.to;
  j["protocol"] = ProtocolName(r.spec.protocol);
  j["port"] = r.spec.port;
  j["verdict"] = VerdictName(r.verdict);
  j["reachable"] = r.verdict == Verdict::kReachable;
  j["sources"] = {{"total", r.sources_total}, {"reachable", r.sources_reachable}};
  j["via_proxy"] =
      r.via_proxy.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.via_proxy);
  j["path"] = nlohmann::ordered_json::array();
  for (const Hop& h : r.trace.forward) j["path"].push_back(HopToJson(h));
  j["return_path"] = nlohmann::ordered_json::array();
  for (const Hop& h : r.trace.ret) j["return_path"].push_back(HopToJson(h));
  j["blocked"] = nlohmann::ordered_json::array();
  for (const Block& b : r.trace.blocked) j["blocked"].push_back(BlockToJson(b));
  j["source"] = r.source_id;
  j["destination"] = r.destination;
  if (!r.dns.name.empty()) {
    nlohmann::ordered_json addresses = nlohmann::ordered_json::array();
    for (Ipv4 a : r.dns.addresses) addresses.push_back(FormatIpv4(a));
    j["dns"] = {{"name", r.dns.name},
                {"resolver", r.dns.resolver},
                {"addresses", addresses},
                {"resolved", r.dns.resolved},
                {"note", r.dns.note}};
  }
  if (r.trace.forward_ok && r.trace.return_ok) {
    j["return_ports"] = {{"surviving_fraction", r.trace.return_fraction},
                         {"note", r.trace.return_note}};
  }
  return j;
}

std::string QueryToText(const QueryResult& r) {
  std::ostringstream out;
  out << "query: " << r.spec.from << " -> " << r.spec.to << " (" << TrafficLabel(r.spec) << ")\n";
  out << "destination: " << r.destination << "\n";
  if (!r.source_id.empty()) {
    out << "source: " << r.source_id << " (representative of " << r.sources_total << " source"
        << (r.sources_total == 1 ? "" : "s") << ")\n";
  }
  if (!r.via_proxy.empty()) out << "via proxy: " << r.via_proxy << "\n";
  out << "\nforward path:\n";
  AppendHops(out, r.trace.forward);
  out << "\nreturn path:\n";
  if (r.trace.ret.empty()) {
    out << "  (not evaluated: the request does not arrive)\n";
  } else {
    AppendHops(out, r.trace.ret);
  }
  if (!r.trace.blocked.empty()) {
    out << "\nblocked:\n";
    for (const Block& b : r.trace.blocked) {
      out << "  " << b.id << " (" << KindName(b.kind) << ") " << b.code << " [" << b.direction
          << "]: " << b.detail << "\n";
    }
  }
  out << "\nverdict: " << VerdictName(r.verdict) << " (" << r.sources_reachable << " of "
      << r.sources_total << " source" << (r.sources_total == 1 ? "" : "s") << " reach"
      << (r.verdict == Verdict::kPartial ? " on every port and address" : "") << ")\n";
  if (!r.trace.return_note.empty()) out << "ports: " << r.trace.return_note << "\n";
  if (!r.trace.blocked.empty()) out << "fix: " << r.trace.blocked.front().fix << "\n";
  return out.str();
}

std::string ReadinessToText(const ClusterCheck& check, const std::string& indent) {
  const Readiness& r = check.readiness;
  std::ostringstream out;
  out << indent << "cluster readiness: ParallelCluster " << r.version << ", " << r.scheduler << " ("
      << r.config << ")\n";
  if (!r.validators.empty()) {
    out << indent << "  ParallelCluster's validators and CloudFormation would say:\n";
    for (const ValidatorMessage& v : r.validators) {
      out << indent << "    ERROR " << v.message << " (" << v.validator << ")"
          << (check.expectation && !check.AsExpected(v.id, false) ? "   <- not as expected" : "")
          << "\n";
      out << indent << "          fix: " << v.fix << "\n";
    }
  }
  std::size_t role_width = 10, what_width = 12;
  for (const RequirementOutcome& o : r.outcomes) {
    role_width = std::max(role_width, o.group.size() + 2);
    const std::string what = o.result.spec.to + " " + TrafficLabel(o.result.spec);
    what_width = std::max(what_width, what.size() + 2);
  }
  out << indent << "  " << Pad("role", role_width) << Pad("needs", what_width) << "verdict\n";
  for (const RequirementOutcome& o : r.outcomes) {
    out << indent << "  " << Pad(o.group, role_width)
        << Pad(o.result.spec.to + " " + TrafficLabel(o.result.spec), what_width)
        << VerdictName(o.result.verdict);
    if (!o.pass && !o.result.trace.blocked.empty())
      out << " at " << o.result.trace.blocked.front().id << " ("
          << o.result.trace.blocked.front().code << ")";
    if (check.expectation && !check.AsExpected(o.requirement->id, o.pass))
      out << "   <- not as expected";
    out << "\n";
  }
  bool header = false;
  for (const RequirementOutcome& o : r.outcomes) {
    if (o.pass) continue;
    if (!header) out << indent << "  failures:\n";
    header = true;
    const Requirement& q = *o.requirement;
    out << indent << "    " << o.group << " -> " << o.result.spec.to << " "
        << TrafficLabel(o.result.spec) << " [" << q.id << "]: " << VerdictName(o.result.verdict)
        << "\n";
    out << indent << "      needed for: " << q.what << "\n";
    std::string path;
    for (const Hop& h : o.result.trace.forward) path += (path.empty() ? "" : " > ") + h.id;
    if (!path.empty()) out << indent << "      path: " << path << "\n";
    if (!o.result.trace.blocked.empty()) {
      const Block& b = o.result.trace.blocked.front();
      out << indent << "      blocked: " << b.id << " (" << KindName(b.kind) << ") " << b.code
          << " [" << b.direction << "]: " << b.detail << "\n";
      out << indent << "      symptom: " << q.symptom << "\n";
      out << indent << "      fix: " << b.fix << "\n";
    } else {
      out << indent << "      symptom: " << q.symptom << "\n";
    }
  }
  const std::size_t total = r.outcomes.size() + r.validators.size();
  out << indent << "  verdict: "
      << (r.ready() ? "the cluster would come up" : "the cluster would not come up") << " ("
      << r.failures() << " of " << total << " requirement" << (total == 1 ? "" : "s") << " fail)\n";
  if (check.expectation) {
    out << indent << "  expected: "
        << (check.expectation->ready
                ? std::string("ready")
                : "fails (" + std::to_string(check.expectation->failing.size()) + " listed)")
        << " -> " << (check.pass ? "as expected" : "NOT as expected: " + check.reason) << "\n";
  }
  return out.str();
}

nlohmann::ordered_json ReadinessToJson(const ClusterCheck& check) {
  const Readiness& r = check.readiness;
  nlohmann::ordered_json j = {{"config", r.config},
                              {"version", r.version},
                              {"scheduler", r.scheduler},
                              {"ready", r.ready()},
                              {"pass", check.pass}};
  if (!check.reason.empty()) j["reason"] = check.reason;
  j["validators"] = nlohmann::ordered_json::array();
  for (const ValidatorMessage& v : r.validators) {
    j["validators"].push_back(
        {{"id", v.id}, {"validator", v.validator}, {"message", v.message}, {"fix", v.fix}});
  }
  j["requirements"] = nlohmann::ordered_json::array();
  for (const RequirementOutcome& o : r.outcomes) {
    const Requirement& q = *o.requirement;
    nlohmann::ordered_json e = {{"id", q.id},
                                {"role", q.role},
                                {"from", o.group},
                                {"what", q.what},
                                {"to", o.result.spec.to},
                                {"protocol", ProtocolName(o.result.spec.protocol)},
                                {"port", o.result.spec.port},
                                {"verdict", VerdictName(o.result.verdict)},
                                {"pass", o.pass},
                                {"as_expected", check.AsExpected(q.id, o.pass)}};
    if (!o.pass) {
      e["symptom"] = q.symptom;
      if (!o.result.trace.blocked.empty()) e["fix"] = o.result.trace.blocked.front().fix;
      e["result"] = QueryToJson(o.result);
    }
    e["source"] = q.source;
    j["requirements"].push_back(e);
  }
  j["failing"] = FailingIds(r);
  if (check.expectation) {
    j["expected"] = {{"ready", check.expectation->ready}, {"failing", check.expectation->failing}};
  }
  return j;
}

std::string CheckToText(const std::vector<ScenarioCheck>& checks) {
  std::ostringstream out;
  int total = 0, failed = 0, clusters = 0, clusters_failed = 0;
  for (const ScenarioCheck& c : checks) {
    out << c.file << " (" << c.name << ")\n";
    for (const Diagnostic& w : c.warnings) out << "  warning: " << w.ToString() << "\n";
    for (const ExpectationOutcome& o : c.outcomes) {
      ++total;
      const Expectation& e = o.expectation;
      const QueryResult& r = o.result;
      out << "  " << (o.pass ? "PASS" : "FAIL") << "  " << e.from << " -> " << e.to << " "
          << TrafficLabel(r.spec) << ": " << VerdictName(r.verdict);
      if (!r.trace.blocked.empty())
        out << " at " << r.trace.blocked.front().id << " (" << r.trace.blocked.front().code << ")";
      out << "\n";
      if (!o.pass) {
        ++failed;
        out << "        " << o.reason << "\n";
        if (!r.trace.blocked.empty()) {
          out << "        " << r.trace.blocked.front().detail << "\n";
          out << "        fix: " << r.trace.blocked.front().fix << "\n";
        }
      }
    }
    if (c.cluster) {
      ++clusters;
      if (!c.cluster->pass) ++clusters_failed;
      out << "  " << (c.cluster->pass ? "PASS" : "FAIL") << "  ";
      out << ReadinessToText(*c.cluster, "  ").substr(2);
    }
  }
  out << "\n"
      << total << " expectation" << (total == 1 ? "" : "s") << " in " << checks.size() << " input"
      << (checks.size() == 1 ? "" : "s") << ": " << (total - failed) << " hold, " << failed
      << " fail";
  if (clusters > 0) {
    out << "; " << clusters << " cluster check" << (clusters == 1 ? "" : "s") << ": "
        << (clusters - clusters_failed) << " as expected, " << clusters_failed << " not";
  }
  out << "\n";
  return out.str();
}

nlohmann::ordered_json CheckToJson(const std::vector<ScenarioCheck>& checks) {
  nlohmann::ordered_json j;
  j["inputs"] = nlohmann::ordered_json::array();
  int total = 0, failed = 0, clusters = 0, clusters_failed = 0;
  for (const ScenarioCheck& c : checks) {
    nlohmann::ordered_json s = {{"file", c.file}, {"name", c.name}, {"description", c.description}};
    s["warnings"] = nlohmann::ordered_json::array();
    for (const Diagnostic& w : c.warnings) s["warnings"].push_back(w.ToString());
    s["expectations"] = nlohmann::ordered_json::array();
    for (const ExpectationOutcome& o : c.outcomes) {
      ++total;
      if (!o.pass) ++failed;
      nlohmann::ordered_json e = {{"from", o.expectation.from},
                                  {"to", o.expectation.to},
                                  {"protocol", ProtocolName(o.expectation.protocol)},
                                  {"port", o.expectation.port},
                                  {"expect", VerdictName(o.expectation.expect)},
                                  {"verdict", VerdictName(o.result.verdict)},
                                  {"pass", o.pass},
                                  {"reason", o.reason},
                                  {"location", o.expectation.pointer},
                                  {"result", QueryToJson(o.result)}};
      if (!o.expectation.blocked_by.empty()) e["expect_blocked_by"] = o.expectation.blocked_by;
      if (!o.expectation.code.empty()) e["expect_code"] = o.expectation.code;
      if (!o.expectation.description.empty()) e["description"] = o.expectation.description;
      s["expectations"].push_back(e);
    }
    if (c.cluster) {
      ++clusters;
      if (!c.cluster->pass) ++clusters_failed;
      s["cluster"] = ReadinessToJson(*c.cluster);
    }
    j["inputs"].push_back(s);
  }
  j["summary"] = {{"inputs", checks.size()},    {"expectations", total},
                  {"failed", failed},           {"passed", total - failed},
                  {"cluster_checks", clusters}, {"cluster_checks_failed", clusters_failed}};
  return j;
}

std::string CheckToJunit(const std::vector<ScenarioCheck>& checks) {
  struct Case {
    std::string name;
    bool pass;
    std::string message;
    std::string body;
  };
  std::vector<std::pair<const ScenarioCheck*, std::vector<Case>>> suites;
  int total = 0, failed = 0;
  for (const ScenarioCheck& c : checks) {
    std::vector<Case> cases;
    for (const ExpectationOutcome& o : c.outcomes) {
      const Expectation& e = o.expectation;
      cases.push_back({e.from + " -> " + e.to + " " + TrafficLabel(o.result.spec) + " is " +
                           VerdictName(e.expect),
                       o.pass, o.reason, o.pass ? "" : QueryToText(o.result)});
    }
    if (c.cluster) {
      // One case per cluster requirement and validator, so CI shows what breaks a launch.
      for (const ValidatorMessage& v : c.cluster->readiness.validators) {
        const bool ok = c.cluster->AsExpected(v.id, false);
        cases.push_back({"ParallelCluster validator: " + v.message, ok, v.message, v.fix});
      }
      for (const RequirementOutcome& o : c.cluster->readiness.outcomes) {
        const bool ok = c.cluster->AsExpected(o.requirement->id, o.pass);
        cases.push_back(
            {o.group + " needs " + o.result.spec.to + " " + TrafficLabel(o.result.spec) + " (" +
                 o.requirement->id + ")",
             ok,
             o.pass ? "reachable, but expected to fail"
                    : std::string(VerdictName(o.result.verdict)) + ": " + o.requirement->symptom,
             ok ? "" : QueryToText(o.result)});
      }
    }
    for (const Case& k : cases) {
      ++total;
      if (!k.pass) ++failed;
    }
    suites.push_back({&c, std::move(cases)});
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"vpcsim\" tests=\"" << total << "\" failures=\"" << failed << "\">\n";
  for (const auto& [c, cases] : suites) {
    const auto f = std::count_if(cases.begin(), cases.end(), [](const Case& k) { return !k.pass; });
    out << "  <testsuite name=\"" << XmlEscape(c->name) << "\" file=\"" << XmlEscape(c->file)
        << "\" tests=\"" << cases.size() << "\" failures=\"" << f << "\">\n";
    for (const Case& k : cases) {
      out << "    <testcase classname=\"" << XmlEscape(c->name) << "\" name=\"" << XmlEscape(k.name)
          << "\"";
      if (k.pass) {
        out << "/>\n";
        continue;
      }
      out << ">\n      <failure message=\"" << XmlEscape(k.message) << "\">" << XmlEscape(k.body)
          << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

std::string MatrixToText(const std::string& name, const Matrix& m) {
  std::ostringstream out;
  out << "matrix: " << name << "\n";
  std::size_t width = 12;
  for (const auto& s : m.sources) width = std::max(width, s.size() + 2);
  std::size_t dest_width = 10;
  for (const auto& d : m.destinations) dest_width = std::max(dest_width, d.size() + 2);
  out << Pad("destination", dest_width);
  for (const auto& s : m.sources) out << Pad(s, width);
  out << "\n";
  for (std::size_t d = 0; d < m.destinations.size(); ++d) {
    out << Pad(m.destinations[d], dest_width);
    for (std::size_t s = 0; s < m.sources.size(); ++s) {
      const MatrixCell& c = m.cells[s * m.destinations.size() + d];
      std::string cell = c.verdict == Verdict::kReachable ? "yes"
                         : c.verdict == Verdict::kPartial ? "partial"
                                                          : "no";
      out << Pad(cell, width);
    }
    out << "\n";
  }
  return out.str();
}

nlohmann::ordered_json MatrixToJson(const std::string& name, const Matrix& m) {
  nlohmann::ordered_json j = {
      {"input", name}, {"sources", m.sources}, {"destinations", m.destinations}};
  j["cells"] = nlohmann::ordered_json::array();
  for (const MatrixCell& c : m.cells) {
    nlohmann::ordered_json cell = {
        {"from", c.spec.from},
        {"to", c.spec.to},
        {"protocol", ProtocolName(c.spec.protocol)},
        {"port", c.spec.port},
        {"verdict", VerdictName(c.verdict)},
        {"sources", {{"total", c.sources_total}, {"reachable", c.sources_reachable}}}};
    cell["blocked_by"] = c.blocked_by.empty() ? nlohmann::ordered_json(nullptr)
                                              : nlohmann::ordered_json(c.blocked_by);
    cell["code"] =
        c.code.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.code);
    cell["via_proxy"] =
        c.via_proxy.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.via_proxy);
    j["cells"].push_back(cell);
  }
  return j;
}

std::string MatrixToCsv(const std::string& name, const Matrix& m) {
  std::ostringstream out;
  out << "input,from,to,protocol,port,verdict,reachable_sources,total_sources,blocked_by,code,via_"
         "proxy\n";
  for (const MatrixCell& c : m.cells) {
    out << CsvField(name) << "," << CsvField(c.spec.from) << "," << CsvField(c.spec.to) << ","
        << ProtocolName(c.spec.protocol) << "," << c.spec.port << "," << VerdictName(c.verdict)
        << "," << c.sources_reachable << "," << c.sources_total << "," << CsvField(c.blocked_by)
        << "," << c.code << "," << CsvField(c.via_proxy) << "\n";
  }
  return out.str();
}

}  // namespace sim
