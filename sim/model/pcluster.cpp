#include "sim/model/pcluster.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sim {

extern const char kPclusterRequirementsJson[];

namespace {

RequirementTable ParseTable(const char* text) {
  const auto doc = nlohmann::json::parse(text);
  RequirementTable t;
  t.table_version = doc.at("table_version").get<int>();
  for (const auto& [version, messages] : doc.at("validators").items()) {
    t.dns_support_message[std::stoi(version)] = messages.at("dns_support").get<std::string>();
    t.dns_hostnames_message[std::stoi(version)] = messages.at("dns_hostnames").get<std::string>();
  }
  for (const auto& row : doc.at("requirements")) {
    Requirement r;
    r.id = row.at("id").get<std::string>();
    r.versions = row.at("versions").get<std::vector<int>>();
    r.schedulers = row.at("schedulers").get<std::vector<std::string>>();
    r.role = row.at("role").get<std::string>();
    r.to = row.at("to").get<std::string>();
    const auto protocol = ParseProtocol(row.at("protocol").get<std::string>());
    if (!protocol) throw std::logic_error("pcluster_requirements.json: bad protocol in " + r.id);
    r.protocol = *protocol;
    r.port = row.at("port").get<int>();
    r.what = row.at("what").get<std::string>();
    r.unless = row.value("unless", "");
    r.only_if = row.value("only_if", "");
    r.symptom = row.at("symptom").get<std::string>();
    r.source = row.at("source").get<std::string>();
    t.rows.push_back(std::move(r));
  }
  return t;
}

}  // namespace

std::vector<const Requirement*> RequirementTable::For(int version, const std::string& scheduler,
                                                      bool disable_managed_dns,
                                                      bool directory_service) const {
  auto flag = [&](const std::string& name) {
    return (name == "disable_managed_dns" && disable_managed_dns) ||
           (name == "directory_service" && directory_service);
  };
  std::vector<const Requirement*> out;
  for (const Requirement& r : rows) {
    if (std::find(r.versions.begin(), r.versions.end(), version) == r.versions.end()) continue;
    if (std::find(r.schedulers.begin(), r.schedulers.end(), scheduler) == r.schedulers.end())
      continue;
    if (!r.unless.empty() && flag(r.unless)) continue;
    if (!r.only_if.empty() && !flag(r.only_if)) continue;
    out.push_back(&r);
  }
  return out;
}

const RequirementTable& BuiltInRequirements() {
  static const RequirementTable table = ParseTable(kPclusterRequirementsJson);
  return table;
}

}  // namespace sim
