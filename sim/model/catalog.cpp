#include "sim/model/catalog.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/core/text.hpp"

namespace sim {

extern const char kAwsCatalogJson[];  // generated from aws_catalog.json by CMake

namespace {

std::vector<Cidr> ParseCidrs(const nlohmann::json& array) {
  std::vector<Cidr> out;
  for (const auto& item : array) {
    const auto cidr = ParseCidr(item.get<std::string>(), true);
    if (!cidr) throw std::runtime_error("catalog: bad CIDR " + item.get<std::string>());
    out.push_back(*cidr);
  }
  return out;
}

std::string Substitute(std::string pattern, const std::string& region) {
  const std::string key = "{region}";
  for (std::size_t at = pattern.find(key); at != std::string::npos; at = pattern.find(key)) {
    pattern.replace(at, key.size(), region);
  }
  return pattern;
}

// Glob with '*' matching one or more hostname characters (letters, digits, '-', '.').
bool GlobMatch(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] == '*') {
    for (std::size_t n = 1; n <= text.size(); ++n) {
      if (GlobMatch(pattern.substr(1), text.substr(n))) return true;
    }
    return false;
  }
  return !text.empty() && pattern[0] == text[0] && GlobMatch(pattern.substr(1), text.substr(1));
}

// Hostnames compare without case and without the root's trailing dot.
std::string HostKey(std::string_view s) {
  std::string out = ToLower(s);
  if (!out.empty() && out.back() == '.') out.pop_back();  // fully qualified form
  return out;
}

}  // namespace

ServiceCatalog ParseCatalog(std::string_view text) {
  const auto doc = nlohmann::json::parse(text);
  ServiceCatalog catalog;
  for (const auto& s : doc.at("services")) {
    CatalogService service;
    service.name = s.at("name").get<std::string>();
    service.description = s.at("description").get<std::string>();
    for (const auto& h : s.at("hostnames")) service.hostnames.push_back(h.get<std::string>());
    if (s.contains("legacy_hostnames")) {
      for (const auto& [region, hosts] : s.at("legacy_hostnames").items()) {
        for (const auto& h : hosts)
          service.hostnames.push_back("@" + region + "@" + h.get<std::string>());
      }
    }
    for (const auto& t : s.at("endpoint_types")) {
      if (t == "interface") service.interface_endpoint = true;
      if (t == "gateway") service.gateway_endpoint = true;
    }
    service.global = s.value("global", false);
    service.cidr_source = s.at("cidrs").get<std::string>();
    catalog.services_.push_back(service);
  }
  for (const auto& [name, r] : doc.at("regions").items()) {
    RegionData data;
    for (const auto& [source, cidrs] : r.at("cidrs").items())
      data.cidrs[source] = ParseCidrs(cidrs);
    for (const auto& [service, id] : r.at("prefix_lists").items()) {
      data.prefix_lists[service] = id.get<std::string>();
    }
    catalog.regions_[name] = data;
  }
  return catalog;
}

const ServiceCatalog& ServiceCatalog::BuiltIn() {
  static const ServiceCatalog catalog = ParseCatalog(kAwsCatalogJson);
  return catalog;
}

ServiceCatalog ServiceCatalog::WithScenarioServices(const std::vector<ServiceDefinition>& defs,
                                                    const std::string& region) const {
  ServiceCatalog copy = *this;
  copy.host_memo_ = std::make_shared<HostMemo>();  // other services, other answers
  for (const ServiceDefinition& d : defs) {
    CatalogService service;
    service.name = d.name;
    service.description = d.name + " (defined by the scenario)";
    service.hostnames = d.hostnames;
    service.interface_endpoint = d.interface_endpoint;
    service.gateway_endpoint = d.gateway_endpoint;
    service.cidr_source = "scenario:" + d.name;
    auto it = std::find_if(copy.services_.begin(), copy.services_.end(),
                           [&](const CatalogService& s) { return s.name == d.name; });
    if (it != copy.services_.end()) {
      *it = service;
    } else {
      copy.services_.push_back(service);
    }
    RegionData& data = copy.regions_[region];
    data.cidrs[service.cidr_source] = d.cidrs;
    if (!d.prefix_list.empty()) data.prefix_lists[d.name] = d.prefix_list;
  }
  return copy;
}

const CatalogService* ServiceCatalog::Find(std::string_view name) const {
  for (const auto& s : services_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::vector<std::string> ServiceCatalog::Regions() const {
  std::vector<std::string> out;
  for (const auto& [name, data] : regions_) out.push_back(name);
  return out;
}

std::vector<Cidr> ServiceCatalog::Cidrs(const CatalogService& service,
                                        const std::string& region) const {
  return RegionCidrs(service.global ? std::string("us-east-1") : region, service.cidr_source);
}

std::string ServiceCatalog::PrefixListId(const CatalogService& service,
                                         const std::string& region) const {
  const auto it = regions_.find(region);
  if (it == regions_.end()) return "";
  const auto p = it->second.prefix_lists.find(service.name);
  return p == it->second.prefix_lists.end() ? "" : p->second;
}

const CatalogService* ServiceCatalog::PrefixListOwner(std::string_view id,
                                                      std::string* region) const {
  for (const auto& [name, data] : regions_) {
    for (const auto& [service, pl] : data.prefix_lists) {
      if (pl == id) {
        if (region) *region = name;
        return Find(service);
      }
    }
  }
  return nullptr;
}

std::string ServiceCatalog::Hostname(const CatalogService& service,
                                     const std::string& region) const {
  return Substitute(service.hostnames.front(), region);
}

bool ServiceCatalog::HostnameMatches(const CatalogService& service, const std::string& region,
                                     std::string_view host) const {
  const std::string h = HostKey(host);
  for (const std::string& pattern : service.hostnames) {
    std::string p = pattern;
    if (p[0] == '@') {  // "@us-east-1@s3.amazonaws.com": a legacy name of one region
      const std::size_t end = p.find('@', 1);
      if (p.substr(1, end - 1) != region) continue;
      p = p.substr(end + 1);
    }
    if (GlobMatch(Substitute(p, region), h)) return true;
  }
  return false;
}

std::optional<ServiceCatalog::HostMatch> ServiceCatalog::MatchHostname(
    std::string_view host) const {
  {
    std::lock_guard lock(host_memo_->mutex);
    const auto it = host_memo_->answers.find(std::string(host));
    if (it != host_memo_->answers.end()) {
      if (!it->second) return std::nullopt;
      return HostMatch{&services_[it->second->first], it->second->second};
    }
  }
  std::optional<std::pair<std::size_t, std::string>> found;
  for (std::size_t i = 0; i < services_.size() && !found; ++i) {
    const CatalogService& service = services_[i];
    if (service.global) {
      if (HostnameMatches(service, "us-east-1", host)) found = {i, "us-east-1"};
      continue;
    }
    for (const auto& [region, data] : regions_) {
      if (HostnameMatches(service, region, host)) {
        found = {i, region};
        break;
      }
    }
  }
  std::lock_guard lock(host_memo_->mutex);
  host_memo_->answers.emplace(std::string(host), found);
  if (!found) return std::nullopt;
  return HostMatch{&services_[found->first], found->second};
}

std::vector<Cidr> ServiceCatalog::RegionCidrs(const std::string& region,
                                              const std::string& source) const {
  const auto it = regions_.find(region);
  if (it == regions_.end()) return {};
  const auto c = it->second.cidrs.find(source);
  return c == it->second.cidrs.end() ? std::vector<Cidr>{} : c->second;
}

std::vector<Cidr> ServiceCatalog::AllCidrs(const std::string& region) const {
  std::vector<Cidr> out;
  const auto it = regions_.find(region);
  if (it == regions_.end()) return out;
  for (const auto& [source, cidrs] : it->second.cidrs)
    out.insert(out.end(), cidrs.begin(), cidrs.end());
  return out;
}

std::optional<ServiceCatalog::HostMatch> ServiceCatalog::ServiceOwning(Ipv4 address) const {
  std::optional<HostMatch> best;
  int best_length = -1;
  for (const auto& [region, data] : regions_) {
    for (const auto& service : services_) {
      if (service.global) continue;
      const auto c = data.cidrs.find(service.cidr_source);
      if (c == data.cidrs.end()) continue;
      for (const Cidr& cidr : c->second) {
        // Prefer the most specific range; among equal ones the service with its own
        // ranges (s3) over those sharing the region's AMAZON ranges.
        const int score = cidr.length * 2 + (service.cidr_source == "amazon" ? 0 : 1);
        if (cidr.Contains(address) && score > best_length) {
          best_length = score;
          best = HostMatch{&service, region};
        }
      }
    }
  }
  return best;
}

}  // namespace sim
