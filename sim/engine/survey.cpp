#include "sim/engine/survey.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace sim {
namespace {

std::string KeyOf(const QuerySpec& s) {
  return s.from + '\x1f' + s.to + '\x1f' + std::to_string(s.protocol) + '/' +
         std::to_string(s.port) + '/' + std::to_string(s.icmp_code);
}

}  // namespace

bool Answer::SameVerdict(const Answer& o) const {
  const std::string a = blocked ? blocked->id + ' ' + blocked->code : "",
                    b = o.blocked ? o.blocked->id + ' ' + o.blocked->code : "";
  return std::tie(verdict, sources_total, sources_reachable, via_proxy, error, a) ==
         std::tie(o.verdict, o.sources_total, o.sources_reachable, o.via_proxy, o.error, b);
}

std::string Answer::Describe() const {
  if (!error.empty()) return "not asked: " + error;
  std::string out = VerdictName(verdict);
  if (blocked) out += " (" + blocked->id + ": " + blocked->code + ")";
  return out;
}

QueryResult Answer::AsResult(const QuerySpec& spec) const {
  QueryResult r;
  r.spec = spec;
  r.verdict = verdict;
  r.sources_total = sources_total;
  r.sources_reachable = sources_reachable;
  r.via_proxy = via_proxy;
  r.trace.verdict = verdict;
  if (blocked) r.trace.blocked.push_back(*blocked);
  return r;
}

Survey::Survey(std::shared_ptr<const Topology> topology, Evaluation mode)
    : topology_(std::move(topology)), mode_(mode) {}

Answer Survey::Evaluate(const QuerySpec& spec, std::vector<ComponentRef>& reads) const {
  Answer a;
  ReadLog log;
  try {
    const QueryResult r = sim::Evaluate(*topology_, spec, mode_);
    a.verdict = r.verdict;
    a.sources_total = r.sources_total;
    a.sources_reachable = r.sources_reachable;
    a.via_proxy = r.via_proxy;
    if (!r.trace.blocked.empty()) a.blocked = r.trace.blocked.front();
  } catch (const InputError& e) {
    a.error = e.diagnostics().front().message;
  }
  reads = log.Reads();
  return a;
}

void Survey::Answer1(std::size_t i, std::map<SharedKey, std::size_t>& shared) {
  const QuerySpec& spec = questions_[i];
  std::optional<SharedKey> key;
  if (mode_ == Evaluation::kClasses &&
      (spec.to == "internet" || spec.to.starts_with("service:"))) {
    if (const auto g = topology_->FindGroup(spec.from)) {
      const GroupInfo& info = topology_->groups()[static_cast<std::size_t>(*g)];
      if (info.count == 1)
        key = SharedKey{SourceClassOf(*topology_, info.first_eni), spec.to, spec.protocol,
                        spec.port};
    }
  }
  if (key) {
    const auto [it, inserted] = shared.emplace(*key, i);
    if (!inserted && it->second != i) {
      answers_[i] = answers_[it->second];
      reads_[i] = reads_[it->second];
      return;
    }
  }
  answers_[i] = Evaluate(spec, reads_[i]);
}

std::size_t Survey::Ask(const QuerySpec& spec) {
  const auto [it, inserted] = index_.emplace(KeyOf(spec), questions_.size());
  if (!inserted) return it->second;
  const std::size_t i = questions_.size();
  questions_.push_back(spec);
  answers_.emplace_back();
  reads_.emplace_back();
  Answer1(i, shared_);
  for (ComponentRef ref : reads_[i]) readers_[ref].push_back(static_cast<std::uint32_t>(i));
  return i;
}

QueryResult Survey::Result(const QuerySpec& spec) {
  const Answer& a = answers_[Ask(spec)];
  if (!a.error.empty()) return sim::Evaluate(*topology_, spec, mode_);  // throws the error
  return a.AsResult(spec);
}

Survey::Update Survey::MoveTo(std::shared_ptr<const Topology> next) {
  Update u;
  const auto changed = Topology::ChangedComponents(*topology_, *next);
  topology_ = std::move(next);
  shared_.clear();  // class keys name address atoms, which the edit may have renumbered
  if (changed) {
    u.changed = *changed;
    for (ComponentRef ref : *changed) {
      const auto it = readers_.find(ref);
      if (it != readers_.end()) u.reanswered.insert(u.reanswered.end(), it->second.begin(), it->second.end());
    }
    std::sort(u.reanswered.begin(), u.reanswered.end());
    u.reanswered.erase(std::unique(u.reanswered.begin(), u.reanswered.end()), u.reanswered.end());
  } else {
    u.reshaped = true;
    u.reanswered.resize(questions_.size());
    for (std::size_t i = 0; i < questions_.size(); ++i) u.reanswered[i] = i;
    readers_.clear();
  }
  std::map<SharedKey, std::size_t> shared;
  std::vector<ComponentRef> added;
  for (std::size_t i : u.reanswered) {
    Answer before = std::move(answers_[i]);
    std::vector<ComponentRef> old_reads = u.reshaped ? std::vector<ComponentRef>{} : reads_[i];
    Answer1(i, shared);
    // The question now also reads these: index it under them (stale entries stay, which
    // only costs a spare re-answer later).
    added.clear();
    std::set_difference(reads_[i].begin(), reads_[i].end(), old_reads.begin(), old_reads.end(),
                        std::back_inserter(added));
    for (ComponentRef ref : added) readers_[ref].push_back(static_cast<std::uint32_t>(i));
    if (!answers_[i].SameVerdict(before)) u.differences.emplace_back(i, std::move(before));
  }
  return u;
}

}  // namespace sim
