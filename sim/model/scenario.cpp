#include "sim/model/scenario.hpp"

#include <tuple>

namespace sim {

bool NaclEntry::SameRule(const NaclEntry& o) const {
  return std::tie(rule_number, protocol, allow, cidr, from_port, to_port, icmp_type, icmp_code) ==
         std::tie(o.rule_number, o.protocol, o.allow, o.cidr, o.from_port, o.to_port, o.icmp_type,
                  o.icmp_code);
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kReachable:
      return "reachable";
    case Verdict::kUnreachable:
      return "unreachable";
    case Verdict::kPartial:
      return "partial";
  }
  return "unreachable";
}

const char* TargetKindName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kLocal:
      return "local";
    case TargetKind::kInternetGateway:
      return "internet-gateway";
    case TargetKind::kNatGateway:
      return "nat-gateway";
    case TargetKind::kVpnGateway:
      return "vpn-gateway";
    case TargetKind::kPeeringConnection:
      return "vpc-peering-connection";
    case TargetKind::kNetworkInterface:
      return "network-interface";
    case TargetKind::kVpcEndpoint:
      return "vpc-endpoint";
    case TargetKind::kTransitGateway:
      return "transit-gateway";
  }
  return "local";
}

}  // namespace sim
