// IPv4 addresses, CIDR blocks, protocols and port sets: the small value types every
// layer shares. Parsing is strict (canonical dotted quads, prefix lengths 0-32) and
// reports failure through std::optional; nothing here throws or touches files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sim {

using Ipv4 = std::uint32_t;

// Parses "10.0.0.1". Returns nullopt for anything else (leading zeros are allowed
// only for the digit 0 itself, as AWS prints addresses).
std::optional<Ipv4> ParseIpv4(std::string_view text);
std::string FormatIpv4(Ipv4 address);

struct Cidr {
  Ipv4 base = 0;
  int length = 0;  // 0..32

  Ipv4 first() const { return base; }
  Ipv4 last() const {
    // A shift by 32 is undefined; /0 and /32 are the edge cases.
    if (length == 0) return 0xFFFFFFFFu;
    if (length == 32) return base;
    return base | (0xFFFFFFFFu >> length);
  }
  std::uint64_t size() const { return std::uint64_t{1} << (32 - length); }
  bool Contains(Ipv4 address) const { return address >= first() && address <= last(); }
  bool Contains(const Cidr& other) const { return other.length >= length && Contains(other.base); }
  bool Overlaps(const Cidr& other) const { return Contains(other.base) || other.Contains(base); }
  std::string ToString() const;
  bool operator==(const Cidr&) const = default;
  auto operator<=>(const Cidr&) const = default;
};

// Parses "10.0.0.0/16". With `require_canonical`, host bits must be zero (AWS rejects
// "10.0.0.1/16" for subnets and VPCs); otherwise they are cleared, as AWS does for
// security-group and network-ACL rules.
std::optional<Cidr> ParseCidr(std::string_view text, bool require_canonical);

// RFC 1918 private space: an internet gateway never forwards to it (RA code
// IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS).
bool IsRfc1918(Ipv4 address);
// 169.254.0.0/16.
bool IsLinkLocal(Ipv4 address);

// IP protocol numbers as AWS writes them in rules: -1 means every protocol.
namespace proto {
inline constexpr int kAll = -1;
inline constexpr int kIcmp = 1;
inline constexpr int kTcp = 6;
inline constexpr int kUdp = 17;
}  // namespace proto

// Accepts "tcp", "udp", "icmp", "all", "-1" and protocol numbers 0-255.
std::optional<int> ParseProtocol(std::string_view text);
// "tcp", "udp", "icmp", "all" or the number.
std::string ProtocolName(int protocol);
// TCP and UDP carry ports; other protocols match every port of a rule.
inline bool HasPorts(int protocol) { return protocol == proto::kTcp || protocol == proto::kUdp; }

// A sorted set of disjoint closed integer intervals; used for port ranges.
class IntervalSet {
 public:
  IntervalSet() = default;
  IntervalSet(int lo, int hi) {
    if (lo <= hi) spans_.emplace_back(lo, hi);
  }
  bool empty() const { return spans_.empty(); }
  std::int64_t Count() const;
  IntervalSet Intersect(int lo, int hi) const;
  IntervalSet Subtract(int lo, int hi) const;
  IntervalSet Union(const IntervalSet& other) const;
  const std::vector<std::pair<int, int>>& spans() const { return spans_; }
  // "32768-60999" or "1024-2047,4096-65535".
  std::string ToString() const;
  bool operator==(const IntervalSet&) const = default;

 private:
  std::vector<std::pair<int, int>> spans_;
};

// Ephemeral source ports chosen by an initiator (semantics reference §6.4).
inline constexpr int kLinuxEphemeralLo = 32768;
inline constexpr int kLinuxEphemeralHi = 60999;
inline constexpr int kNatEphemeralLo = 1024;
inline constexpr int kNatEphemeralHi = 65535;

}  // namespace sim
