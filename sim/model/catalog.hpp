// The catalog of AWS service endpoints: per service its regional hostnames, which
// VPC endpoint types exist for it, and per region the public CIDRs its hostnames
// resolve to and the AWS-managed prefix list of gateway-endpoint services. The
// built-in data is sim/model/aws_catalog.json, compiled into the library; a scenario
// may add services or override them for its own region.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/core/net.hpp"
#include "sim/model/scenario.hpp"

namespace sim {

struct CatalogService {
  std::string name;                    // "s3", "ecr.api", ...
  std::string description;             // "Amazon S3"
  std::vector<std::string> hostnames;  // patterns; "{region}" stands for the region and a
                                       // leading "*." for any one or more labels
  bool interface_endpoint = false;
  bool gateway_endpoint = false;
  bool global = false;      // one endpoint for every region (Route 53)
  std::string cidr_source;  // key of the per-region CIDR list ("amazon", "s3", ...)
};

struct RegionData {
  std::map<std::string, std::vector<Cidr>> cidrs;   // cidr_source -> CIDRs
  std::map<std::string, std::string> prefix_lists;  // service -> "pl-..."
};

class ServiceCatalog;
ServiceCatalog ParseCatalog(std::string_view text);

class ServiceCatalog {
 public:
  // The compiled-in catalog. Aborts at start-up if the embedded JSON is malformed
  // (a build defect, covered by tests).
  static const ServiceCatalog& BuiltIn();

  // A copy with the scenario's own service definitions for `region` added.
  ServiceCatalog WithScenarioServices(const std::vector<ServiceDefinition>& services,
                                      const std::string& region) const;

  const CatalogService* Find(std::string_view name) const;
  bool HasRegion(const std::string& region) const { return regions_.count(region) > 0; }
  std::vector<std::string> Regions() const;
  const std::vector<CatalogService>& services() const { return services_; }

  // Public CIDRs the service's hostnames resolve to in `region` (empty if unknown).
  std::vector<Cidr> Cidrs(const CatalogService& service, const std::string& region) const;
  // The AWS-managed prefix list of a gateway-endpoint service ("" if none).
  std::string PrefixListId(const CatalogService& service, const std::string& region) const;
  // Reverse lookup: the service and region of an AWS-managed prefix list id.
  const CatalogService* PrefixListOwner(std::string_view prefix_list_id, std::string* region) const;
  // The default regional hostname ("ecs.us-east-1.amazonaws.com").
  std::string Hostname(const CatalogService& service, const std::string& region) const;
  // True when `host` is one of the service's hostnames in `region`.
  bool HostnameMatches(const CatalogService& service, const std::string& region,
                       std::string_view host) const;

  struct HostMatch {
    const CatalogService* service;
    std::string region;
  };
  // The service and region a hostname belongs to ("s3.eu-west-1.amazonaws.com").
  std::optional<HostMatch> MatchHostname(std::string_view host) const;

  // The CIDR list `source` ("amazon", "ec2", "s3", ...) of `region`.
  std::vector<Cidr> RegionCidrs(const std::string& region, const std::string& source) const;
  // Every CIDR in the catalog for `region` (used to find address boundaries).
  std::vector<Cidr> AllCidrs(const std::string& region) const;

  // The most specific service owning an address in any region ("s3" before "amazon").
  std::optional<HostMatch> ServiceOwning(Ipv4 address) const;

 private:
  friend ServiceCatalog ParseCatalog(std::string_view text);
  std::vector<CatalogService> services_;
  std::map<std::string, RegionData> regions_;
  // MatchHostname's answers (service index, region), shared by identical copies.
  struct HostMemo {
    std::mutex mutex;
    std::unordered_map<std::string, std::optional<std::pair<std::size_t, std::string>>> answers;
  };
  std::shared_ptr<HostMemo> host_memo_ = std::make_shared<HostMemo>();
};

// Parses catalog JSON (the format of aws_catalog.json). Throws std::runtime_error.
ServiceCatalog ParseCatalog(std::string_view text);

}  // namespace sim
