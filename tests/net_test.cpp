#include "sim/core/net.hpp"

#include <gtest/gtest.h>

namespace sim {
namespace {

TEST(NetTest, ParsesAndFormatsAddresses) {
  EXPECT_EQ(ParseIpv4("10.0.1.17"), 0x0A000111u);
  EXPECT_EQ(FormatIpv4(0x0A000111u), "10.0.1.17");
  EXPECT_FALSE(ParseIpv4("10.0.1"));
  EXPECT_FALSE(ParseIpv4("10.0.1.256"));
  EXPECT_FALSE(ParseIpv4("10.0.01.1"));
  EXPECT_FALSE(ParseIpv4("10.0.1.1 "));
}

TEST(NetTest, ParsesCidrsStrictlyOrCanonicalising) {
  EXPECT_EQ(ParseCidr("10.0.0.0/16", true), (Cidr{0x0A000000u, 16}));
  EXPECT_FALSE(ParseCidr("10.0.0.1/16", true));
  EXPECT_EQ(ParseCidr("10.0.0.1/16", false), (Cidr{0x0A000000u, 16}));
  EXPECT_FALSE(ParseCidr("10.0.0.0/33", false));
  EXPECT_EQ(ParseCidr("0.0.0.0/0", true)->last(), 0xFFFFFFFFu);
  EXPECT_EQ(ParseCidr("10.0.0.7/32", true)->last(), 0x0A000007u);
  EXPECT_EQ(ParseCidr("10.0.0.7/32", true)->size(), 1u);
}

TEST(NetTest, CidrContainment) {
  const Cidr vpc = *ParseCidr("10.0.0.0/16", true);
  EXPECT_TRUE(vpc.Contains(*ParseCidr("10.0.3.0/24", true)));
  EXPECT_FALSE(vpc.Contains(*ParseCidr("10.1.0.0/24", true)));
  EXPECT_TRUE(vpc.Overlaps(*ParseCidr("10.0.0.0/8", true)));
  EXPECT_FALSE(vpc.Overlaps(*ParseCidr("10.1.0.0/16", true)));
}

TEST(NetTest, PrivateAndLinkLocalRanges) {
  EXPECT_TRUE(IsRfc1918(*ParseIpv4("172.31.255.255")));
  EXPECT_FALSE(IsRfc1918(*ParseIpv4("172.32.0.1")));
  EXPECT_TRUE(IsRfc1918(*ParseIpv4("192.168.0.1")));
  EXPECT_FALSE(IsRfc1918(*ParseIpv4("100.64.0.1")));
  EXPECT_TRUE(IsLinkLocal(*ParseIpv4("169.254.169.254")));
}

TEST(NetTest, ProtocolNames) {
  EXPECT_EQ(ParseProtocol("tcp"), proto::kTcp);
  EXPECT_EQ(ParseProtocol("-1"), proto::kAll);
  EXPECT_EQ(ParseProtocol("all"), proto::kAll);
  EXPECT_EQ(ParseProtocol("107"), 107);
  EXPECT_FALSE(ParseProtocol("http"));
  EXPECT_EQ(ProtocolName(17), "udp");
}

TEST(NetTest, IntervalSets) {
  IntervalSet s(32768, 60999);
  EXPECT_EQ(s.Count(), 28232);
  const IntervalSet part = s.Intersect(49152, 65535);
  EXPECT_EQ(part.ToString(), "49152-60999");
  EXPECT_EQ(s.Subtract(40000, 50000).ToString(), "32768-39999,50001-60999");
  EXPECT_EQ(part.Union(IntervalSet(32768, 49151)), s);
  EXPECT_TRUE(s.Intersect(1, 1023).empty());
}

}  // namespace
}  // namespace sim
