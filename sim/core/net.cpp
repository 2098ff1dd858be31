#include "sim/core/net.hpp"

#include <algorithm>
#include <charconv>

namespace sim {
namespace {

std::optional<int> ParseSmallInt(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Ipv4> ParseIpv4(std::string_view text) {
  Ipv4 result = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = i < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const auto octet = ParseSmallInt(text.substr(0, dot), 255);
    if (!octet) return std::nullopt;
    result = (result << 8) | static_cast<Ipv4>(*octet);
    text = i < 3 ? text.substr(dot + 1) : std::string_view{};
  }
  return result;
}

std::string FormatIpv4(Ipv4 address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xFF) + "." +
         std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

std::string Cidr::ToString() const { return FormatIpv4(base) + "/" + std::to_string(length); }

std::optional<Cidr> ParseCidr(std::string_view text, bool require_canonical) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = ParseIpv4(text.substr(0, slash));
  const auto length = ParseSmallInt(text.substr(slash + 1), 32);
  if (!address || !length) return std::nullopt;
  const Ipv4 mask = *length == 0 ? 0 : 0xFFFFFFFFu << (32 - *length);
  if (require_canonical && (*address & ~mask) != 0) return std::nullopt;
  return Cidr{*address & mask, *length};
}

bool IsRfc1918(Ipv4 a) {
  return (a >> 24) == 10 || (a >> 20) == ((172u << 4) | 1u) || (a >> 16) == ((192u << 8) | 168u);
}

bool IsLinkLocal(Ipv4 a) { return (a >> 16) == ((169u << 8) | 254u); }

std::optional<int> ParseProtocol(std::string_view text) {
  if (text == "tcp") return proto::kTcp;
  if (text == "udp") return proto::kUdp;
  if (text == "icmp") return proto::kIcmp;
  if (text == "all" || text == "-1") return proto::kAll;
  return ParseSmallInt(text, 255);
}

std::string ProtocolName(int protocol) {
  switch (protocol) {
    case proto::kTcp:
      return "tcp";
    case proto::kUdp:
      return "udp";
    case proto::kIcmp:
      return "icmp";
    case proto::kAll:
      return "all";
    default:
      return std::to_string(protocol);
  }
}

std::int64_t IntervalSet::Count() const {
  std::int64_t n = 0;
  for (const auto& [lo, hi] : spans_) n += std::int64_t{hi} - lo + 1;
  return n;
}

IntervalSet IntervalSet::Intersect(int lo, int hi) const {
  IntervalSet out;
  for (const auto& [a, b] : spans_) {
    const int l = std::max(a, lo);
    const int h = std::min(b, hi);
    if (l <= h) out.spans_.emplace_back(l, h);
  }
  return out;
}

IntervalSet IntervalSet::Subtract(int lo, int hi) const {
  IntervalSet out;
  for (const auto& [a, b] : spans_) {
    if (hi < a || lo > b) {
      out.spans_.emplace_back(a, b);
      continue;
    }
    if (a < lo) out.spans_.emplace_back(a, lo - 1);
    if (b > hi) out.spans_.emplace_back(hi + 1, b);
  }
  return out;
}

IntervalSet IntervalSet::Union(const IntervalSet& other) const {
  std::vector<std::pair<int, int>> all = spans_;
  all.insert(all.end(), other.spans_.begin(), other.spans_.end());
  std::sort(all.begin(), all.end());
  IntervalSet out;
  for (const auto& span : all) {
    if (!out.spans_.empty() && span.first <= out.spans_.back().second + 1) {
      out.spans_.back().second = std::max(out.spans_.back().second, span.second);
    } else {
      out.spans_.push_back(span);
    }
  }
  return out;
}

std::string IntervalSet::ToString() const {
  std::string out;
  for (const auto& [lo, hi] : spans_) {
    if (!out.empty()) out += ",";
    out += lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi);
  }
  return out.empty() ? "none" : out;
}

}  // namespace sim
