#include "sim/engine/survey.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "sim/core/parallel.hpp"

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

Answer AnswerOf(const QueryResult& r) {
  Answer a;
  a.verdict = r.verdict;
  a.sources_total = r.sources_total;
  a.sources_reachable = r.sources_reachable;
  a.via_proxy = r.via_proxy;
  if (!r.trace.blocked.empty()) {
    const Block& b = r.trace.blocked.front();
    a.blocked = Block{b.id, b.kind, b.code, b.direction, "", "", b.partial};
  }
  return a;
}

std::optional<SharingKey> SharingKeyOf(const Topology& t, const QuerySpec& spec, Evaluation mode) {
  if (mode != Evaluation::kClasses || (spec.to != "internet" && !spec.to.starts_with("service:")))
    return std::nullopt;
  const auto g = t.FindGroup(spec.from);
  if (!g) return std::nullopt;
  const GroupInfo& info = t.groups()[static_cast<std::size_t>(*g)];
  if (info.count != 1) return std::nullopt;
  return SharingKey{SourceClassOf(t, info.first_eni), spec.to, spec.protocol, spec.port};
}

SharingPlan PlanSharing(const Topology& topology, const std::vector<QuerySpec>& specs,
                        const std::vector<std::size_t>& which, Evaluation mode,
                        std::map<SharingKey, std::size_t>& shared) {
  SharingPlan plan;
  for (std::size_t i : which) {
    const auto key = SharingKeyOf(topology, specs[i], mode);
    if (!key) {
      plan.walk.push_back(i);
      continue;
    }
    const auto [it, inserted] = shared.emplace(*key, i);
    if (inserted || it->second == i) {
      plan.walk.push_back(i);
    } else {
      plan.copy.emplace_back(i, it->second);
    }
  }
  return plan;
}

Survey::Survey(std::shared_ptr<const Topology> topology, Evaluation mode)
    : topology_(std::move(topology)), mode_(mode) {}

Answer Survey::Evaluate(const QuerySpec& spec, Reads& reads) const {
  Answer a;
  ReadLog log;
  try {
    a = AnswerOf(sim::Evaluate(*topology_, spec, mode_));
  } catch (const InputError& e) {
    a.error = e.diagnostics().front().message;
  }
  reads.components = log.Reads();
  reads.lookups = log.Lookups();
  return a;
}

void Survey::AnswerAll(const std::vector<std::size_t>& which,
                       std::map<SharingKey, std::size_t>& shared) {
  const SharingPlan plan = PlanSharing(*topology_, questions_, which, mode_, shared);
  std::vector<std::vector<ComponentRef>> before(which.size());
  for (std::size_t k = 0; k < which.size(); ++k) before[k] = std::move(reads_[which[k]].components);
  ParallelFor(plan.walk.size(), [&](std::size_t k) {
    const std::size_t i = plan.walk[k];
    answers_[i] = Evaluate(questions_[i], reads_[i]);
  });
  for (const auto& [i, from] : plan.copy) {
    answers_[i] = answers_[from];
    reads_[i] = reads_[from];
  }
  // Index each question under what it newly reads (stale entries stay, which only costs
  // a spare check later).
  std::vector<ComponentRef> added;
  for (std::size_t k = 0; k < which.size(); ++k) {
    const auto& now = reads_[which[k]].components;
    added.clear();
    std::set_difference(now.begin(), now.end(), before[k].begin(), before[k].end(),
                        std::back_inserter(added));
    for (ComponentRef ref : added) readers_[ref].push_back(static_cast<std::uint32_t>(which[k]));
  }
}

std::vector<std::size_t> Survey::AskAll(const std::vector<QuerySpec>& specs) {
  std::vector<std::size_t> out, fresh;
  out.reserve(specs.size());
  for (const QuerySpec& spec : specs) {
    const auto [it, inserted] = index_.emplace(KeyOf(spec), questions_.size());
    if (inserted) {
      fresh.push_back(questions_.size());
      questions_.push_back(spec);
    }
    out.push_back(it->second);
  }
  answers_.resize(questions_.size());
  reads_.resize(questions_.size());
  AnswerAll(fresh, shared_);
  return out;
}

std::size_t Survey::Ask(const QuerySpec& spec) { return AskAll({spec}).front(); }

QueryResult Survey::Result(const QuerySpec& spec) {
  const Answer& a = answers_[Ask(spec)];
  if (!a.error.empty()) return sim::Evaluate(*topology_, spec, mode_);  // throws the error
  return a.AsResult(spec);
}

// What an edit changed, and whether an answer read any of it. A route lookup is touched
// when the table selects another route for the address atom it stands for, or a changed
// route splits the atom; an ACL or security-group lookup when an entry or rule added,
// removed or altered overlaps the atom and covers the lookup's protocol (ports and ICMP
// types are not compared, which can only re-answer more). Any other read of a changed
// component touches.
class Survey::Delta {
 public:
  Delta(const Topology& before, const Topology& after, std::vector<ComponentRef> changed)
      : before_(before), after_(after), changed_(std::move(changed)) {}

  bool Touches(const Reads& r) {
    for (ComponentRef ref : changed_) {
      if (!std::binary_search(r.components.begin(), r.components.end(), ref)) continue;
      const Kind kind = KindOfRef(ref);
      if (kind != Kind::kRouteTable && kind != Kind::kNetworkAcl && kind != Kind::kSecurityGroup)
        return true;
      for (auto it = std::partition_point(r.lookups.begin(), r.lookups.end(),
                                          [&](const Lookup& l) { return l.component < ref; });
           it != r.lookups.end() && it->component == ref; ++it) {
        if (Touches(*it)) return true;
      }
    }
    return false;
  }

 private:
  static bool ProtocolCovers(int rule, int protocol) {
    return rule == proto::kAll || protocol == proto::kAll || rule == protocol;
  }
  static bool Overlaps(const Cidr& c, const Lookup& l) {
    return c.first() <= l.hi && l.lo <= c.last();
  }

  bool Touches(const Lookup& l) {
    const int index = IndexOfRef(l.component);
    switch (KindOfRef(l.component)) {
      case Kind::kRouteTable: {
        // A changed route that splits the atom may send part of it elsewhere. Otherwise
        // every route, changed or not, covers all of the atom or none of it, so the
        // route selected for one address of it is the route for all of it.
        for (const CompiledRoute* r :
             Changed(routes_, index, false, [&](const Topology& t) { return t.Routes(index); })) {
          const Cidr& c = r->destination;
          if (Overlaps(c, l) && !(c.first() <= l.lo && l.hi <= c.last())) return true;
        }
        const CompiledRoute* a = before_.SelectRoute(index, l.lo);
        const CompiledRoute* b = after_.SelectRoute(index, l.lo);
        return a && b ? !(*a == *b) : a != b;
      }
      case Kind::kNetworkAcl: {
        for (const NaclEntry* e : Changed(acl_entries_, index, l.egress, [&](const Topology& t) {
               const AclInfo& acl = t.acls()[static_cast<std::size_t>(index)];
               return Pointers(l.egress ? acl.egress : acl.ingress);
             })) {
          if (ProtocolCovers(e->protocol, l.protocol) && Overlaps(e->cidr, l)) return true;
        }
        return false;
      }
      default: {
        for (const CompiledSgRule* r : Changed(sg_rules_, index, l.egress, [&](const Topology& t) {
               const SecurityGroupInfo& g = t.security_groups()[static_cast<std::size_t>(index)];
               return Pointers(l.egress ? g.egress : g.ingress);
             })) {
          if (!ProtocolCovers(r->protocol, l.protocol)) continue;
          if (r->peer_kind == PeerKind::kSecurityGroup) return true;
          for (const Cidr& c : r->cidrs) {
            if (Overlaps(c, l)) return true;
          }
        }
        return false;
      }
    }
  }

  template <typename T>
  static std::vector<const T*> Pointers(const std::vector<T>& list) {
    std::vector<const T*> out;
    for (const T& x : list) out.push_back(&x);
    return out;
  }

  static bool Same(const CompiledRoute& x, const CompiledRoute& y) { return x == y; }
  static bool Same(const NaclEntry& x, const NaclEntry& y) { return x.SameRule(y); }
  static bool Same(const CompiledSgRule& x, const CompiledSgRule& y) {
    return std::tie(x.protocol, x.from_port, x.to_port, x.peer_kind, x.cidrs, x.group) ==
           std::tie(y.protocol, y.from_port, y.to_port, y.peer_kind, y.cidrs, y.group);
  }

  // The routes, entries or rules of one component (and direction) that are in one
  // topology and not the other, computed once per component and direction.
  template <typename T, typename ListOf>
  const std::vector<const T*>& Changed(std::map<std::pair<int, bool>, std::vector<const T*>>& memo,
                                       int index, bool egress, ListOf list_of) {
    const auto [it, inserted] = memo.try_emplace({index, egress});
    if (!inserted) return it->second;
    const std::vector<const T*> a = list_of(before_), b = list_of(after_);
    auto missing = [&](const std::vector<const T*>& from, const std::vector<const T*>& in) {
      for (const T* x : from) {
        if (std::none_of(in.begin(), in.end(), [&](const T* y) { return Same(*x, *y); }))
          it->second.push_back(x);
      }
    };
    missing(a, b);
    missing(b, a);
    return it->second;
  }

  const Topology& before_;
  const Topology& after_;
  std::vector<ComponentRef> changed_;
  std::map<std::pair<int, bool>, std::vector<const CompiledRoute*>> routes_;
  std::map<std::pair<int, bool>, std::vector<const NaclEntry*>> acl_entries_;
  std::map<std::pair<int, bool>, std::vector<const CompiledSgRule*>> sg_rules_;
};

Survey::Update Survey::MoveTo(std::shared_ptr<const Topology> next) {
  Update u;
  const auto changed = Topology::ChangedComponents(*topology_, *next);
  if (changed) {
    u.changed = *changed;
    std::vector<std::size_t> candidates;
    for (ComponentRef ref : *changed) {
      const auto it = readers_.find(ref);
      if (it != readers_.end())
        candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    Delta delta(*topology_, *next, *changed);
    for (std::size_t i : candidates) {
      if (delta.Touches(reads_[i])) u.reanswered.push_back(i);
    }
  } else {
    u.reshaped = true;
    u.reanswered.resize(questions_.size());
    for (std::size_t i = 0; i < questions_.size(); ++i) u.reanswered[i] = i;
    readers_.clear();
  }
  topology_ = std::move(next);
  shared_.clear();  // class keys name address atoms, which the edit may have renumbered
  std::vector<Answer> before;
  before.reserve(u.reanswered.size());
  for (std::size_t i : u.reanswered) before.push_back(answers_[i]);
  if (u.reshaped) {
    for (Reads& r : reads_) r = Reads{};  // the index was cleared
  }
  std::map<SharingKey, std::size_t> shared;
  AnswerAll(u.reanswered, shared);
  for (std::size_t k = 0; k < u.reanswered.size(); ++k) {
    const std::size_t i = u.reanswered[k];
    if (!answers_[i].SameVerdict(before[k])) u.differences.emplace_back(i, std::move(before[k]));
  }
  return u;
}

}  // namespace sim
