// A survey: questions about one network, answered once and kept answered while the
// network is edited. Each answer remembers the components its walks read (ReadLog);
// moving the survey to an edited network re-answers only the questions that read a
// component the edit changed (Topology::ChangedComponents), or every question when the
// edit changed the network's shape. The matrix, what-if and diff all ask through it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sim/engine/query.hpp"

namespace sim {

// What a verdict comparison needs of an answer (the blocking component without its
// detail and fix, which only a full QueryResult carries).
struct Answer {
  Verdict verdict = Verdict::kUnreachable;
  std::int64_t sources_total = 0;
  std::int64_t sources_reachable = 0;
  std::string via_proxy;
  std::optional<Block> blocked;  // where the packet is dropped
  std::string error;             // the question cannot be asked of this network (why)
  // Same verdict, source counts, proxy, error and first blocking component and code
  // (the details name representative addresses, which may differ).
  bool SameVerdict(const Answer& other) const;
  // "reachable", "unreachable (rtb-1: NO_ROUTE_TO_DESTINATION)", "not asked: ..."
  std::string Describe() const;
  // As a QueryResult without hops (for Judge and readiness).
  QueryResult AsResult(const QuerySpec& spec) const;
};

// The answer part of a QueryResult.
Answer AnswerOf(const QueryResult& result);

// Questions from a one-ENI node group to a service or the internet are answered alike for
// every source of one class (imported dumps have a group per ENI): their sharing key,
// or nullopt for a question answered on its own.
using SharingKey = std::tuple<SourceClassKey, std::string, int, int>;
std::optional<SharingKey> SharingKeyOf(const Topology& topology, const QuerySpec& spec,
                                       Evaluation mode);

// Which of the questions `which` (indices into `specs`) walk, and which copy the answer of
// an earlier question of their class (`shared`: class -> answering index, updated).
struct SharingPlan {
  std::vector<std::size_t> walk;
  std::vector<std::pair<std::size_t, std::size_t>> copy;  // (question, answering question)
};
SharingPlan PlanSharing(const Topology& topology, const std::vector<QuerySpec>& specs,
                        const std::vector<std::size_t>& which, Evaluation mode,
                        std::map<SharingKey, std::size_t>& shared);

class Survey {
 public:
  // `mode` kPerEni answers with the per-ENI oracle (for benchmarks and tests).
  explicit Survey(std::shared_ptr<const Topology> topology, Evaluation mode = Evaluation::kClasses);

  const Topology& topology() const { return *topology_; }
  std::size_t size() const { return questions_.size(); }
  const QuerySpec& question(std::size_t i) const { return questions_[i]; }
  const Answer& answer(std::size_t i) const { return answers_[i]; }

  // The index of a question, answering it when it is new. Questions whose source is a
  // one-ENI node group and whose destination is a service or the internet are answered
  // once per source class. A question that names nothing in the network gets an
  // answer with `error` set (Evaluate's InputError message).
  std::size_t Ask(const QuerySpec& spec);
  // Ask for many questions at once: the new ones are answered on every core.
  std::vector<std::size_t> AskAll(const std::vector<QuerySpec>& specs);
  // Ask, as a QueryResult without hops; throws InputError like Evaluate.
  QueryResult Result(const QuerySpec& spec);

  struct Update {
    bool reshaped = false;              // every question was re-answered
    std::vector<ComponentRef> changed;  // components whose settings changed
    std::vector<std::size_t> reanswered;
    // The questions whose answer changed (Answer::SameVerdict), with the answer before.
    std::vector<std::pair<std::size_t, Answer>> differences;
  };
  // Moves the survey to `next`, which must have been built with the survey's topology
  // as `previous` (Topology::Build), and re-answers what the change touched.
  Update MoveTo(std::shared_ptr<const Topology> next);

 private:
  // What one answer read: components, and its lookups in route tables, network ACLs and
  // security groups.
  struct Reads {
    std::vector<ComponentRef> components;
    std::vector<Lookup> lookups;
  };
  Answer Evaluate(const QuerySpec& spec, Reads& reads) const;
  // Answers the questions `which` (sharing answers by class through `shared`, on every
  // core) and indexes each under the components it reads and did not read before.
  void AnswerAll(const std::vector<std::size_t>& which, std::map<SharingKey, std::size_t>& shared);
  class Delta;
  // Answers question i (sharing by class through `shared`), recording its reads.

  std::shared_ptr<const Topology> topology_;
  Evaluation mode_;
  std::vector<QuerySpec> questions_;
  std::vector<Answer> answers_;
  std::vector<Reads> reads_;
  std::unordered_map<std::string, std::size_t> index_;  // question key -> index
  std::map<SharingKey, std::size_t> shared_;            // class question -> answering index
  // Component -> questions that read it (a superset after updates: never pruned).
  std::unordered_map<ComponentRef, std::vector<std::uint32_t>> readers_;
};

}  // namespace sim
