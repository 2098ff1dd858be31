#include "sim/load/aws_import.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "sim/core/text.hpp"
#include "sim/model/catalog.hpp"

namespace sim {
namespace {

using P = std::string;  // a location: InFile(file, "/json/pointer")

// "nat_gateway", "natGateway" -> "natgateway": AWS spells interface types both ways.
std::string Folded(const std::string& s) {
  std::string out;
  for (char c : ToLower(s)) {
    if (c != '_' && c != '-') out += c;
  }
  return out;
}

// The describe command whose output holds each top-level key, for "missing" errors.
const std::map<std::string, std::string, std::less<>>& Commands() {
  static const std::map<std::string, std::string, std::less<>> kCommands = {
      {"Vpcs", "aws ec2 describe-vpcs"},
      {"Subnets", "aws ec2 describe-subnets"},
      {"RouteTables", "aws ec2 describe-route-tables"},
      {"InternetGateways", "aws ec2 describe-internet-gateways"},
      {"EgressOnlyInternetGateways", "aws ec2 describe-egress-only-internet-gateways"},
      {"NatGateways", "aws ec2 describe-nat-gateways"},
      {"SecurityGroups", "aws ec2 describe-security-groups"},
      {"NetworkAcls", "aws ec2 describe-network-acls"},
      {"NetworkInterfaces", "aws ec2 describe-network-interfaces"},
      {"Reservations", "aws ec2 describe-instances"},
      {"VpcEndpoints", "aws ec2 describe-vpc-endpoints"},
      {"PrefixLists", "aws ec2 describe-managed-prefix-lists"},
      {"Entries", "aws ec2 get-managed-prefix-list-entries"},
      {"VpnGateways", "aws ec2 describe-vpn-gateways"},
      {"VpnConnections", "aws ec2 describe-vpn-connections"},
      {"VpcPeeringConnections", "aws ec2 describe-vpc-peering-connections"},
      {"Addresses", "aws ec2 describe-addresses"},
      {"TransitGateways", "aws ec2 describe-transit-gateways"},
      {"TransitGatewayVpcAttachments", "aws ec2 describe-transit-gateway-vpc-attachments"},
      {"TransitGatewayAttachments", "aws ec2 describe-transit-gateway-attachments"},
      {"TransitGatewayRouteTables", "aws ec2 describe-transit-gateway-route-tables"},
      // Read by Batfish; nothing in them changes a path.
      {"AvailabilityZones", "aws ec2 describe-availability-zones"},
      {"CustomerGateways", "aws ec2 describe-customer-gateways"},
  };
  return kCommands;
}

bool IsAttributeOutput(const Json& d) {
  return d.is_object() && d.contains("VpcId") &&
         (d.contains("EnableDnsSupport") || d.contains("EnableDnsHostnames"));
}

struct Item {
  const Json* value;
  P at;  // location of the object
};

class Importer {
 public:
  Importer(const std::vector<DumpDocument>& docs, const std::string& name,
           const std::string& region)
      : docs_(docs), sink_(name), r_(sink_, JsonReader::UnknownKeys::kIgnore) {
    s_.source = name;
    s_.name = name;
    s_.region = region;
  }

  LoadedScenario Run() {
    Collect();
    if (items_.empty() && attributes_.empty()) {
      r_.Error(InFile(docs_.front().path, "/"),
               "no file of the dump holds a describe-* output vpcsim reads (Vpcs, Subnets, "
               "RouteTables, NetworkInterfaces, ...)");
      sink_.ThrowIfErrors();
    }
    InferRegion();
    ReadVpcs();
    ReadSubnets();
    ReadGateways();
    ReadNatGateways();
    ReadPeerings();
    ReadPrefixLists();
    ReadSecurityGroups();
    ReadNetworkAcls();
    ReadInstances();
    ReadNetworkInterfaces();
    ReadAddresses();
    ReadEndpoints();
    ReadRouteTables();
    ReadVpnConnections();
    // Every subnet has a route table and a network ACL: without their outputs, paths
    // cannot be answered (defaults would silently stand in for the real ones).
    if (!s_.subnets.empty()) {
      for (const char* key : {"RouteTables", "NetworkAcls"}) {
        if (!Has(key) && !malformed_.contains(key))
          r_.Error(key_at_.at("Subnets"), std::string("the dump has subnets but no ") + key +
                                              " list: add the output of `" + Commands().at(key) +
                                              "`");
      }
    }
    sink_.ThrowIfErrors();
    ApplyAwsDefaults(s_);
    // The validator names scenario keys below an object ("/id", "/cidr"); in a dump the
    // object itself is the location.
    DiagnosticSink checks(sink_.file());
    ValidateScenario(s_, catalog_, checks);
    for (const Diagnostic& d : checks.errors()) {
      if (d.location == "/region") continue;  // a warning of InferRegion already says so
      const std::string location = ForeignObjectLocation(d.location);
      sink_.Error(InFile(d.file, location), d.message);
    }
    sink_.ThrowIfErrors();
    return {std::move(s_), sink_.warnings()};
  }

 private:
  // ---- collection ------------------------------------------------------------------

  void Collect() {
    for (const DumpDocument& d : docs_) {
      const Json& doc = *d.json;
      const P root = InFile(d.path, "");
      if (IsAttributeOutput(doc)) {
        ReadAttribute(doc, root);
        continue;
      }
      if (!doc.is_object()) {
        r_.Error(root, "expected an object of describe-* output keys");
        continue;
      }
      for (const auto& [key, value] : doc.items()) {
        const P at = PointerAppend(root, key);
        if (key == "NextToken") {
          r_.Warn(at,
                  "the output is paginated (NextToken): the rest of the list must be in another "
                  "file of the dump");
          continue;
        }
        if (key == "ResponseMetadata") continue;  // boto3 adds it; carries no resource
        if (!Commands().contains(key)) {
          r_.Warn(at, "\"" + key + "\" is not a describe-* output vpcsim reads; skipped");
          continue;
        }
        if (!r_.Array(value, at)) {
          malformed_.insert(key);
          continue;
        }
        if (key == "Entries") {
          entries_.push_back({&value, at, d.path});
          continue;
        }
        key_at_.emplace(key, at);
        if (key == "Reservations") {
          for (std::size_t i = 0; i < value.size(); ++i) {
            const P rp = PointerAppend(at, i);
            if (!r_.Object(value[i], rp, {})) continue;
            if (const Json* instances = r_.ArrayField(value[i], rp, "Instances", false)) {
              const P ip = PointerAppend(rp, "Instances");
              auto& list = items_["Instances"];
              for (std::size_t k = 0; k < instances->size(); ++k)
                list.push_back({&(*instances)[k], PointerAppend(ip, k)});
            }
          }
          continue;
        }
        if (key.starts_with("TransitGateway") && !value.empty() && !tgw_warned_) {
          tgw_warned_ = true;
          r_.Warn(at,
                  "transit gateways are not modelled: a path that takes a route to one stops "
                  "there (each such route is reported)");
        }
        if (key == "EgressOnlyInternetGateways" && !value.empty()) {
          r_.Warn(at, "egress-only internet gateways carry IPv6 only, which is not modelled");
        }
        key_at_.emplace(key, at);
        auto& list = items_[key];
        for (std::size_t i = 0; i < value.size(); ++i)
          list.push_back({&value[i], PointerAppend(at, i)});
      }
    }
  }

  void ReadAttribute(const Json& doc, const P& root) {
    const auto vpc = r_.String(doc, root, "VpcId", true);
    for (const char* key : {"EnableDnsSupport", "EnableDnsHostnames"}) {
      if (!doc.contains(key)) continue;
      const P p = PointerAppend(root, key);
      if (!r_.Object(doc.at(key), p, {})) continue;
      const auto value = r_.Bool(doc.at(key), p, "Value", true);
      if (vpc && value) attributes_[*vpc][key] = *value;
    }
  }

  const std::vector<Item>& Items(const std::string& key) {
    static const std::vector<Item> kNone;
    const auto it = items_.find(key);
    return it == items_.end() ? kNone : it->second;
  }

  bool Has(const std::string& key) const { return items_.contains(key); }

  // "the dump has no X output" errors name the command that produces it.
  void Missing(const P& at, const std::string& what, const std::string& key) {
    if (malformed_.contains(key)) return;  // its output is there, and already reported
    r_.Error(at, what + " is in no " + key + " list of the dump; add the output of `" +
                     Commands().at(key) + "`");
  }

  // ---- Region ----------------------------------------------------------------------

  // us-east-2b -> us-east-2; use1-az1 style ids are not Availability Zone names.
  static std::string RegionOfZone(const std::string& zone) {
    std::size_t i = zone.size();
    while (i > 0 && std::isalpha(static_cast<unsigned char>(zone[i - 1]))) --i;
    if (i == 0 || i == zone.size() || !std::isdigit(static_cast<unsigned char>(zone[i - 1])))
      return "";
    return zone.substr(0, i);
  }

  void InferRegion() {
    if (!s_.region.empty()) return;
    std::map<std::string, P> seen;
    for (const Item& it : Items("Subnets")) {
      if (!it.value->is_object()) continue;
      const auto az = it.value->find("AvailabilityZone");
      if (az == it.value->end() || !az->is_string()) continue;
      const std::string region = RegionOfZone(az->get<std::string>());
      if (!region.empty()) seen.emplace(region, PointerAppend(it.at, "AvailabilityZone"));
    }
    if (seen.size() > 1) {
      std::string list;
      for (const auto& [region, at] : seen) list += (list.empty() ? "" : ", ") + region;
      r_.Error(std::next(seen.begin())->second,
               "the dump mixes Regions (" + list +
                   "); put each Region's outputs in its own directory (aws_configs/<region>/)");
    }
    if (!seen.empty()) {
      s_.region = seen.begin()->first;
      if (!catalog_.HasRegion(s_.region)) {
        std::string known;
        for (const auto& r : catalog_.Regions()) known += (known.empty() ? "" : ", ") + r;
        r_.Warn(seen.begin()->second,
                "the dump is in " + s_.region +
                    ", for which the built-in service catalog has no endpoints (it covers " +
                    known +
                    "): paths between the dump's own components are answered, "
                    "service:NAME destinations are not");
      }
      return;
    }
    s_.region = "us-east-1";
    r_.Warn("/", "no subnet names its Availability Zone, so the Region is unknown; using " +
                     s_.region + " (name the directory after the Region: aws_configs/<region>/)");
  }

  // ---- VPCs and subnets ---------------------------------------------------------------

  void ReadVpcs() {
    for (const Item& it : Items("Vpcs")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      Vpc v;
      v.pointer = p;
      v.id = r_.String(o, p, "VpcId", true).value_or("");
      const auto primary = r_.CidrField(o, p, "CidrBlock", false, false);
      if (const Json* set = r_.ArrayField(o, p, "CidrBlockAssociationSet", false)) {
        const P sp = PointerAppend(p, "CidrBlockAssociationSet");
        for (std::size_t i = 0; i < set->size(); ++i) {
          const P ap = PointerAppend(sp, i);
          if (!r_.Object((*set)[i], ap, {})) continue;
          const auto cidr = r_.CidrField((*set)[i], ap, "CidrBlock", true, false);
          const std::string state = ToLower(StateOf((*set)[i], ap, "CidrBlockState"));
          if (!cidr) continue;
          if (state != "associated") {
            r_.Warn(ap, cidr->ToString() + " is " + state +
                            ", not associated: AWS routes nothing to it, so it does not count");
            continue;
          }
          if (primary && *primary == *cidr) {
            v.cidr_blocks.insert(v.cidr_blocks.begin(), *cidr);
          } else {
            v.cidr_blocks.push_back(*cidr);
          }
        }
      } else if (primary) {
        v.cidr_blocks.push_back(*primary);
      }
      WarnIpv6(o, p, "Ipv6CidrBlockAssociationSet");
      if (o.contains("BlockPublicAccessStates") && o["BlockPublicAccessStates"].is_object()) {
        const Json& b = o["BlockPublicAccessStates"];
        const auto mode = b.find("InternetGatewayBlockMode");
        if (mode != b.end() && mode->is_string() && ToLower(mode->get<std::string>()) != "off") {
          r_.Warn(PointerAppend(PointerAppend(p, "BlockPublicAccessStates"),
                                "InternetGatewayBlockMode"),
                  "VPC Block Public Access (" + mode->get<std::string>() +
                      ") is not modelled: paths through the internet gateway are answered as if "
                      "it were off");
        }
      }
      // The CLI contract: both DNS attributes default to true (the console wizard's
      // setting) when the dump has no describe-vpc-attribute output for them.
      const auto a = attributes_.find(v.id);
      std::string missing;
      for (const auto& [key, cli, field] :
           {std::tuple{"EnableDnsSupport", "enableDnsSupport", &v.enable_dns_support},
            std::tuple{"EnableDnsHostnames", "enableDnsHostnames", &v.enable_dns_hostnames}}) {
        *field = true;
        if (a != attributes_.end() && a->second.contains(key)) {
          *field = a->second.at(key);
        } else {
          missing += std::string(missing.empty() ? "" : " and ") + cli;
        }
      }
      if (!missing.empty()) {
        r_.Warn(p, "no describe-vpc-attribute output gives " + missing + " for " + v.id +
                       "; taking true, AWS's setting for VPCs the console creates (`aws ec2 "
                       "describe-vpc-attribute --vpc-id " +
                       v.id + " --attribute ...`)");
      }
      if (v.cidr_blocks.empty() && !v.id.empty()) {
        r_.Warn(p, v.id + " has no associated IPv4 CIDR block; skipped");
        continue;
      }
      vpc_ids_.insert(v.id);
      s_.vpcs.push_back(std::move(v));
    }
  }

  // The "State" inside an object such as CidrBlockState / AssociationState.
  std::string StateOf(const Json& o, const P& p, const char* key) {
    const auto it = o.find(key);
    if (it == o.end()) return "associated";
    const P sp = PointerAppend(p, key);
    if (!r_.Object(*it, sp, {})) return "";
    return r_.String(*it, sp, "State", false).value_or("associated");
  }

  void WarnIpv6(const Json& o, const P& p, const char* key) {
    const auto it = o.find(key);
    if (it != o.end() && it->is_array() && !it->empty()) {
      r_.Warn(PointerAppend(p, key), "IPv6 is not modelled; only IPv4 paths are answered");
    }
  }

  bool KnownVpc(const Json& o, const P& p, const std::string& what) {
    const auto vpc = r_.String(o, p, "VpcId", true);
    if (!vpc) return false;
    if (vpc_ids_.contains(*vpc)) return true;
    Missing(PointerAppend(p, "VpcId"), what + "'s VPC " + *vpc, "Vpcs");
    return false;
  }

  void ReadSubnets() {
    for (const Item& it : Items("Subnets")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      Subnet sn;
      sn.pointer = p;
      sn.id = r_.String(o, p, "SubnetId", true).value_or("");
      if (!KnownVpc(o, p, "subnet " + sn.id)) continue;
      sn.vpc = o.at("VpcId").get<std::string>();
      WarnIpv6(o, p, "Ipv6CidrBlockAssociationSet");
      if (!o.contains("CidrBlock")) {
        r_.Warn(p, sn.id + " has no IPv4 CIDR block (IPv6-only); skipped");
        continue;
      }
      const auto cidr = r_.CidrField(o, p, "CidrBlock", true, true);
      if (!cidr) continue;
      sn.cidr = *cidr;
      sn.availability_zone = r_.String(o, p, "AvailabilityZone", false).value_or(s_.region + "a");
      sn.map_public_ip_on_launch = r_.Bool(o, p, "MapPublicIpOnLaunch", false).value_or(false);
      subnet_vpc_[sn.id] = sn.vpc;
      s_.subnets.push_back(std::move(sn));
    }
  }

  // The subnet an object sits in; an error naming describe-subnets when it is absent.
  std::optional<std::string> SubnetOf(const Json& o, const P& p, const std::string& what) {
    const auto subnet = r_.String(o, p, "SubnetId", true);
    if (!subnet) return std::nullopt;
    if (subnet_vpc_.contains(*subnet)) return subnet;
    Missing(PointerAppend(p, "SubnetId"), what + "'s subnet " + *subnet, "Subnets");
    return std::nullopt;
  }

  // ---- gateways ----------------------------------------------------------------------

  // The VPC an internet or virtual private gateway is attached to ("" when detached).
  std::string AttachedVpc(const Json& o, const P& p, const char* key, const std::string& id) {
    const Json* attachments = r_.ArrayField(o, p, key, false);
    if (!attachments) return "";
    const P ap = PointerAppend(p, key);
    for (std::size_t i = 0; i < attachments->size(); ++i) {
      const Json& a = (*attachments)[i];
      const P at = PointerAppend(ap, i);
      if (!r_.Object(a, at, {})) continue;
      const std::string state = ToLower(r_.String(a, at, "State", false).value_or("attached"));
      const auto vpc = r_.String(a, at, "VpcId", true);
      if (!vpc) continue;
      // Real describe-internet-gateways output says "available" for an attached gateway.
      if (state != "attached" && state != "available") {
        r_.Warn(PointerAppend(at, "State"),
                id + " is " + state + " to " + *vpc + "; it carries no traffic for it");
        continue;
      }
      if (!vpc_ids_.contains(*vpc)) {
        r_.Warn(PointerAppend(at, "VpcId"),
                id + " is attached to " + *vpc + ", which no Vpcs list of the dump holds");
        continue;
      }
      return *vpc;
    }
    return "";
  }

  void ReadGateways() {
    for (const Item& it : Items("InternetGateways")) {
      if (!r_.Object(*it.value, it.at, {})) continue;
      InternetGateway g;
      g.pointer = it.at;
      g.id = r_.String(*it.value, it.at, "InternetGatewayId", true).value_or("");
      g.vpc = AttachedVpc(*it.value, it.at, "Attachments", g.id);
      gateways_.insert(g.id);
      s_.internet_gateways.push_back(std::move(g));
    }
    for (const Item& it : Items("VpnGateways")) {
      if (!r_.Object(*it.value, it.at, {})) continue;
      VpnGateway g;
      g.pointer = it.at;
      g.id = r_.String(*it.value, it.at, "VpnGatewayId", true).value_or("");
      const std::string state = ToLower(r_.String(*it.value, it.at, "State", false).value_or(""));
      if (state == "deleted" || state == "deleting") {
        r_.Warn(PointerAppend(it.at, "State"), g.id + " is " + state + "; left out of every path");
        gone_[g.id] = g.id + " is " + state;
        continue;
      }
      g.vpc = AttachedVpc(*it.value, it.at, "VpcAttachments", g.id);
      gateways_.insert(g.id);
      s_.vpn_gateways.push_back(std::move(g));
    }
  }

  void ReadNatGateways() {
    for (const Item& it : Items("NatGateways")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      NatGateway n;
      n.pointer = p;
      n.id = r_.String(o, p, "NatGatewayId", true).value_or("");
      n.state = ToLower(r_.String(o, p, "State", false).value_or("available"));
      if (n.state == "deleted" || n.state == "deleting" || n.state == "failed") {
        r_.Warn(PointerAppend(p, "State"), n.id + " is " + n.state + "; left out of every path");
        gone_[n.id] = n.id + " is " + n.state;
        continue;
      }
      if (ToLower(r_.String(o, p, "AvailabilityMode", false).value_or("zonal")) == "regional") {
        if (!o.contains("SubnetId")) {
          r_.Warn(PointerAppend(p, "AvailabilityMode"),
                  "regional NAT gateways are not modelled; routes to " + n.id + " stop there");
          gone_[n.id] = n.id + " is a regional NAT gateway, which is not modelled";
          continue;
        }
        r_.Warn(PointerAppend(p, "AvailabilityMode"),
                "regional NAT gateways are not modelled; " + n.id + " is read as zonal");
      }
      const auto subnet = SubnetOf(o, p, "NAT gateway " + n.id);
      if (!subnet) continue;
      n.subnet = *subnet;
      n.connectivity =
          ToLower(r_.String(o, p, "ConnectivityType", false).value_or("public")) == "private"
              ? NatConnectivity::kPrivate
              : NatConnectivity::kPublic;
      if (const Json* addresses = r_.ArrayField(o, p, "NatGatewayAddresses", false)) {
        const P ap = PointerAppend(p, "NatGatewayAddresses");
        for (std::size_t i = 0; i < addresses->size(); ++i) {
          const Json& a = (*addresses)[i];
          const P at = PointerAppend(ap, i);
          if (!r_.Object(a, at, {})) continue;
          // The primary address carries the connections; secondary addresses only add
          // ports and do not change which paths exist.
          const bool primary = r_.Bool(a, at, "IsPrimary", false).value_or(i == 0);
          if (!primary) continue;
          n.private_ip = r_.Ip(a, at, "PrivateIp", false);
          n.elastic_ip = r_.Ip(a, at, "PublicIp", false);
          if (const auto eni = r_.String(a, at, "NetworkInterfaceId", false))
            nat_enis_.insert(*eni);
        }
      }
      if (n.connectivity == NatConnectivity::kPrivate) n.elastic_ip.reset();
      if (n.connectivity == NatConnectivity::kPublic && !n.elastic_ip) {
        r_.Warn(p, n.id + " is a public NAT gateway without a public IP (state " + n.state +
                       "); left out of every path");
        gone_[n.id] = n.id + " has no Elastic IP";
        continue;
      }
      gateways_.insert(n.id);
      s_.nat_gateways.push_back(std::move(n));
    }
  }

  void ReadPeerings() {
    for (const Item& it : Items("VpcPeeringConnections")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      PeeringConnection c;
      c.pointer = p;
      c.id = r_.String(o, p, "VpcPeeringConnectionId", true).value_or("");
      if (const auto st = o.find("Status"); st != o.end() && st->is_object()) {
        c.status = ToLower(r_.String(*st, PointerAppend(p, "Status"), "Code", false).value_or(""));
      }
      bool complete = true;
      for (const char* side : {"RequesterVpcInfo", "AccepterVpcInfo"}) {
        const P sp = PointerAppend(p, side);
        const auto info = o.find(side);
        if (info == o.end() || !r_.Object(*info, sp, {})) {
          r_.Error(sp, std::string("missing required key \"") + side + "\"");
          complete = false;
          continue;
        }
        const auto vpc = r_.String(*info, sp, "VpcId", true).value_or("");
        if (!vpc_ids_.contains(vpc)) {
          r_.Warn(PointerAppend(sp, "VpcId"),
                  c.id + " leads to " + vpc +
                      ", which is not in this dump (another account or Region): routes to " + c.id +
                      " stop there");
          gone_[c.id] = "its peer VPC " + vpc + " is not in the dump";
          complete = false;
        }
        (std::string(side) == "RequesterVpcInfo" ? c.requester_vpc : c.accepter_vpc) = vpc;
      }
      if (!complete) continue;
      static const std::set<std::string> kStates = {"initiating-request",
                                                    "pending-acceptance",
                                                    "active",
                                                    "deleted",
                                                    "rejected",
                                                    "failed",
                                                    "expired",
                                                    "provisioning",
                                                    "deleting"};
      if (!kStates.contains(c.status)) {
        r_.Warn(PointerAppend(p, "Status"),
                "unknown peering status \"" + c.status + "\"; " + c.id + " is taken as not active");
        c.status = "failed";
      }
      gateways_.insert(c.id);
      s_.peering_connections.push_back(std::move(c));
    }
  }

  // ---- prefix lists ------------------------------------------------------------------

  void ReadPrefixLists() {
    // get-managed-prefix-list-entries output names no list: its file is named after it.
    std::map<std::string, const EntriesFile*> by_stem;
    for (const EntriesFile& f : entries_) {
      std::string stem = f.path.substr(f.path.find_last_of('/') + 1);
      stem = stem.substr(0, stem.find('.'));
      by_stem[stem] = &f;
    }
    std::set<std::string> used_entries;
    for (const Item& it : Items("PrefixLists")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      PrefixList pl;
      pl.pointer = p;
      pl.id = r_.String(o, p, "PrefixListId", true).value_or("");
      pl.name = r_.String(o, p, "PrefixListName", false).value_or("");
      if (ToLower(r_.String(o, p, "AddressFamily", false).value_or("ipv4")) == "ipv6") {
        r_.Warn(p, pl.id + " is an IPv6 prefix list; IPv6 is not modelled");
        ipv6_prefix_lists_.insert(pl.id);
        continue;
      }
      if (o.contains("Cidrs")) {
        pl.cidrs = r_.CidrArray(o, p, "Cidrs", true, false);
      } else if (const auto f = by_stem.find(pl.id); f != by_stem.end()) {
        used_entries.insert(pl.id);
        const EntriesFile& e = *f->second;
        for (std::size_t i = 0; i < e.value->size(); ++i) {
          const P ep = PointerAppend(e.at, i);
          if (!r_.Object((*e.value)[i], ep, {})) continue;
          if (const auto c = r_.CidrField((*e.value)[i], ep, "Cidr", true, false))
            pl.cidrs.push_back(*c);
        }
      } else if (catalog_.PrefixListOwner(pl.id, nullptr)) {
        continue;  // AWS-managed service list: the catalog knows its ranges
      } else {
        no_entries_[pl.id] = p;
        continue;
      }
      if (pl.cidrs.empty()) {
        r_.Warn(p, pl.id + " has no entries: rules and routes naming it match nothing");
        empty_prefix_lists_.insert(pl.id);
        continue;
      }
      prefix_lists_.insert(pl.id);
      s_.prefix_lists.push_back(std::move(pl));
    }
    for (const EntriesFile& f : entries_) {
      std::string stem = f.path.substr(f.path.find_last_of('/') + 1);
      stem = stem.substr(0, stem.find('.'));
      if (!used_entries.contains(stem)) {
        r_.Warn(f.at,
                "get-managed-prefix-list-entries output carries no prefix-list id, so vpcsim "
                "matches it by file name (<pl-id>.json); no PrefixLists entry is named \"" +
                    stem + "\"; skipped");
      }
    }
  }

  // A prefix list a rule or route names: known, or an error naming the command.
  bool PrefixListUsable(const std::string& id, const P& at) {
    if (prefix_lists_.contains(id) || catalog_.PrefixListOwner(id, nullptr)) return true;
    if (ipv6_prefix_lists_.contains(id)) return false;
    if (empty_prefix_lists_.contains(id)) {
      r_.Warn(at, id + " has no entries, so this matches nothing; skipped");
      return false;
    }
    if (no_entries_.contains(id)) {
      r_.Error(at, id +
                       " has no entries in the dump; add the output of `aws ec2 "
                       "get-managed-prefix-list-entries --prefix-list-id " +
                       id + "` as " + id + ".json");
    } else {
      Missing(at, "prefix list " + id, "PrefixLists");
    }
    return false;
  }

  // ---- security groups and network ACLs ------------------------------------------------

  // IpProtocol / Protocol: "-1", "tcp", "6", ...; nullopt for IPv6-only protocols.
  std::optional<int> Protocol(const Json& o, const P& p, const char* key) {
    const auto text = r_.String(o, p, key, true);
    if (!text) return std::nullopt;
    const std::string t = ToLower(*text);
    if (t == "icmpv6" || t == "58") return std::nullopt;
    const auto parsed = ParseProtocol(t);
    if (!parsed) r_.Error(PointerAppend(p, key), "\"" + *text + "\" is not an IP protocol");
    return parsed;
  }

  void ReadSgPermissions(const Json& g, const P& gp, const char* key, std::vector<SgRule>& out) {
    const Json* perms = r_.ArrayField(g, gp, key, false);
    if (!perms) return;
    const P base = PointerAppend(gp, key);
    for (std::size_t i = 0; i < perms->size(); ++i) {
      const Json& o = (*perms)[i];
      const P p = PointerAppend(base, i);
      if (!r_.Object(o, p, {})) continue;
      const auto protocol = Protocol(o, p, "IpProtocol");
      if (!protocol) {
        r_.Warn(p, "an ICMPv6 rule applies to IPv6 only, which is not modelled");
        continue;
      }
      SgRule rule;
      rule.protocol = *protocol;
      const auto from = r_.Int(o, p, "FromPort", false, -1, 65535);
      const auto to = r_.Int(o, p, "ToPort", false, -1, 65535);
      if (HasPorts(rule.protocol)) {
        rule.from_port = from && *from >= 0 ? static_cast<int>(*from) : 0;
        rule.to_port = to && *to >= 0 ? static_cast<int>(*to) : 65535;
      } else if (rule.protocol == proto::kIcmp) {
        rule.from_port = from ? static_cast<int>(*from) : -1;  // ICMP type
        rule.to_port = to ? static_cast<int>(*to) : -1;        // ICMP code
      }
      WarnIpv6(o, p, "Ipv6Ranges");
      auto add = [&](SgRule r, const P& at) {
        r.pointer = at;
        out.push_back(std::move(r));
      };
      if (const Json* ranges = r_.ArrayField(o, p, "IpRanges", false)) {
        for (std::size_t k = 0; k < ranges->size(); ++k) {
          const P at = PointerAppend(PointerAppend(p, "IpRanges"), k);
          if (!r_.Object((*ranges)[k], at, {})) continue;
          const auto cidr = r_.CidrField((*ranges)[k], at, "CidrIp", true, false);
          if (!cidr) continue;
          SgRule r = rule;
          r.cidr = *cidr;
          r.description = r_.String((*ranges)[k], at, "Description", false).value_or("");
          add(std::move(r), at);
        }
      }
      if (const Json* lists = r_.ArrayField(o, p, "PrefixListIds", false)) {
        for (std::size_t k = 0; k < lists->size(); ++k) {
          const P at = PointerAppend(PointerAppend(p, "PrefixListIds"), k);
          if (!r_.Object((*lists)[k], at, {})) continue;
          const auto id = r_.String((*lists)[k], at, "PrefixListId", true);
          if (!id || !PrefixListUsable(*id, PointerAppend(at, "PrefixListId"))) continue;
          SgRule r = rule;
          r.peer_kind = PeerKind::kPrefixList;
          r.peer = *id;
          add(std::move(r), at);
        }
      }
      if (const Json* pairs = r_.ArrayField(o, p, "UserIdGroupPairs", false)) {
        for (std::size_t k = 0; k < pairs->size(); ++k) {
          const P at = PointerAppend(PointerAppend(p, "UserIdGroupPairs"), k);
          if (!r_.Object((*pairs)[k], at, {})) continue;
          const auto id = r_.String((*pairs)[k], at, "GroupId", true);
          if (!id) continue;
          SgRule r = rule;
          r.peer_kind = PeerKind::kSecurityGroup;
          r.peer = *id;
          r.pointer = at;
          const bool remote = (*pairs)[k].contains("VpcPeeringConnectionId") ||
                              (*pairs)[k].contains("PeeringStatus");
          pending_sg_refs_.push_back({&out, out.size(), remote});
          add(std::move(r), at);
        }
      }
    }
  }

  void ReadSecurityGroups() {
    // Rules may refer to groups read later: collect every group first, then check.
    std::vector<SecurityGroup> groups;
    for (const Item& it : Items("SecurityGroups")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      SecurityGroup g;
      g.pointer = p;
      g.id = r_.String(o, p, "GroupId", true).value_or("");
      g.name = r_.String(o, p, "GroupName", false).value_or(g.id);
      const auto vpc = r_.String(o, p, "VpcId", false);
      if (!vpc) {
        r_.Warn(p, g.id + " belongs to no VPC (EC2-Classic); skipped");
        continue;
      }
      if (!vpc_ids_.contains(*vpc)) {
        r_.Warn(PointerAppend(p, "VpcId"),
                g.id + " belongs to " + *vpc + ", which no Vpcs list of the dump holds; skipped");
        continue;
      }
      g.vpc = *vpc;
      groups.push_back(std::move(g));
      sg_items_.push_back(it);
    }
    s_.security_groups = std::move(groups);
    for (const auto& g : s_.security_groups) {
      sg_ids_.insert(g.id);
      sg_vpc_[g.id] = g.vpc;
    }
    for (std::size_t i = 0; i < s_.security_groups.size(); ++i) {
      SecurityGroup& g = s_.security_groups[i];
      pending_sg_refs_.clear();
      ReadSgPermissions(*sg_items_[i].value, sg_items_[i].at, "IpPermissions", g.ingress);
      ResolveSgRefs(g.id);
      pending_sg_refs_.clear();
      ReadSgPermissions(*sg_items_[i].value, sg_items_[i].at, "IpPermissionsEgress", g.egress);
      ResolveSgRefs(g.id);
    }
  }

  // Rules naming a group the dump lacks: across a peering or account (not modelled, a
  // warning) or a missing describe-security-groups output (an error).
  void ResolveSgRefs(const std::string& group) {
    std::vector<std::size_t> drop;
    std::vector<SgRule>* rules = nullptr;
    const std::string vpc = sg_vpc_.at(group);
    for (const PendingRef& ref : pending_sg_refs_) {
      rules = ref.rules;
      const SgRule& r = (*ref.rules)[ref.index];
      if (const auto other = sg_vpc_.find(r.peer); other != sg_vpc_.end()) {
        if (other->second == vpc || Peered(vpc, other->second)) continue;
        // A reference across a transit gateway (SecurityGroupReferencingSupport).
        r_.Warn(r.pointer, group + " refers to " + r.peer + " of " + other->second +
                               ", which is not peered with " + vpc +
                               " (a transit gateway reference): not modelled; the rule is skipped");
        drop.push_back(ref.index);
        continue;
      }
      if (ref.remote) {
        r_.Warn(r.pointer, group + " refers to " + r.peer +
                               " across a peering connection, which is not in the dump; the rule "
                               "is not modelled");
      } else {
        Missing(r.pointer, "security group " + r.peer, "SecurityGroups");
      }
      drop.push_back(ref.index);
    }
    if (!rules) return;
    for (auto it = drop.rbegin(); it != drop.rend(); ++it)
      rules->erase(rules->begin() + static_cast<std::ptrdiff_t>(*it));
  }

  void ReadNetworkAcls() {
    for (const Item& it : Items("NetworkAcls")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      NetworkAcl acl;
      acl.pointer = p;
      acl.id = r_.String(o, p, "NetworkAclId", true).value_or("");
      if (!KnownVpc(o, p, "network ACL " + acl.id)) continue;
      acl.vpc = o.at("VpcId").get<std::string>();
      acl.is_default = r_.Bool(o, p, "IsDefault", false).value_or(false);
      if (const Json* assoc = r_.ArrayField(o, p, "Associations", false)) {
        for (std::size_t i = 0; i < assoc->size(); ++i) {
          const P ap = PointerAppend(PointerAppend(p, "Associations"), i);
          if (!r_.Object((*assoc)[i], ap, {})) continue;
          const auto subnet = r_.String((*assoc)[i], ap, "SubnetId", true);
          if (!subnet) continue;
          if (!subnet_vpc_.contains(*subnet)) {
            r_.Warn(PointerAppend(ap, "SubnetId"),
                    *subnet + " is in no Subnets list of the dump; association skipped");
            continue;
          }
          acl.subnets.push_back(*subnet);
        }
      }
      if (const Json* entries = r_.ArrayField(o, p, "Entries", false)) {
        for (std::size_t i = 0; i < entries->size(); ++i) {
          const P ep = PointerAppend(PointerAppend(p, "Entries"), i);
          const Json& e = (*entries)[i];
          if (!r_.Object(e, ep, {})) continue;
          if (e.contains("Ipv6CidrBlock")) {
            r_.Warn(ep, "IPv6 entry; IPv6 is not modelled");
            continue;
          }
          const auto number = r_.Int(e, ep, "RuleNumber", true, 1, 32767);
          const auto egress = r_.Bool(e, ep, "Egress", true);
          if (!number || !egress) continue;
          if (*number == 32767) continue;  // the catch-all deny every ACL has implicitly
          const auto protocol = Protocol(e, ep, "Protocol");
          if (!protocol) {
            r_.Warn(ep, "ICMPv6 entry; IPv6 is not modelled");
            continue;
          }
          NaclEntry n;
          n.pointer = ep;
          n.rule_number = static_cast<int>(*number);
          n.protocol = *protocol;
          n.allow =
              ToLower(
                  r_.Enum(e, ep, "RuleAction", true, {"allow", "deny"}, true).value_or("deny")) ==
              "allow";
          if (const auto c = r_.CidrField(e, ep, "CidrBlock", true, false)) n.cidr = *c;
          if (HasPorts(n.protocol)) {
            if (const auto pr = e.find("PortRange"); pr != e.end()) {
              const P pp = PointerAppend(ep, "PortRange");
              if (r_.Object(*pr, pp, {})) {
                n.from_port = static_cast<int>(r_.Int(*pr, pp, "From", true, 0, 65535).value_or(0));
                n.to_port = static_cast<int>(r_.Int(*pr, pp, "To", true, 0, 65535).value_or(65535));
              }
            }
          } else if (n.protocol == proto::kIcmp) {
            if (const auto tc = e.find("IcmpTypeCode"); tc != e.end()) {
              const P tp = PointerAppend(ep, "IcmpTypeCode");
              if (r_.Object(*tc, tp, {})) {
                n.icmp_type =
                    static_cast<int>(r_.Int(*tc, tp, "Type", false, -1, 255).value_or(-1));
                n.icmp_code =
                    static_cast<int>(r_.Int(*tc, tp, "Code", false, -1, 255).value_or(-1));
              }
            }
          }
          (*egress ? acl.egress : acl.ingress).push_back(std::move(n));
        }
      }
      for (auto* entries : {&acl.ingress, &acl.egress}) {
        std::stable_sort(
            entries->begin(), entries->end(),
            [](const NaclEntry& a, const NaclEntry& b) { return a.rule_number < b.rule_number; });
      }
      s_.network_acls.push_back(std::move(acl));
    }
  }

  // ---- instances and network interfaces -------------------------------------------------

  struct InstanceInfo {
    std::string state = "running";
    bool imds = true;
    P at;
  };

  void ReadInstances() {
    for (const Item& it : Items("Instances")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      const auto id = r_.String(o, p, "InstanceId", true);
      if (!id) continue;
      InstanceInfo info;
      info.at = p;
      if (const auto st = o.find("State");
          st != o.end() && r_.Object(*st, PointerAppend(p, "State"), {}))
        info.state =
            ToLower(r_.String(*st, PointerAppend(p, "State"), "Name", false).value_or("running"));
      if (const auto m = o.find("MetadataOptions");
          m != o.end() && r_.Object(*m, PointerAppend(p, "MetadataOptions"), {})) {
        info.imds =
            ToLower(r_.String(*m, PointerAppend(p, "MetadataOptions"), "HttpEndpoint", false)
                        .value_or("enabled")) != "disabled";
      }
      instances_[*id] = info;
    }
    // Without describe-network-interfaces, the instances' own interface lists stand in.
    if (Has("NetworkInterfaces")) return;
    for (const Item& it : Items("Instances")) {
      const Json& o = *it.value;
      if (!o.is_object()) continue;
      const std::string id = r_.String(o, it.at, "InstanceId", false).value_or("");
      if (const Json* enis = r_.ArrayField(o, it.at, "NetworkInterfaces", false)) {
        for (std::size_t i = 0; i < enis->size(); ++i) {
          instance_enis_.push_back(
              {&(*enis)[i], PointerAppend(PointerAppend(it.at, "NetworkInterfaces"), i)});
          instance_of_[instance_enis_.size() - 1] = id;
        }
      }
    }
  }

  void ReadNetworkInterfaces() {
    const auto& enis = Has("NetworkInterfaces") ? Items("NetworkInterfaces") : instance_enis_;
    for (std::size_t n = 0; n < enis.size(); ++n) {
      const Json& o = *enis[n].value;
      const P& p = enis[n].at;
      if (!r_.Object(o, p, {})) continue;
      const auto id = r_.String(o, p, "NetworkInterfaceId", true);
      if (!id) continue;
      const std::string type =
          Folded(r_.String(o, p, "InterfaceType", false).value_or("interface"));
      // Interfaces AWS manages for a gateway or endpoint are modelled by that object.
      if (type == "natgateway") continue;
      if (type == "vpcendpoint") {
        endpoint_enis_[*id] = {r_.String(o, p, "SubnetId", false).value_or(""),
                               r_.Ip(o, p, "PrivateIpAddress", false)};
        continue;
      }
      if (type == "efaonly") {
        // EFA-only interfaces of multi-card instances carry no IP traffic.
        r_.Warn(p, *id + " is an EFA-only interface (no IP address); skipped");
        continue;
      }
      if (type == "transitgateway" || type.starts_with("gatewayloadbalancer")) {
        r_.Warn(p, *id + " belongs to a " + type + ", which is not modelled; skipped");
        continue;
      }
      std::string instance = instance_of_.contains(n) ? instance_of_[n] : "";
      int device_index = 0, card_index = 0;
      if (const auto a = o.find("Attachment"); a != o.end() && a->is_object()) {
        const P ap = PointerAppend(p, "Attachment");
        if (instance.empty()) instance = r_.String(*a, ap, "InstanceId", false).value_or("");
        device_index = static_cast<int>(r_.Int(*a, ap, "DeviceIndex", false, 0, 1024).value_or(0));
        card_index =
            static_cast<int>(r_.Int(*a, ap, "NetworkCardIndex", false, 0, 1024).value_or(0));
      }
      const std::string status = ToLower(r_.String(o, p, "Status", false).value_or("in-use"));
      if (status == "available" && instance.empty()) {
        r_.Warn(PointerAppend(p, "Status"),
                *id +
                    " is attached to nothing (status available): no host sends or answers "
                    "through it; skipped");
        continue;
      }
      NodeGroup g;
      g.pointer = p;
      g.name = *id;
      g.role = "other";
      g.eni_ids = {*id};
      bool imds = true;
      if (!instance.empty()) {
        if (const auto in = instances_.find(instance); in != instances_.end()) {
          const std::string& state = in->second.state;
          if (state == "terminated" || state == "shutting-down") {
            r_.Warn(in->second.at, instance + " is " + state +
                                       ": its network interfaces are "
                                       "deleted; " +
                                       *id + " skipped");
            gone_[*id] = instance + " is " + state;
            continue;
          }
          if (state != "running") {
            r_.Warn(in->second.at, instance + " is " + state +
                                       " (not running): nothing answers "
                                       "or sends on " +
                                       *id + "; skipped");
            gone_[*id] = instance + " is " + state;
            continue;
          }
          imds = in->second.imds;
        }
        // The instance id names its primary interface: device 0 of network card 0 (every
        // card of a multi-card instance has a device 0).
        if (device_index == 0 && card_index == 0) g.instance_ids = {instance};
      }
      g.imds = imds;
      const auto subnet = SubnetOf(o, p, "network interface " + *id);
      if (!subnet) continue;
      g.subnet = *subnet;
      g.source_dest_check = r_.Bool(o, p, "SourceDestCheck", false).value_or(true);
      if (const auto ip = r_.Ip(o, p, "PrivateIpAddress", true)) g.private_ips = {*ip};
      g.public_ip = false;
      if (const auto a = o.find("Association"); a != o.end() && a->is_object()) {
        if (const auto pub = r_.Ip(*a, PointerAppend(p, "Association"), "PublicIp", false)) {
          g.public_ip = true;
          g.public_ips = {*pub};
        }
      }
      if (const Json* ips = r_.ArrayField(o, p, "PrivateIpAddresses", false)) {
        for (std::size_t i = 0; i < ips->size(); ++i) {
          const P ip_at = PointerAppend(PointerAppend(p, "PrivateIpAddresses"), i);
          if (!r_.Object((*ips)[i], ip_at, {})) continue;
          if (r_.Bool((*ips)[i], ip_at, "Primary", false).value_or(false)) continue;
          SecondaryIp secondary;
          secondary.pointer = ip_at;
          const auto ip = r_.Ip((*ips)[i], ip_at, "PrivateIpAddress", true);
          if (!ip) continue;
          secondary.private_ip = *ip;
          if (const auto a = (*ips)[i].find("Association"); a != (*ips)[i].end() && a->is_object())
            secondary.public_ip = r_.Ip(*a, PointerAppend(ip_at, "Association"), "PublicIp", false);
          g.secondary_ips.push_back(secondary);
        }
      }
      WarnIpv6(o, p, "Ipv6Addresses");
      if (const Json* groups = r_.ArrayField(o, p, "Groups", false)) {
        for (std::size_t i = 0; i < groups->size(); ++i) {
          const P gp = PointerAppend(PointerAppend(p, "Groups"), i);
          if (!r_.Object((*groups)[i], gp, {})) continue;
          const auto sg = r_.String((*groups)[i], gp, "GroupId", true);
          if (!sg) continue;
          if (!sg_ids_.contains(*sg)) {
            Missing(PointerAppend(gp, "GroupId"), "security group " + *sg, "SecurityGroups");
            continue;
          }
          g.security_groups.push_back(*sg);
        }
      }
      if (g.security_groups.empty()) {
        // Load balancer and other requester-managed interfaces may have no group: they
        // filter nothing. The model's empty list means the VPC's default group, so such
        // an interface is given an allow-all group of its own.
        g.security_groups = {OpenGroup(subnet_vpc_.at(g.subnet))};
      }
      eni_ids_.insert(*id);
      if (!g.instance_ids.empty()) instance_primary_eni_[g.instance_ids.front()] = *id;
      eni_index_[*id] = s_.node_groups.size();
      s_.node_groups.push_back(std::move(g));
    }
  }

  // An allow-all security group standing for "no security group" in a VPC.
  std::string OpenGroup(const std::string& vpc) {
    const std::string id = vpc + "/no-security-group";
    if (!sg_ids_.contains(id)) {
      SecurityGroup g;
      g.id = id;
      g.vpc = vpc;
      g.name = "no-security-group";
      SgRule all;
      all.cidr = Cidr{0, 0};
      all.description = "an interface without security groups filters nothing";
      g.ingress.push_back(all);
      g.egress.push_back(all);
      s_.security_groups.push_back(g);
      sg_ids_.insert(id);
    }
    return id;
  }

  // describe-addresses: Elastic IPs associated with an interface's private address.
  void ReadAddresses() {
    for (const Item& it : Items("Addresses")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      const auto eni = r_.String(o, p, "NetworkInterfaceId", false);
      const auto pub = r_.Ip(o, p, "PublicIp", true);
      const auto priv = r_.Ip(o, p, "PrivateIpAddress", false);
      if (!eni || !pub) continue;  // not associated
      if (nat_enis_.contains(*eni)) continue;
      const auto g = eni_index_.find(*eni);
      if (g == eni_index_.end()) {
        if (!endpoint_enis_.contains(*eni))
          r_.Warn(p, "Elastic IP " + FormatIpv4(*pub) + " is associated with " + *eni +
                         ", which is not among the dump's network interfaces; skipped");
        continue;
      }
      NodeGroup& group = s_.node_groups[g->second];
      if (priv && !group.private_ips.empty() && *priv != group.private_ips.front()) {
        for (SecondaryIp& ip : group.secondary_ips) {
          if (ip.private_ip == *priv && !ip.public_ip) ip.public_ip = *pub;
        }
        continue;
      }
      if (!group.public_ips.empty() && group.public_ips.front() != *pub) {
        r_.Warn(PointerAppend(p, "PublicIp"),
                "Elastic IP " + FormatIpv4(*pub) + " is associated with " + *eni +
                    ", whose describe-network-interfaces output shows " +
                    FormatIpv4(group.public_ips.front()) + "; using the interface's");
        continue;
      }
      group.public_ip = true;
      group.public_ips = {*pub};
    }
  }

  // ---- endpoints -----------------------------------------------------------------------

  void ReadEndpoints() {
    for (const Item& it : Items("VpcEndpoints")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      VpcEndpoint e;
      e.pointer = p;
      e.id = r_.String(o, p, "VpcEndpointId", true).value_or("");
      const std::string type =
          ToLower(r_.String(o, p, "VpcEndpointType", false).value_or("gateway"));
      if (type != "gateway" && type != "interface") {
        r_.Warn(PointerAppend(p, "VpcEndpointType"),
                "\"" + type + "\" endpoints are not modelled; " + e.id + " skipped");
        gone_[e.id] = e.id + " is a " + type + " endpoint, which is not modelled";
        continue;
      }
      e.type = type == "gateway" ? EndpointType::kGateway : EndpointType::kInterface;
      e.state = ToLower(r_.String(o, p, "State", false).value_or("available"));
      if (e.state == "deleted" || e.state == "deleting" || e.state == "rejected" ||
          e.state == "failed" || e.state == "expired") {
        r_.Warn(PointerAppend(p, "State"), e.id + " is " + e.state + "; left out of every path");
        gone_[e.id] = e.id + " is " + e.state;
        continue;
      }
      if (!KnownVpc(o, p, "endpoint " + e.id)) continue;
      e.vpc = o.at("VpcId").get<std::string>();
      const std::string service = r_.String(o, p, "ServiceName", true).value_or("");
      const std::string prefix = "com.amazonaws." + s_.region + ".";
      e.service = service.starts_with(prefix) ? service.substr(prefix.size()) : service;
      const CatalogService* known = catalog_.Find(e.service);
      if (!known || (e.type == EndpointType::kGateway && !known->gateway_endpoint) ||
          (e.type == EndpointType::kInterface && !known->interface_endpoint)) {
        r_.Warn(PointerAppend(p, "ServiceName"),
                "\"" + service + "\" is not a service of the built-in catalog for " + s_.region +
                    "; " + e.id + " skipped");
        gone_[e.id] = "the service of " + e.id + " is not modelled";
        continue;
      }
      if (e.type == EndpointType::kGateway) {
        const auto tables = r_.StringArray(o, p, "RouteTableIds", false);
        for (std::size_t i = 0; i < tables.size(); ++i) {
          const P tp = PointerAppend(PointerAppend(p, "RouteTableIds"), i);
          if (TableIds().contains(tables[i])) {
            e.route_tables.push_back(tables[i]);
          } else if (!Has("RouteTables")) {
            Missing(tp, "endpoint " + e.id + "'s route table " + tables[i], "RouteTables");
          } else {
            r_.Warn(tp, tables[i] + " is in no RouteTables list of the dump; skipped");
          }
        }
        if (e.route_tables.empty()) {
          r_.Warn(p, e.id + " is associated with no route table, so no path uses it; skipped");
          gone_[e.id] = e.id + " is associated with no route table";
          continue;
        }
      } else {
        e.private_dns = r_.Bool(o, p, "PrivateDnsEnabled", false).value_or(false);
        // S3 interface endpoints: with PrivateDnsOnlyForInboundResolverEndpoint, clients
        // in the VPC resolve S3 publicly and use the gateway endpoint (semantics §7.4).
        if (const auto d = o.find("DnsOptions"); d != o.end() && d->is_object()) {
          if (r_.Bool(*d, PointerAppend(p, "DnsOptions"),
                      "PrivateDnsOnlyForInboundResolverEndpoint", false)
                  .value_or(false))
            e.private_dns = false;
        }
        const auto subnets = r_.StringArray(o, p, "SubnetIds", false);
        for (std::size_t i = 0; i < subnets.size(); ++i) {
          if (subnet_vpc_.contains(subnets[i])) {
            e.subnets.push_back(subnets[i]);
          } else {
            Missing(PointerAppend(PointerAppend(p, "SubnetIds"), i),
                    "endpoint " + e.id + "'s subnet " + subnets[i], "Subnets");
          }
        }
        if (const Json* groups = r_.ArrayField(o, p, "Groups", false)) {
          for (std::size_t i = 0; i < groups->size(); ++i) {
            const P gp = PointerAppend(PointerAppend(p, "Groups"), i);
            if (!r_.Object((*groups)[i], gp, {})) continue;
            const auto sg = r_.String((*groups)[i], gp, "GroupId", true);
            if (!sg) continue;
            if (!sg_ids_.contains(*sg)) {
              Missing(PointerAppend(gp, "GroupId"), "security group " + *sg, "SecurityGroups");
              continue;
            }
            e.security_groups.push_back(*sg);
          }
        }
        for (const std::string& eni : r_.StringArray(o, p, "NetworkInterfaceIds", false)) {
          const auto found = endpoint_enis_.find(eni);
          if (found == endpoint_enis_.end() || !found->second.second) continue;
          if (std::find(e.subnets.begin(), e.subnets.end(), found->second.first) != e.subnets.end())
            e.addresses[found->second.first] = *found->second.second;
        }
      }
      gateways_.insert(e.id);
      endpoint_index_[e.id] = s_.vpc_endpoints.size();
      s_.vpc_endpoints.push_back(std::move(e));
    }
  }

  // ---- route tables --------------------------------------------------------------------

  void ReadRouteTables() {
    for (const Item& it : Items("RouteTables")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      RouteTable t;
      t.pointer = p;
      t.id = r_.String(o, p, "RouteTableId", true).value_or("");
      if (!KnownVpc(o, p, "route table " + t.id)) continue;
      t.vpc = o.at("VpcId").get<std::string>();
      if (const Json* assoc = r_.ArrayField(o, p, "Associations", false)) {
        for (std::size_t i = 0; i < assoc->size(); ++i) {
          const P ap = PointerAppend(PointerAppend(p, "Associations"), i);
          const Json& a = (*assoc)[i];
          if (!r_.Object(a, ap, {})) continue;
          const std::string state = ToLower(StateOf(a, ap, "AssociationState"));
          if (state != "associated") {
            r_.Warn(ap, "association is " + state + "; it does not count");
            continue;
          }
          if (r_.Bool(a, ap, "Main", false).value_or(false)) t.main = true;
          if (const auto sn = r_.String(a, ap, "SubnetId", false)) {
            if (subnet_vpc_.contains(*sn)) {
              t.subnets.push_back(*sn);
            } else {
              r_.Warn(PointerAppend(ap, "SubnetId"),
                      *sn + " is in no Subnets list of the dump; association skipped");
            }
          }
          if (const auto gw = r_.String(a, ap, "GatewayId", false)) {
            r_.Warn(PointerAppend(ap, "GatewayId"),
                    "gateway route tables (edge association with " + *gw +
                        ") are not modelled: traffic entering through it is delivered by local "
                        "routing");
          }
        }
      }
      if (const Json* vgws = r_.ArrayField(o, p, "PropagatingVgws", false)) {
        for (std::size_t i = 0; i < vgws->size(); ++i) {
          const P vp = PointerAppend(PointerAppend(p, "PropagatingVgws"), i);
          if (!r_.Object((*vgws)[i], vp, {})) continue;
          const auto id = r_.String((*vgws)[i], vp, "GatewayId", true);
          if (id && gateways_.contains(*id)) t.propagating_vgws.push_back(*id);
        }
      }
      if (const Json* routes = r_.ArrayField(o, p, "Routes", false)) {
        for (std::size_t i = 0; i < routes->size(); ++i)
          ReadRoute((*routes)[i], PointerAppend(PointerAppend(p, "Routes"), i), t);
      }
      s_.route_tables.push_back(std::move(t));
    }
  }

  void ReadRoute(const Json& o, const P& p, RouteTable& t) {
    if (!r_.Object(o, p, {})) return;
    Route route;
    route.pointer = p;
    if (o.contains("DestinationIpv6CidrBlock")) {
      r_.Warn(p, "IPv6 route; IPv6 is not modelled");
      return;
    }
    if (o.contains("DestinationCidrBlock")) {
      route.destination = r_.CidrField(o, p, "DestinationCidrBlock", true, false);
      if (!route.destination) return;
    } else if (const auto pl = r_.String(o, p, "DestinationPrefixListId", false)) {
      if (!PrefixListUsable(*pl, PointerAppend(p, "DestinationPrefixListId"))) return;
      route.destination_prefix_list = *pl;
    } else {
      r_.Error(p, "a route needs \"DestinationCidrBlock\" or \"DestinationPrefixListId\"");
      return;
    }
    const std::string state = ToLower(r_.String(o, p, "State", false).value_or("active"));
    if (state == "filtered") {
      r_.Warn(PointerAppend(p, "State"), "the route is filtered; AWS does not use it");
      return;
    }
    route.state = state == "blackhole" ? RouteState::kBlackhole : RouteState::kActive;
    const std::string origin = ToLower(r_.String(o, p, "Origin", false).value_or("CreateRoute"));
    // The target: exactly one of AWS's target fields.
    std::string target;
    std::string field;
    for (const char* key :
         {"NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId",
          "GatewayId", "InstanceId", "EgressOnlyInternetGatewayId", "CarrierGatewayId",
          "LocalGatewayId", "CoreNetworkArn"}) {
      if (const auto v = r_.String(o, p, key, false)) {
        target = *v;
        field = key;
        break;
      }
    }
    const P tp = PointerAppend(p, field);
    if (target.empty()) {
      r_.Error(p, "the route names no target (GatewayId, NatGatewayId, ...)");
      return;
    }
    if (target == "local") {
      const Vpc* vpc = FindVpc(t.vpc);
      const bool block = vpc && route.destination &&
                         std::find(vpc->cidr_blocks.begin(), vpc->cidr_blocks.end(),
                                   *route.destination) != vpc->cidr_blocks.end();
      if (!block) {
        r_.Warn(p, "local route for a CIDR block that is not associated with " + t.vpc +
                       "; it does not count");
      }
      return;  // local routes are implicit in the model
    }
    if (field == "EgressOnlyInternetGatewayId" || field == "CarrierGatewayId" ||
        field == "LocalGatewayId" || field == "CoreNetworkArn") {
      r_.Warn(tp, field.substr(0, field.size() - (field.ends_with("Arn") ? 3 : 2)) + " " + target +
                      " is not modelled; the route is read as a blackhole");
      route.state = RouteState::kBlackhole;
      route.target_kind = TargetKind::kTransitGateway;
      route.target = target;
      t.routes.push_back(std::move(route));
      return;
    }
    if (field == "InstanceId") {
      const auto eni = instance_primary_eni_.find(target);
      if (eni != instance_primary_eni_.end()) {
        target = eni->second;
        field = "NetworkInterfaceId";
      }
    }
    if (field == "NatGatewayId") {
      route.target_kind = TargetKind::kNatGateway;
    } else if (field == "TransitGatewayId") {
      route.target_kind = TargetKind::kTransitGateway;
      r_.Warn(tp,
              "transit gateway " + target + " is not modelled: paths taking this route stop there");
    } else if (field == "VpcPeeringConnectionId") {
      route.target_kind = TargetKind::kPeeringConnection;
    } else if (field == "NetworkInterfaceId" || field == "InstanceId") {
      route.target_kind = TargetKind::kNetworkInterface;
    } else if (target.starts_with("igw-")) {
      route.target_kind = TargetKind::kInternetGateway;
    } else if (target.starts_with("vgw-")) {
      route.target_kind = TargetKind::kVpnGateway;
    } else if (target.starts_with("vpce-")) {
      route.target_kind = TargetKind::kVpcEndpoint;
    } else {
      r_.Warn(tp, "target " + target + " is not modelled; the route is read as a blackhole");
      route.state = RouteState::kBlackhole;
      route.target_kind = TargetKind::kTransitGateway;
    }
    route.target = target;
    if (origin == "enablevgwroutepropagation") {
      // Propagated routes are the prefixes the VGW learned; the model derives them from
      // the on-premises site, so they are kept as the site's advertised prefixes.
      if (route.destination && gateways_.contains(target)) {
        learned_[target].push_back({*route.destination, p});
        if (std::find(t.propagating_vgws.begin(), t.propagating_vgws.end(), target) ==
            t.propagating_vgws.end())
          t.propagating_vgws.push_back(target);
        return;
      }
      route.origin = RouteOrigin::kPropagated;
    }
    bool present = gateways_.contains(target);
    if (route.target_kind == TargetKind::kTransitGateway) present = true;
    if (route.target_kind == TargetKind::kNetworkInterface) present = eni_ids_.contains(target);
    // An active route names a target that exists (AWS shows a route whose target was
    // deleted as a blackhole): when its describe output is absent, the dump is missing it.
    if (!present && route.state == RouteState::kActive) {
      static const std::map<TargetKind, std::vector<const char*>> kOutputs = {
          {TargetKind::kInternetGateway, {"InternetGateways"}},
          {TargetKind::kNatGateway, {"NatGateways"}},
          {TargetKind::kVpnGateway, {"VpnGateways"}},
          {TargetKind::kPeeringConnection, {"VpcPeeringConnections"}},
          {TargetKind::kVpcEndpoint, {"VpcEndpoints"}},
          {TargetKind::kNetworkInterface, {"NetworkInterfaces", "Reservations"}}};
      if (const auto out = kOutputs.find(route.target_kind); out != kOutputs.end()) {
        const auto& keys = out->second;
        if (std::none_of(keys.begin(), keys.end(), [&](const char* k) {
              return Has(k) || (std::string(k) == "Reservations" && Has("Instances"));
            })) {
          Missing(tp, "target " + target + " of an active route", keys.front());
          return;
        }
      }
    }
    if (!present && route.state == RouteState::kActive) {
      const auto why = gone_.find(target);
      r_.Warn(tp, target + (why != gone_.end() ? ": " + why->second : " is not in the dump") +
                      "; the route is read as a blackhole (AWS shows a route whose target is "
                      "gone as one)");
      route.state = RouteState::kBlackhole;
    }
    if (route.target_kind == TargetKind::kVpcEndpoint && present) {
      VpcEndpoint& e = s_.vpc_endpoints[endpoint_index_.at(target)];
      if (std::find(e.route_tables.begin(), e.route_tables.end(), t.id) == e.route_tables.end())
        e.route_tables.push_back(t.id);
    }
    t.routes.push_back(std::move(route));
  }

  bool Peered(const std::string& a, const std::string& b) const {
    return std::any_of(s_.peering_connections.begin(), s_.peering_connections.end(),
                       [&](const PeeringConnection& c) {
                         return (c.requester_vpc == a && c.accepter_vpc == b) ||
                                (c.requester_vpc == b && c.accepter_vpc == a);
                       });
  }

  // Route table ids of the dump (endpoints, read before the tables, refer to them).
  const std::set<std::string>& TableIds() {
    if (!table_ids_) {
      table_ids_.emplace();
      for (const Item& it : Items("RouteTables")) {
        if (it.value->is_object() && it.value->contains("RouteTableId") &&
            (*it.value)["RouteTableId"].is_string())
          table_ids_->insert((*it.value)["RouteTableId"].get<std::string>());
      }
    }
    return *table_ids_;
  }

  const Vpc* FindVpc(const std::string& id) const {
    for (const Vpc& v : s_.vpcs) {
      if (v.id == id) return &v;
    }
    return nullptr;
  }

  // ---- on-premises networks ------------------------------------------------------------

  void ReadVpnConnections() {
    std::vector<OnPremSite> sites;
    for (const Item& it : Items("VpnConnections")) {
      const Json& o = *it.value;
      const P& p = it.at;
      if (!r_.Object(o, p, {})) continue;
      OnPremSite site;
      site.pointer = p;
      site.id = r_.String(o, p, "VpnConnectionId", true).value_or("");
      const std::string state = ToLower(r_.String(o, p, "State", false).value_or("available"));
      if (state == "deleted" || state == "deleting") {
        r_.Warn(PointerAppend(p, "State"), site.id + " is " + state + "; skipped");
        continue;
      }
      const auto vgw = r_.String(o, p, "VpnGatewayId", false);
      if (!vgw) {
        r_.Warn(p, site.id + " terminates on a transit gateway, which is not modelled; skipped");
        continue;
      }
      if (!gateways_.contains(*vgw)) {
        r_.Warn(PointerAppend(p, "VpnGatewayId"),
                site.id + "'s gateway " + *vgw + " is not among the dump's VpnGateways; skipped");
        continue;
      }
      site.vpn_gateway = *vgw;
      site.connection = "vpn";
      // The connection's State is configuration; tunnel telemetry is a moment's status.
      site.connection_up = state == "available";
      if (const Json* telemetry = r_.ArrayField(o, p, "VgwTelemetry", false)) {
        const bool any_up = std::any_of(telemetry->begin(), telemetry->end(), [](const Json& t) {
          return t.is_object() && t.contains("Status") && t["Status"].is_string() &&
                 ToLower(t["Status"].get<std::string>()) == "up";
        });
        if (!telemetry->empty() && !any_up && site.connection_up) {
          r_.Warn(PointerAppend(p, "VgwTelemetry"),
                  "every tunnel of " + site.id +
                      " reported DOWN when the dump was taken; vpcsim answers for the "
                      "configuration (the connection is available), as Batfish does; set the "
                      "site's \"state\" to \"down\" in an imported scenario to see the outage");
        }
      }
      if (const Json* routes = r_.ArrayField(o, p, "Routes", false)) {
        for (std::size_t i = 0; i < routes->size(); ++i) {
          const P rp = PointerAppend(PointerAppend(p, "Routes"), i);
          if (!r_.Object((*routes)[i], rp, {})) continue;
          const std::string rs =
              ToLower(r_.String((*routes)[i], rp, "State", false).value_or("available"));
          const auto c = r_.CidrField((*routes)[i], rp, "DestinationCidrBlock", true, false);
          if (c && rs == "available") AddUnique(site.cidrs, *c);
        }
      }
      site.advertised = site.cidrs;
      sites.push_back(std::move(site));
    }
    // A prefix the VGW propagates belongs to the connection whose static routes cover it,
    // or to the VGW's only connection; otherwise (BGP on several connections, or Direct
    // Connect) to a site of its own.
    std::vector<OnPremSite> extra;
    for (const auto& [vgw, prefixes] : learned_) {
      std::vector<OnPremSite*> of_vgw;
      for (OnPremSite& site : sites) {
        if (site.vpn_gateway == vgw) of_vgw.push_back(&site);
      }
      OnPremSite rest;
      for (const auto& [cidr, at] : prefixes) {
        OnPremSite* owner = of_vgw.size() == 1 ? of_vgw.front() : nullptr;
        for (OnPremSite* site : of_vgw) {
          if (std::any_of(site->advertised.begin(), site->advertised.end(),
                          [&](const Cidr& c) { return c.Contains(cidr); }))
            owner = site;
        }
        if (owner) {
          AddUnique(owner->cidrs, cidr);
          continue;
        }
        if (rest.cidrs.empty()) rest.pointer = at;
        AddUnique(rest.cidrs, cidr);
      }
      if (rest.cidrs.empty()) continue;
      rest.id = vgw + "-onprem";
      rest.vpn_gateway = vgw;
      rest.connection = "direct-connect";
      r_.Warn(rest.pointer, vgw +
                                " propagates prefixes that no VPN connection of the dump "
                                "routes; they are read as a Direct Connect site " +
                                rest.id);
      extra.push_back(std::move(rest));
    }
    // (appended after the loop: `of_vgw` points into `sites`)
    for (OnPremSite& site : extra) sites.push_back(std::move(site));
    for (OnPremSite& site : sites) {
      if (site.cidrs.empty()) {
        r_.Warn(site.pointer, site.id + " has no static route and " + site.vpn_gateway +
                                  " propagates no prefix from it; it leads nowhere and is skipped");
        continue;
      }
      site.advertised = site.cidrs;
      s_.onprem_sites.push_back(std::move(site));
    }
  }

  static void AddUnique(std::vector<Cidr>& v, const Cidr& c) {
    if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  }

  struct EntriesFile {
    const Json* value;
    P at;
    std::string path;
  };
  struct PendingRef {
    std::vector<SgRule>* rules;
    std::size_t index;
    bool remote;
  };

  const std::vector<DumpDocument>& docs_;
  DiagnosticSink sink_;
  JsonReader r_;
  Scenario s_;
  ServiceCatalog catalog_ = ServiceCatalog::BuiltIn();
  std::map<std::string, std::vector<Item>> items_;
  std::vector<EntriesFile> entries_;
  std::map<std::string, std::map<std::string, bool>> attributes_;
  bool tgw_warned_ = false;
  std::map<std::string, P> key_at_;  // where each top-level key first appears
  std::set<std::string> malformed_;  // top-level keys whose value is not a list
  std::set<std::string> empty_prefix_lists_;
  std::optional<std::set<std::string>> table_ids_;
  std::set<std::string> vpc_ids_, sg_ids_, eni_ids_, gateways_, nat_enis_, prefix_lists_,
      ipv6_prefix_lists_;
  std::map<std::string, std::string> subnet_vpc_, sg_vpc_;
  std::map<std::string, std::string> gone_;  // id -> why it carries nothing
  std::map<std::string, P> no_entries_;
  std::vector<Item> sg_items_;
  std::vector<PendingRef> pending_sg_refs_;
  std::map<std::string, InstanceInfo> instances_;
  std::vector<Item> instance_enis_;
  std::map<std::size_t, std::string> instance_of_;
  std::map<std::string, std::string> instance_primary_eni_;
  std::map<std::string, std::size_t> eni_index_;
  std::map<std::string, std::pair<std::string, std::optional<Ipv4>>> endpoint_enis_;
  std::map<std::string, std::size_t> endpoint_index_;
  std::map<std::string, std::vector<std::pair<Cidr, P>>> learned_;
};

}  // namespace

// AWS API responses are objects with PascalCase keys; a file of them whose keys vpcsim
// does not read (DBInstances, ServiceDetails) still belongs to the dump, with warnings.
bool LooksLikeAwsDump(const Json& document) {
  if (IsAttributeOutput(document)) return true;
  if (!document.is_object() || document.empty()) return false;
  return std::all_of(document.items().begin(), document.items().end(), [](const auto& item) {
    return !item.key().empty() && std::isupper(static_cast<unsigned char>(item.key()[0]));
  });
}

LoadedScenario ImportAwsDump(const std::vector<DumpDocument>& documents, const std::string& name,
                             const std::string& region) {
  return Importer(documents, name, region).Run();
}

}  // namespace sim
