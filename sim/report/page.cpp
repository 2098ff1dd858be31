#include "sim/report/page.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace sim {
namespace {

std::string Html(const std::string& s) { return XmlEscape(s); }

// Markdown table cells: no pipes or line breaks.
std::string Cell(std::string s) {
  for (char& c : s) {
    if (c == '|') c = '/';
    if (c == '\n') c = ' ';
  }
  return s;
}

std::string Traffic(const QuerySpec& q) {
  if (HasPorts(q.protocol)) return ProtocolName(q.protocol) + "/" + std::to_string(q.port);
  if (q.protocol == proto::kIcmp) return "icmp type " + std::to_string(q.port);
  return ProtocolName(q.protocol);
}

const char* VerdictClass(Verdict v) {
  switch (v) {
    case Verdict::kReachable:
      return "yes";
    case Verdict::kPartial:
      return "partial";
    case Verdict::kUnreachable:
      return "no";
  }
  return "no";
}

const char* VerdictMark(Verdict v) {
  switch (v) {
    case Verdict::kReachable:
      return "yes";
    case Verdict::kPartial:
      return "partial";
    case Verdict::kUnreachable:
      return "NO";
  }
  return "NO";
}

std::string PathText(const std::vector<Hop>& hops) {
  std::string out;
  for (const Hop& h : hops) out += (out.empty() ? "" : " > ") + h.id;
  return out;
}

const char* kStyle = R"(
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1280px; color: #1a202c; line-height: 1.45; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 15px; margin-bottom: 4px; }
.file { color: #718096; font-size: 13px; }
.description { background: #f7fafc; border-left: 4px solid #2b6cb0; padding: 10px 14px; }
.diagram { overflow-x: auto; border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px; background: white; }
.diagram svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #e2e8f0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f7fafc; }
td.yes { background: #c6f6d5; } td.no { background: #fed7d7; } td.partial { background: #fefcbf; }
.failure { border: 1px solid #feb2b2; border-radius: 6px; padding: 8px 12px; margin: 16px 0; background: #fffafa; }
.code { font-family: ui-monospace, Menlo, monospace; font-weight: bold; color: #c53030; }
.fix { color: #276749; } .symptom { color: #744210; }
.pass { color: #276749; font-weight: bold; } .fail { color: #c53030; font-weight: bold; }
.side { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 16px; }
.side > div { border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px; }
.side img { max-width: 100%; }
)";

// Marks the page for the browser test: every SVG must have a non-empty box, and no
// script error may happen.
const char* kProbe = R"(
<script>
window.__vpcsimErrors = 0;
window.addEventListener('error', function () { window.__vpcsimErrors++; document.body.setAttribute('data-errors', window.__vpcsimErrors); });
document.addEventListener('DOMContentLoaded', function () {
  var svgs = document.querySelectorAll('svg'), ok = 0;
  for (var i = 0; i < svgs.length; i++) { var b = svgs[i].getBBox(); if (b.width > 0 && b.height > 0) ok++; }
  document.body.setAttribute('data-svg-rendered', ok + '/' + svgs.length);
  document.body.setAttribute('data-errors', window.__vpcsimErrors);
});
</script>
)";

}  // namespace

std::string InlineSvg(const std::string& svg_document) {
  const std::size_t at = svg_document.find("<svg");
  return at == std::string::npos ? svg_document : svg_document.substr(at);
}

std::vector<Failure> FailuresOf(const ScenarioCheck& check) {
  std::vector<Failure> out;
  for (const ExpectationOutcome& o : check.outcomes) {
    if (o.result.verdict == Verdict::kReachable) continue;
    Failure f;
    f.title = o.expectation.from + " -> " + o.expectation.to + " " + Traffic(o.result.spec);
    f.as_expected = o.pass;
    f.origin = std::string("expectation (") + VerdictName(o.expectation.expect) + "), " +
               (o.pass ? "as expected" : "NOT as expected: " + o.reason);
    f.path = {f.title, o.result.trace.forward, o.result.trace.blocked};
    out.push_back(std::move(f));
  }
  if (check.cluster) {
    // One drawing per source group and blocking component.
    std::map<std::string, std::size_t> seen;
    for (const RequirementOutcome& o : check.cluster->readiness.outcomes) {
      if (o.pass) continue;
      const std::string blocker =
          o.result.trace.blocked.empty()
              ? std::string()
              : o.result.trace.blocked.front().id + " " + o.result.trace.blocked.front().code;
      const std::string key = o.group + "|" + blocker;
      const bool expected = check.cluster->AsExpected(o.requirement->id, false);
      if (const auto it = seen.find(key); it != seen.end()) {
        Failure& f = out[it->second];
        f.title += ", " + o.result.spec.to + " " + Traffic(o.result.spec);
        f.origin += ", " + o.requirement->id;
        continue;
      }
      Failure f;
      f.title = o.group + " -> " + o.result.spec.to + " " + Traffic(o.result.spec);
      f.as_expected = expected;
      f.origin =
          std::string("cluster requirement") +
          (check.cluster->expectation ? (expected ? " (expected to fail)" : " (NOT expected)")
                                      : "") +
          ": " + o.requirement->id;
      f.symptom = o.requirement->symptom;
      f.path = {f.title, o.result.trace.forward, o.result.trace.blocked};
      seen[key] = out.size();
      out.push_back(std::move(f));
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].svg_file = "failure-" + std::to_string(i + 1) + ".svg";
  return out;
}

std::string ReportHtml(const ReportPage& p) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
    << Html(p.name) << " — vpcsim report</title>\n<style>" << kStyle << "</style>\n"
    << kProbe << "</head>\n<body>\n";
  h << "<h1>" << Html(p.name) << "</h1>\n<div class=\"file\">" << Html(p.file) << "</div>\n";
  if (!p.description.empty()) h << "<p class=\"description\">" << Html(p.description) << "</p>\n";
  h << "<h2>The network</h2>\n<div class=\"diagram\">" << InlineSvg(p.diagram_svg) << "</div>\n";
  if (p.check && p.check->cluster) {
    const ClusterCheck& c = *p.check->cluster;
    const Readiness& r = c.readiness;
    h << "<h2>Cluster readiness</h2>\n<p>ParallelCluster " << r.version << ", " << Html(r.scheduler)
      << " (" << Html(r.config) << "): <span class=\"" << (r.ready() ? "pass" : "fail") << "\">"
      << (r.ready() ? "the cluster would come up" : "the cluster would not come up") << "</span>";
    if (c.expectation)
      h << " — "
        << (c.pass ? "as the scenario expects" : "NOT as the scenario expects: " + Html(c.reason));
    h << "</p>\n";
    for (const ValidatorMessage& v : r.validators) {
      h << "<p class=\"fail\">ERROR " << Html(v.message) << " (" << Html(v.validator)
        << ")<br><span class=\"fix\">fix: " << Html(v.fix) << "</span></p>\n";
    }
    h << "<table>\n<tr><th>node group</th><th>needs</th><th>for</th><th>verdict</th><th>stopped "
         "at</th></tr>\n";
    for (const RequirementOutcome& o : r.outcomes) {
      h << "<tr><td>" << Html(o.group) << "</td><td>"
        << Html(o.result.spec.to + " " + Traffic(o.result.spec)) << "</td><td>"
        << Html(o.requirement->what) << "</td><td class=\"" << VerdictClass(o.result.verdict)
        << "\">" << VerdictName(o.result.verdict) << "</td><td>";
      if (!o.result.trace.blocked.empty())
        h << Html(o.result.trace.blocked.front().id) << " <span class=\"code\">"
          << Html(o.result.trace.blocked.front().code) << "</span>";
      h << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  if (p.check && !p.check->outcomes.empty()) {
    h << "<h2>Expectations</h2>\n<table>\n<tr><th></th><th>from</th><th>to</th><th>traffic</"
         "th><th>expected</th><th>verdict</th><th>stopped at</th></tr>\n";
    for (const ExpectationOutcome& o : p.check->outcomes) {
      h << "<tr><td class=\"" << (o.pass ? "pass" : "fail") << "\">" << (o.pass ? "PASS" : "FAIL")
        << "</td><td>" << Html(o.expectation.from) << "</td><td>" << Html(o.expectation.to)
        << "</td><td>" << Traffic(o.result.spec) << "</td><td>" << VerdictName(o.expectation.expect)
        << "</td><td class=\"" << VerdictClass(o.result.verdict) << "\">"
        << VerdictName(o.result.verdict) << "</td><td>";
      if (!o.result.trace.blocked.empty())
        h << Html(o.result.trace.blocked.front().id) << " <span class=\"code\">"
          << Html(o.result.trace.blocked.front().code) << "</span>";
      h << "</td></tr>\n";
    }
    h << "</table>\n";
  }
  if (p.matrix && !p.matrix->sources.empty()) {
    const Matrix& m = *p.matrix;
    h << "<h2>Reachability matrix</h2>\n<table>\n<tr><th>destination</th>";
    for (const auto& s : m.sources) h << "<th>" << Html(s) << "</th>";
    h << "</tr>\n";
    for (std::size_t d = 0; d < m.destinations.size(); ++d) {
      h << "<tr><th>" << Html(m.destinations[d]) << "</th>";
      for (std::size_t s = 0; s < m.sources.size(); ++s) {
        const MatrixCell& c = m.cells[s * m.destinations.size() + d];
        h << "<td class=\"" << VerdictClass(c.verdict) << "\" title=\""
          << Html(c.blocked_by.empty() ? "" : c.blocked_by + " " + c.code) << "\">"
          << VerdictMark(c.verdict) << "</td>";
      }
      h << "</tr>\n";
    }
    h << "</table>\n";
  }
  if (!p.failures.empty()) {
    h << "<h2>Where the packets stop</h2>\n";
    for (const Failure& f : p.failures) {
      h << "<div class=\"failure\">\n<h3>" << Html(f.title) << "</h3>\n<p>" << Html(f.origin)
        << "</p>\n";
      if (!f.path.blocked.empty()) {
        const Block& b = f.path.blocked.front();
        h << "<p>stopped at <b>" << Html(b.id) << "</b> (" << KindName(b.kind) << ", "
          << Html(b.direction) << "): <span class=\"code\">" << Html(b.code) << "</span> "
          << Html(b.detail) << "</p>\n";
        if (!f.symptom.empty())
          h << "<p class=\"symptom\">symptom: " << Html(f.symptom) << "</p>\n";
        h << "<p class=\"fix\">fix: " << Html(b.fix) << "</p>\n";
      }
      h << "<p class=\"file\">path: " << Html(PathText(f.path.hops)) << "</p>\n";
      h << "<div class=\"diagram\">" << InlineSvg(f.svg) << "</div>\n</div>\n";
    }
  }
  if (p.check && !p.check->warnings.empty()) {
    h << "<h2>Warnings</h2>\n<ul>\n";
    for (const Diagnostic& w : p.check->warnings) h << "<li>" << Html(w.ToString()) << "</li>\n";
    h << "</ul>\n";
  }
  h << "<p class=\"file\">Generated by vpcsim report.</p>\n</body>\n</html>\n";
  return h.str();
}

std::string ReportMarkdown(const ReportPage& p) {
  std::ostringstream m;
  m << "# " << p.name << "\n\n`" << p.file << "`\n\n";
  if (!p.description.empty()) m << "> " << p.description << "\n\n";
  m << "## The network\n\n![diagram of " << p.name << "](diagram.svg)\n\n";
  if (p.check && p.check->cluster) {
    const ClusterCheck& c = *p.check->cluster;
    const Readiness& r = c.readiness;
    m << "## Cluster readiness\n\nParallelCluster " << r.version << ", " << r.scheduler << " (`"
      << r.config << "`): **"
      << (r.ready() ? "the cluster would come up" : "the cluster would not come up") << "**";
    if (c.expectation)
      m << " — "
        << (c.pass ? "as the scenario expects" : "NOT as the scenario expects: " + c.reason);
    m << "\n\n";
    for (const ValidatorMessage& v : r.validators)
      m << "- ERROR " << v.message << " (" << v.validator << "); fix: " << v.fix << "\n";
    if (!r.validators.empty()) m << "\n";
    m << "| node group | needs | for | verdict | stopped at |\n|---|---|---|---|---|\n";
    for (const RequirementOutcome& o : r.outcomes) {
      m << "| " << Cell(o.group) << " | " << Cell(o.result.spec.to + " " + Traffic(o.result.spec))
        << " | " << Cell(o.requirement->what) << " | " << VerdictMark(o.result.verdict) << " | ";
      if (!o.result.trace.blocked.empty())
        m << Cell(o.result.trace.blocked.front().id) << " `" << o.result.trace.blocked.front().code
          << "`";
      m << " |\n";
    }
    m << "\n";
  }
  if (p.check && !p.check->outcomes.empty()) {
    m << "## Expectations\n\n|  | from | to | traffic | expected | verdict | stopped at "
         "|\n|---|---|---|---|---|---|---|\n";
    for (const ExpectationOutcome& o : p.check->outcomes) {
      m << "| " << (o.pass ? "PASS" : "FAIL") << " | " << Cell(o.expectation.from) << " | "
        << Cell(o.expectation.to) << " | " << Traffic(o.result.spec) << " | "
        << VerdictName(o.expectation.expect) << " | " << VerdictName(o.result.verdict) << " | ";
      if (!o.result.trace.blocked.empty())
        m << Cell(o.result.trace.blocked.front().id) << " `" << o.result.trace.blocked.front().code
          << "`";
      m << " |\n";
    }
    m << "\n";
  }
  if (p.matrix && !p.matrix->sources.empty()) {
    const Matrix& mx = *p.matrix;
    m << "## Reachability matrix\n\n| destination |";
    for (const auto& s : mx.sources) m << " " << Cell(s) << " |";
    m << "\n|---|";
    for (std::size_t s = 0; s < mx.sources.size(); ++s) m << "---|";
    m << "\n";
    for (std::size_t d = 0; d < mx.destinations.size(); ++d) {
      m << "| " << Cell(mx.destinations[d]) << " |";
      for (std::size_t s = 0; s < mx.sources.size(); ++s)
        m << " " << VerdictMark(mx.cells[s * mx.destinations.size() + d].verdict) << " |";
      m << "\n";
    }
    m << "\n";
  }
  if (!p.failures.empty()) {
    m << "## Where the packets stop\n\n";
    for (const Failure& f : p.failures) {
      m << "### " << f.title << "\n\n" << f.origin << "\n\n";
      if (!f.path.blocked.empty()) {
        const Block& b = f.path.blocked.front();
        m << "- stopped at **" << b.id << "** (" << KindName(b.kind) << ", " << b.direction
          << "): `" << b.code << "` " << b.detail << "\n";
        if (!f.symptom.empty()) m << "- symptom: " << f.symptom << "\n";
        m << "- fix: " << b.fix << "\n";
      }
      m << "- path: " << PathText(f.path.hops) << "\n\n![" << f.title << "](" << f.svg_file
        << ")\n\n";
    }
  }
  if (p.check && !p.check->warnings.empty()) {
    m << "## Warnings\n\n";
    for (const Diagnostic& w : p.check->warnings) m << "- " << w.ToString() << "\n";
    m << "\n";
  }
  return m.str();
}

namespace {

// Documented architectures: "arch-N-..." names; broken forms add "-broken-...".
std::string Family(const std::string& name) {
  const std::size_t broken = name.find("-broken-");
  return broken == std::string::npos ? name : name.substr(0, broken);
}

std::string Status(const IndexEntry& e) {
  std::string s =
      std::to_string(e.expectations) + " expectation" + (e.expectations == 1 ? "" : "s");
  if (e.failures)
    s += ", " + std::to_string(e.failures) + " failing path" + (e.failures == 1 ? "" : "s");
  if (!e.cluster.empty()) s += ", cluster " + e.cluster;
  return s;
}

}  // namespace

std::string IndexHtml(const std::vector<IndexEntry>& entries) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>vpcsim "
       "reports</title>\n<style>"
    << kStyle << "</style>\n</head>\n<body>\n<h1>vpcsim reports</h1>\n"
    << "<p>Each documented architecture in its working form beside its broken forms; every report "
       "shows the "
       "network, its reachability matrix and where each failing path stops.</p>\n";
  std::map<std::string, std::vector<const IndexEntry*>> families;
  std::vector<std::string> order;
  for (const IndexEntry& e : entries) {
    const std::string f = e.dir.substr(0, e.dir.rfind('/') + 1) + Family(e.name);
    if (!families.contains(f)) order.push_back(f);
    families[f].push_back(&e);
  }
  for (const std::string& f : order) {
    const auto& members = families[f];
    h << "<h2>" << Html(f) << "</h2>\n<div class=\"side\">\n";
    for (const IndexEntry* e : members) {
      h << "<div><h3><a href=\"" << Html(e->dir) << "/index.html\">" << Html(e->name)
        << "</a></h3>\n<p>" << Html(e->description) << "</p>\n<p class=\"file\">"
        << Html(Status(*e)) << "</p>\n<a href=\"" << Html(e->dir) << "/index.html\"><img src=\""
        << Html(e->dir) << "/diagram.svg\" alt=\"diagram of " << Html(e->name) << "\"></a></div>\n";
    }
    h << "</div>\n";
  }
  h << "</body>\n</html>\n";
  return h.str();
}

std::string IndexMarkdown(const std::vector<IndexEntry>& entries) {
  std::ostringstream m;
  m << "# vpcsim reports\n\nEach documented architecture in its working form beside its broken "
       "forms. "
       "Regenerate with `./build/sim/vpcsim report scenarios/ -o reports/`.\n\n";
  std::map<std::string, std::vector<const IndexEntry*>> families;
  std::vector<std::string> order;
  for (const IndexEntry& e : entries) {
    const std::string f = e.dir.substr(0, e.dir.rfind('/') + 1) + Family(e.name);
    if (!families.contains(f)) order.push_back(f);
    families[f].push_back(&e);
  }
  for (const std::string& f : order) {
    m << "## " << f << "\n\n| report | what it shows | checks |\n|---|---|---|\n";
    for (const IndexEntry* e : families[f])
      m << "| [" << e->name << "](" << e->dir << "/README.md) | " << Cell(e->description) << " | "
        << Status(*e) << " |\n";
    m << "\n";
  }
  return m.str();
}

}  // namespace sim
