// vpcsim's command line. The only place that reads files, writes files and decides
// exit codes (0 success, 1 an answer the caller should treat as failure, 2 bad input).
// Subcommands follow ../shared/reference/cli-contract.md.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/engine/check.hpp"
#include "sim/engine/query.hpp"
#include "sim/engine/readiness.hpp"
#include "sim/engine/whatif.hpp"
#include "sim/graph/topology.hpp"
#include "sim/load/input.hpp"
#include "sim/load/patch.hpp"
#include "sim/load/scenario_loader.hpp"
#include "sim/model/failure.hpp"
#include "sim/model/generate.hpp"
#include "sim/report/aws_writer.hpp"
#include "sim/report/change_report.hpp"
#include "sim/report/diagram.hpp"
#include "sim/report/page.hpp"
#include "sim/report/report.hpp"
#include "sim/report/scenario_writer.hpp"

namespace fs = std::filesystem;

namespace sim {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFail = 1;
constexpr int kExitBadInput = 2;

// Reads the named files; directories are read recursively for *.json (JSON Schema
// files, *.schema.json, are documentation and are skipped).
std::vector<SourceFile> ReadInputs(const std::vector<std::string>& paths) {
  std::vector<SourceFile> files;
  std::vector<Diagnostic> errors;
  auto read = [&](const fs::path& p, int argument) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      errors.push_back(
          {p.string(), "/", "cannot read the file: " + std::string(std::strerror(errno))});
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({p.string(), text.str(), argument, paths[static_cast<std::size_t>(argument)]});
  };
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const fs::path p(paths[i]);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path& f = it->path();
        if (f.filename().string().starts_with(".")) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        const std::string name = f.filename().string();
        if (it->is_regular_file() && name.ends_with(".json") && !name.ends_with(".schema.json"))
          found.push_back(f);
      }
      if (ec) errors.push_back({p.string(), "/", "cannot read the directory: " + ec.message()});
      std::sort(found.begin(), found.end());
      if (found.empty() && !ec)
        errors.push_back({p.string(), "/", "the directory holds no .json files"});
      for (const auto& f : found) read(f, static_cast<int>(i));
    } else {
      read(p, static_cast<int>(i));
    }
  }
  if (!errors.empty()) throw InputError(errors);
  return files;
}

SourceFile ReadOne(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError(
        Diagnostic{path, "/", "cannot read the file: " + std::string(std::strerror(errno))});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return {path, text.str(), 0, path};
}

// Places a ParallelCluster cluster: the one --pcluster names (into the single network
// of the inputs), or the config a scenario names in its "pcluster" key (a path relative
// to the scenario file).
void PlaceClusters(std::vector<Network>& networks, const std::string& pcluster) {
  if (!pcluster.empty()) {
    if (networks.size() != 1) {
      throw InputError(Diagnostic{pcluster, "/",
                                  "--pcluster places one cluster into one network; the inputs "
                                  "hold " +
                                      std::to_string(networks.size())});
    }
    if (networks.front().scenario.pcluster && networks.front().scenario.pcluster->placed) {
      throw InputError(Diagnostic{networks.front().source, "/pcluster",
                                  "the cluster is already placed in this scenario (it names its "
                                  "config); check it without --pcluster"});
    }
    networks.front().scenario.pcluster.reset();
    AttachPcluster(networks.front(), ReadOne(pcluster));
    return;
  }
  std::vector<Diagnostic> errors;
  for (Network& n : networks) {
    if (!n.scenario.pcluster) continue;
    const fs::path config = fs::path(n.source).parent_path() / n.scenario.pcluster->config;
    try {
      AttachPcluster(n, ReadOne(config.string()));
    } catch (const InputError& e) {
      errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!errors.empty()) throw InputError(errors);
}

// Loads the inputs and places their clusters.
std::vector<Network> Load(const std::vector<std::string>& inputs,
                          const std::string& pcluster = "") {
  std::vector<Network> networks = LoadNetworks(ReadInputs(inputs));
  PlaceClusters(networks, pcluster);
  return networks;
}

// The one network of `inputs`, as read (without its cluster placed).
Network LoadOne(const std::vector<std::string>& inputs, const std::string& command) {
  std::vector<Network> networks = LoadNetworks(ReadInputs(inputs));
  if (networks.size() != 1) {
    throw InputError(Diagnostic{
        inputs.front(), "/",
        command + " works on one network; the input holds " + std::to_string(networks.size())});
  }
  return std::move(networks.front());
}

void PrintWarnings(const Network& n) {
  for (const Diagnostic& w : n.warnings) std::cerr << "warning: " << w.ToString() << "\n";
}

struct QueryOptions {
  std::vector<std::string> inputs;
  std::string pcluster;
  std::string from, to, protocol = "tcp", format = "text";
  int port = 443;
};

int RunQuery(const QueryOptions& o) {
  const auto protocol = ParseProtocol(o.protocol);
  if (!protocol) {
    throw InputError(
        Diagnostic{"vpcsim", "--protocol",
                   "\"" + o.protocol + "\" is not tcp, udp, icmp, all or a protocol number"});
  }
  std::vector<Network> networks = Load(o.inputs, o.pcluster);
  if (networks.size() != 1) {
    throw InputError(Diagnostic{
        o.inputs.front(), "/",
        "query answers about one network; the inputs hold " + std::to_string(networks.size())});
  }
  const Network& n = networks.front();
  PrintWarnings(n);
  const Topology topology = Topology::Build(n.scenario);
  QuerySpec spec;
  spec.from = o.from;
  spec.to = o.to;
  spec.protocol = *protocol;
  spec.port = o.port;
  if (*protocol == proto::kIcmp && o.port == 443)
    spec.port = 8;  // echo request unless a type is given
  const QueryResult r = Evaluate(topology, spec);
  if (o.format == "json") {
    std::cout << QueryToJson(r).dump(2) << "\n";
  } else {
    std::cout << QueryToText(r);
  }
  return r.verdict == Verdict::kReachable ? kExitOk : kExitFail;
}

// A cluster's requirements name destinations for the matrix too.
std::vector<MatrixDestination> ClusterDestinations(const Network& n) {
  std::vector<MatrixDestination> extra;
  if (!n.pcluster) return extra;
  for (const Requirement* r :
       BuiltInRequirements().For(n.pcluster->version, n.pcluster->scheduler.value,
                                 n.pcluster->disable_managed_dns, n.pcluster->directory_service)) {
    if (!ParseIpv4(r->to)) extra.push_back({r->to, r->protocol, r->port});
  }
  return extra;
}

// The expectations and, with a cluster, its readiness (judged against the scenario's
// own expectation unless --pcluster gave the config).
ScenarioCheck CheckNetwork(const Network& n, const Topology& topology, bool pcluster_flag) {
  ScenarioCheck c{n.source,   n.name,      n.scenario.description, CheckExpectations(topology),
                  n.warnings, std::nullopt};
  if (n.pcluster) {
    c.cluster = JudgeReadiness(EvaluateReadiness(topology, *n.pcluster),
                               pcluster_flag ? std::nullopt : n.scenario.pcluster);
  }
  return c;
}

struct CheckOptions {
  std::vector<std::string> inputs;
  std::string pcluster;
  std::string junit, format = "text";
};

int RunCheck(const CheckOptions& o) {
  std::vector<Network> networks = Load(o.inputs, o.pcluster);
  std::vector<ScenarioCheck> checks;
  std::vector<Diagnostic> errors;
  for (const Network& n : networks) {
    try {
      const Topology topology = Topology::Build(n.scenario);
      // With --pcluster the cluster must come up; a scenario's own config says what it
      // expects.
      checks.push_back(CheckNetwork(n, topology, !o.pcluster.empty()));
    } catch (const InputError& e) {
      errors.insert(errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (!errors.empty()) throw InputError(errors);
  if (!o.junit.empty()) {
    std::ofstream out(o.junit, std::ios::binary);
    out << CheckToJunit(checks);
    if (!out)
      throw InputError(Diagnostic{
          o.junit, "/", "cannot write the JUnit report: " + std::string(std::strerror(errno))});
  }
  if (o.format == "json") {
    std::cout << CheckToJson(checks).dump(2) << "\n";
  } else {
    std::cout << CheckToText(checks);
  }
  for (const auto& c : checks) {
    for (const auto& outcome : c.outcomes) {
      if (!outcome.pass) return kExitFail;
    }
    if (c.cluster && !c.cluster->pass) return kExitFail;
  }
  return kExitOk;
}

struct MatrixOptions {
  std::vector<std::string> inputs;
  std::string pcluster;
  std::string format = "text";
};

int RunMatrix(const MatrixOptions& o) {
  std::vector<Network> networks = Load(o.inputs, o.pcluster);
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::ostringstream text;
  bool first = true;
  for (const Network& n : networks) {
    PrintWarnings(n);
    const Topology topology = Topology::Build(n.scenario);
    const Matrix m = BuildMatrix(topology, ClusterDestinations(n));
    if (o.format == "json") {
      all.push_back(MatrixToJson(n.name, m));
    } else if (o.format == "csv") {
      std::string csv = MatrixToCsv(n.name, m);
      if (!first) csv = csv.substr(csv.find('\n') + 1);  // one header
      text << csv;
    } else {
      text << (first ? "" : "\n") << MatrixToText(n.name, m);
    }
    first = false;
  }
  if (o.format == "json") {
    std::cout << (all.size() == 1 ? all[0] : all).dump(2) << "\n";
  } else {
    std::cout << text.str();
  }
  return kExitOk;
}

struct ImportOptions {
  std::vector<std::string> inputs;
  std::string pcluster;
  std::string output;
};

// Writes the scenario equivalent to the input. The file appears only when the whole
// input was read: it is written beside OUT and renamed into place.
int RunImport(const ImportOptions& o) {
  std::vector<Network> networks = Load(o.inputs, o.pcluster);
  // The written scenario holds the placed cluster and names its config (relative to
  // OUT) for the requirements, so `check OUT` reports the cluster's readiness again.
  for (Network& n : networks) {
    if (!n.pcluster) continue;
    ClusterExpectation c = n.scenario.pcluster.value_or(ClusterExpectation{});
    c.config = fs::absolute(n.pcluster->source)
                   .lexically_proximate(fs::absolute(o.output).parent_path())
                   .generic_string();
    c.placed = true;
    c.pointer.clear();
    n.scenario.pcluster = c;
  }
  if (networks.size() != 1) {
    std::string names;
    for (const Network& n : networks) names += (names.empty() ? "" : ", ") + n.name;
    throw InputError(Diagnostic{o.inputs.front(), "/",
                                "import writes one network; the inputs hold " +
                                    std::to_string(networks.size()) + " (" + names +
                                    "): import each Region or account directory on its own"});
  }
  PrintWarnings(networks.front());
  const std::string text = ScenarioToJson(networks.front().scenario).dump(2) + "\n";
  const fs::path out(o.output);
  const fs::path tmp = out.string() + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary);
    file << text;
    if (!file) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw InputError(
          Diagnostic{o.output, "/", "cannot write: " + std::string(std::strerror(errno))});
    }
  }
  std::error_code ec;
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(Diagnostic{o.output, "/", "cannot write: " + ec.message()});
  }
  return kExitOk;
}

void WriteFile(const fs::path& path, const std::string& text);

// ---- whatif and diff ------------------------------------------------------------------

// A network under a survey, moved from one form to the next.
class Session {
 public:
  explicit Session(const Network& base)
      : base_(std::make_shared<const Topology>(Topology::Build(base.scenario))),
        topology_(base_),
        survey_(topology_) {}

  // The topology of another form, sharing what it can with the current one.
  std::shared_ptr<const Topology> Build(const Network& n) const {
    return std::make_shared<const Topology>(Topology::Build(n.scenario, topology_.get()));
  }

  // The outlook of the current form, with the cluster's and `more` destinations.
  Outlook Look(const Network& n, std::vector<MatrixDestination> more = {}) {
    std::vector<MatrixDestination> extra = ClusterDestinations(n);
    extra.insert(extra.end(), more.begin(), more.end());
    return LookAt(survey_, extra, n.pcluster ? &*n.pcluster : nullptr);
  }

  // Moves to `next` (built by Build) and compares its outlook, over the same destinations
  // and its own, with `before`, the outlook of the current form.
  ChangeReport MoveTo(const Network& next, std::shared_ptr<const Topology> topology,
                      const Outlook& before, std::string title) {
    const Survey::Update u = survey_.MoveTo(topology);
    const std::size_t asked = survey_.size();
    const Outlook after = Look(next, before.destinations);
    ChangeReport r;
    r.title = std::move(title);
    r.network = next.name;
    r.comparison = Compare(before, after);
    r.reshaped = u.reshaped;
    r.questions = survey_.size();
    r.reevaluated = u.reanswered.size() + (survey_.size() - asked);
    for (ComponentRef ref : u.changed) r.changed.push_back(topology->IdOf(ref));
    topology_ = std::move(topology);
    return r;
  }
  ChangeReport MoveTo(const Network& next, const Outlook& before, std::string title) {
    return MoveTo(next, Build(next), before, std::move(title));
  }

  // Back to the first form, re-answering only what the last move touched.
  void Return() {
    survey_.MoveTo(base_);
    topology_ = base_;
  }

 private:
  std::shared_ptr<const Topology> base_;      // the first form
  std::shared_ptr<const Topology> topology_;  // the current one
  Survey survey_;
};

// The JSON document a patch applies to: the scenario file as written, or the scenario
// that `vpcsim import` writes for a dump.
Json PatchTarget(const Network& raw, const std::vector<std::string>& inputs) {
  std::error_code ec;
  if (inputs.size() == 1 && !fs::is_directory(inputs.front(), ec)) {
    const SourceFile f = ReadOne(inputs.front());
    DiagnosticSink sink(f.path);
    if (auto doc = ParseJsonText(f.text, sink); doc && LooksLikeScenario(*doc)) return *doc;
  }
  return Json::parse(ScenarioToJson(raw.scenario).dump());
}

Network Patched(const Network& raw, const std::vector<std::string>& inputs,
                const std::string& patch_file, const std::string& pcluster) {
  const SourceFile patch_text = ReadOne(patch_file);
  DiagnosticSink sink(patch_file);
  const auto patch = ParseJsonText(patch_text.text, sink);
  if (!patch) throw InputError(sink.errors());
  const Json edited = ApplyPatch(PatchTarget(raw, inputs), *patch, patch_file);
  // Named after the input, so that a scenario's own "pcluster" config is found beside it.
  const std::string source =
      raw.source + " (patched by " + fs::path(patch_file).filename().string() + ")";
  std::vector<Network> networks = LoadNetworks({{source, edited.dump(2), 0, source}});
  PlaceClusters(networks, pcluster);
  PrintWarnings(networks.front());
  return std::move(networks.front());
}

struct WhatifOptions {
  std::vector<std::string> inputs;
  std::string pcluster, patch, fail, junit, format = "text";
  bool fail_each = false;
};

// Writes the JUnit file (if asked) and prints the text or JSON.
void Emit(const std::vector<ChangeReport>& reports, const std::string& format,
          const std::string& junit, const std::string& text, const nlohmann::ordered_json& json) {
  if (!junit.empty()) WriteFile(junit, ChangesToJunit(reports));
  std::cout << (format == "json" ? json.dump(2) + "\n" : text);
}

int RunWhatif(const WhatifOptions& o) {
  const int modes = !o.patch.empty() + !o.fail.empty() + o.fail_each;
  if (modes != 1) {
    throw InputError(
        Diagnostic{"vpcsim", "whatif", "give exactly one of --patch, --fail and --fail-each"});
  }
  const Network raw = LoadOne(o.inputs, "whatif");
  std::vector<Network> placed{raw};
  PlaceClusters(placed, o.pcluster);
  const Network& base = placed.front();
  PrintWarnings(base);
  Session session(base);
  const Outlook before = session.Look(base);
  std::vector<ChangeReport> reports;
  auto failed = [&](const std::string& id, FailureEffect& effect) {
    Network n = base;
    try {
      effect = ApplyFailure(n.scenario, id);
    } catch (const std::invalid_argument& e) {
      throw InputError(Diagnostic{"vpcsim", "--fail", e.what()});
    }
    return n;
  };
  if (!o.patch.empty()) {
    const Network edited = Patched(raw, o.inputs, o.patch, o.pcluster);
    reports.push_back(session.MoveTo(edited, before, "what if " + o.patch + " is applied"));
  } else {
    const std::vector<std::string> ids =
        o.fail_each ? FailureCandidates(base.scenario) : std::vector<std::string>{o.fail};
    for (const std::string& id : ids) {
      FailureEffect effect;
      const Network n = failed(id, effect);
      ChangeReport r = session.MoveTo(n, before, "what if " + id + " fails (" + effect.kind + ")");
      r.lost = effect.lost;
      r.notes = effect.notes;
      reports.push_back(std::move(r));
      if (o.fail_each) session.Return();  // each failure on its own
    }
  }
  bool breaks = false;
  for (const ChangeReport& r : reports) breaks = breaks || r.comparison.Breaks();
  if (o.fail_each) {
    Emit(reports, o.format, o.junit, FailEachToText(base.name, reports),
         FailEachToJson(base.name, reports));
  } else {
    Emit(reports, o.format, o.junit, ChangeToText(reports.front()), ChangeToJson(reports.front()));
  }
  return breaks ? kExitFail : kExitOk;
}

struct DiffOptions {
  std::string a, b;
  std::string pcluster, junit, format = "text";
};

int RunDiff(const DiffOptions& o) {
  std::vector<Network> a{LoadOne({o.a}, "diff")}, b{LoadOne({o.b}, "diff")};
  PlaceClusters(a, o.pcluster);
  PlaceClusters(b, o.pcluster);
  PrintWarnings(a.front());
  PrintWarnings(b.front());
  // Both networks are asked every destination either names.
  Session session(a.front());
  const auto b_topology = session.Build(b.front());
  const Outlook before =
      session.Look(a.front(), MatrixDestinations(*b_topology, ClusterDestinations(b.front())));
  const ChangeReport r = session.MoveTo(b.front(), b_topology, before, "diff " + o.a + " " + o.b);
  Emit({r}, o.format, o.junit, ChangeToText(r), ChangeToJson(r));
  return r.comparison.verdicts.empty() && r.comparison.broken.empty() ? kExitOk : kExitFail;
}

struct GenerateCliOptions {
  GenerateOptions options;
  std::string format = "scenario";
  std::string output;
};

// Writes a synthetic network: a scenario file, or a directory of describe-* outputs.
int RunGenerate(const GenerateCliOptions& o) {
  Scenario s;
  try {
    s = GenerateNetwork(o.options);
  } catch (const std::invalid_argument& e) {
    throw InputError(Diagnostic{"vpcsim", "generate", e.what()});
  }
  if (o.format == "scenario") {
    WriteFile(o.output, ScenarioToJson(s).dump(1) + "\n");
  } else {
    for (const auto& [name, document] : ScenarioToAwsDump(s))
      WriteFile(fs::path(o.output) / name, document.dump(1) + "\n");
  }
  std::cerr << s.name << ": " << s.vpcs.size() << " VPCs, " << s.subnets.size() << " subnets, "
            << s.node_groups.size() << " node groups\n";
  return kExitOk;
}

struct ReportOptions {
  std::vector<std::string> inputs;
  std::string pcluster;
  std::string output;
};

// Renders DOT text to SVG with Graphviz's dot.
std::string RenderSvg(const std::string& dot) {
  static int counter = 0;
  const fs::path in = fs::temp_directory_path() / ("vpcsim-" + std::to_string(::getpid()) + "-" +
                                                   std::to_string(counter++) + ".dot");
  std::ofstream(in, std::ios::binary) << dot;
  const std::string command = "dot -Tsvg '" + in.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  if (pipe) {
    char buffer[8192];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  }
  const int status = pipe ? ::pclose(pipe) : -1;
  std::error_code ec;
  fs::remove(in, ec);
  if (status != 0 || out.find("<svg") == std::string::npos) {
    throw InputError(
        Diagnostic{"vpcsim", "report",
                   "Graphviz's dot could not draw the diagram (apt-get install graphviz): " +
                       out.substr(0, 300)});
  }
  return out;
}

// The report directory of a network: its path below the INPUT directory it came from,
// without .json ("architectures/arch-1-single-public-subnet"), or its name.
std::string ReportDir(const Network& n, const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) continue;
    const fs::path rel = fs::path(n.source).lexically_relative(input);
    if (rel.empty() || rel.string().starts_with("..")) continue;
    fs::path out = rel;
    if (out.extension() == ".json") out.replace_extension();
    return out.generic_string();
  }
  const std::string stem = fs::path(n.source).stem().string();
  return stem.empty() ? n.name : stem;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::error_code ec;
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out)
    throw InputError(
        Diagnostic{path.string(), "/", "cannot write: " + std::string(std::strerror(errno))});
}

int RunReport(const ReportOptions& o) {
  std::vector<Network> networks = Load(o.inputs, o.pcluster);
  struct Rendered {
    std::string dir;
    std::string html, markdown, diagram;
    std::vector<Failure> failures;
  };
  std::vector<Rendered> pages;
  std::vector<IndexEntry> index;
  // Everything is rendered before anything is written.
  for (const Network& n : networks) {
    PrintWarnings(n);
    const Topology topology = Topology::Build(n.scenario);
    const ScenarioCheck check = CheckNetwork(n, topology, !o.pcluster.empty());
    const Matrix matrix = BuildMatrix(topology, ClusterDestinations(n));
    ReportPage page{n.name,           n.source, n.scenario.description,
                    &check,           &matrix,  RenderSvg(TopologyToDot(topology)),
                    FailuresOf(check)};
    for (Failure& f : page.failures) f.svg = RenderSvg(TopologyToDot(topology, &f.path));
    Rendered r{ReportDir(n, o.inputs), ReportHtml(page), ReportMarkdown(page), page.diagram_svg,
               page.failures};
    index.push_back({n.name, r.dir, n.scenario.description, check.outcomes.size(),
                     page.failures.size(),
                     check.cluster ? (check.cluster->readiness.ready() ? "ready" : "fails") : ""});
    pages.push_back(std::move(r));
  }
  const fs::path root(o.output);
  for (const Rendered& r : pages) {
    WriteFile(root / r.dir / "index.html", r.html);
    WriteFile(root / r.dir / "README.md", r.markdown);
    WriteFile(root / r.dir / "diagram.svg", r.diagram);
    for (const Failure& f : r.failures) WriteFile(root / r.dir / f.svg_file, f.svg);
  }
  WriteFile(root / "index.html", IndexHtml(index));
  WriteFile(root / "README.md", IndexMarkdown(index));
  return kExitOk;
}

}  // namespace
}  // namespace sim

int main(int argc, char** argv) {
  using namespace sim;
  CLI::App app{"vpcsim: offline AWS VPC reachability simulator"};
  app.set_version_flag("--version", "vpcsim 0.1.0");
  app.require_subcommand(1);

  QueryOptions q;
  CLI::App* query = app.add_subcommand(
      "query", "Can SOURCE reach DESTINATION? Exit 0 reachable, 1 not, 2 bad input");
  query->add_option("INPUT", q.inputs, "scenario file, or describe-* outputs of one network")
      ->required();
  query
      ->add_option(
          "--from", q.from,
          "node group, eni-..., i-..., private IPv4 address, internet[:ADDR], SITE[:ADDR], "
          "or a router: vpc-...[:ADDR], subnet-...[:ADDR], vgw-...[:ADDR]")
      ->required();
  query
      ->add_option("--to", q.to,
                   "service:NAME, DNS name, IPv4 address, internet, node group, eni-... or i-...")
      ->required();
  query->add_option("--port", q.port, "destination port (ICMP: type)")->check(CLI::Range(0, 65535));
  query->add_option("--protocol", q.protocol, "tcp, udp, icmp, all or a protocol number");
  query->add_option("--pcluster", q.pcluster,
                    "a ParallelCluster config (v2 INI or v3 YAML) to place into the network");
  query->add_option("--format", q.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  CheckOptions c;
  CLI::App* check = app.add_subcommand(
      "check", "Evaluate every expectation. Exit 0 all hold, 1 some fail, 2 bad input");
  check->add_option("INPUT", c.inputs, "scenario files, describe-* outputs, or directories")
      ->required();
  check->add_option("--junit", c.junit, "also write a JUnit XML report to this file");
  check->add_option("--pcluster", c.pcluster,
                    "a ParallelCluster config (v2 INI or v3 YAML): report the cluster's readiness");
  check->add_option("--format", c.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  MatrixOptions m;
  CLI::App* matrix =
      app.add_subcommand("matrix", "Every source group against every destination the input names");
  matrix->add_option("INPUT", m.inputs, "scenario files, describe-* outputs, or directories")
      ->required();
  matrix->add_option("--pcluster", m.pcluster,
                     "a ParallelCluster config (v2 INI or v3 YAML) to place into the network");
  matrix->add_option("--format", m.format, "text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));

  ImportOptions im;
  CLI::App* import_cmd = app.add_subcommand(
      "import", "Write the scenario equivalent to the input (an AWS describe-* dump)");
  import_cmd->add_option("INPUT", im.inputs, "describe-* output files or directories, or scenarios")
      ->required();
  import_cmd->add_option("-o,--output", im.output, "the scenario file to write")->required();
  import_cmd->add_option("--pcluster", im.pcluster,
                         "a ParallelCluster config to place into the written scenario");

  GenerateCliOptions gen;
  CLI::App* generate = app.add_subcommand(
      "generate", "Write a synthetic network of a given size, reproducible from a seed");
  generate->add_option("--enis", gen.options.enis, "number of ENIs")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{16'000'000}));
  generate->add_option("--subnets", gen.options.subnets, "number of private subnets")
      ->required()
      ->check(CLI::Range(1, 50'000));
  generate->add_option("--services", gen.options.services, "interface endpoints per VPC (0-10)")
      ->check(CLI::Range(0, 10));
  generate->add_option("--seed", gen.options.seed, "random seed");
  generate->add_option("--format", gen.format, "scenario or aws")
      ->check(CLI::IsMember({"scenario", "aws"}));
  generate->add_option("-o,--output", gen.output, "the scenario file, or the dump directory")
      ->required();

  ReportOptions rep;
  CLI::App* report = app.add_subcommand(
      "report", "Write an HTML and Markdown report with diagrams per input into a directory");
  report->add_option("INPUT", rep.inputs, "scenario files, describe-* outputs, or directories")
      ->required();
  report->add_option("--pcluster", rep.pcluster, "a ParallelCluster config to place");
  report->add_option("-o,--output", rep.output, "the directory to write")->required();

  WhatifOptions w;
  CLI::App* whatif = app.add_subcommand(
      "whatif",
      "Which verdicts change when the network is edited or a component fails. Exit 0 nothing "
      "breaks, 1 an expectation or cluster requirement breaks, 2 bad input");
  whatif->add_option("INPUT", w.inputs, "scenario file, or describe-* outputs of one network")
      ->required();
  whatif->add_option("--patch", w.patch,
                     "a JSON Patch (RFC 6902) or JSON Merge Patch (RFC 7396) of the scenario "
                     "(for a dump: of the scenario `vpcsim import` writes)");
  whatif->add_option("--fail", w.fail,
                     "a NAT gateway, VPC endpoint, internet or virtual private gateway, peering "
                     "connection, on-premises site, subnet, or az:NAME that fails");
  whatif->add_flag("--fail-each", w.fail_each,
                   "fail each of those components in turn: the single points of failure");
  whatif->add_option("--pcluster", w.pcluster, "a ParallelCluster config to place");
  whatif->add_option("--junit", w.junit, "also write a JUnit XML report to this file");
  whatif->add_option("--format", w.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  DiffOptions df;
  CLI::App* diff = app.add_subcommand(
      "diff", "The verdict changes between two networks. Exit 0 none, 1 some, 2 bad input");
  diff->add_option("INPUT_A", df.a, "scenario file, or a directory of describe-* outputs")
      ->required();
  diff->add_option("INPUT_B", df.b, "scenario file, or a directory of describe-* outputs")
      ->required();
  diff->add_option("--pcluster", df.pcluster, "a ParallelCluster config to place into both");
  diff->add_option("--junit", df.junit, "also write a JUnit XML report to this file");
  diff->add_option("--format", df.format, "text or json")->check(CLI::IsMember({"text", "json"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors are bad input too
  }
  try {
    if (*query) return RunQuery(q);
    if (*check) return RunCheck(c);
    if (*matrix) return RunMatrix(m);
    if (*import_cmd) return RunImport(im);
    if (*report) return RunReport(rep);
    if (*generate) return RunGenerate(gen);
    if (*whatif) return RunWhatif(w);
    if (*diff) return RunDiff(df);
  } catch (const InputError& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << d.ToString() << "\n";
    return 2;
  }
  return 2;
}
