// Reports people look at: per network a self-contained HTML page (styles and SVG
// inline, no network access needed) and a Markdown README with the same content for a
// code host; and an index of all reports that puts each documented architecture's
// working and broken forms side by side. The diagrams are SVG rendered by Graphviz from
// diagram.hpp's DOT text; rendering is the CLI's job, these functions only lay out text.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/check.hpp"
#include "sim/report/diagram.hpp"
#include "sim/report/report.hpp"

namespace sim {

// A failing path worth drawing: a query whose answer is not "reachable", from an
// expectation (expected or not) or a cluster requirement.
struct Failure {
  std::string title;   // "compute -> service:dynamodb tcp/443"
  std::string origin;  // "expectation, as expected", "cluster requirement v3-compute-dynamodb"
  bool as_expected = true;
  std::string symptom;  // cluster requirements: what a launch shows
  DiagramPath path;
  std::string svg_file;  // "failure-1.svg"
  std::string svg;       // rendered
};

// The failures of one network, each drawn once: cluster requirements that fail the same
// way from the same group are one failure.
std::vector<Failure> FailuresOf(const ScenarioCheck& check);

struct ReportPage {
  std::string name;
  std::string file;  // the input
  std::string description;
  const ScenarioCheck* check = nullptr;
  const Matrix* matrix = nullptr;
  std::string diagram_svg;
  std::vector<Failure> failures;
};

std::string ReportHtml(const ReportPage& page);
std::string ReportMarkdown(const ReportPage& page);

struct IndexEntry {
  std::string name;
  std::string dir;  // relative to the index
  std::string description;
  std::size_t expectations = 0, failures = 0;
  std::string cluster;  // "ready", "fails", or ""
};

std::string IndexHtml(const std::vector<IndexEntry>& entries);
std::string IndexMarkdown(const std::vector<IndexEntry>& entries);

// The <svg> element of Graphviz output, without its XML prolog.
std::string InlineSvg(const std::string& svg_document);

}  // namespace sim
