// Issue 11 item 6: Host and Origin spellings that used to pass as loopback.
#include <gtest/gtest.h>

#include "net/access.h"

namespace nga::net {
namespace {

TEST(HostParsing, APortIsDigitsAndNothingElse) {
  for (std::string_view host : {"localhost:4747@evil.com", "localhost:evil", "localhost:4747/x",
                                "localhost:", "[::1]:x", "localhost:123456", "127.0.0.1:80#a"}) {
    EXPECT_EQ(HostName(host), "") << host;
    EXPECT_NE(AccessPolicy().Check(host, std::nullopt), std::nullopt) << host;
  }
  EXPECT_EQ(HostName("localhost:4747"), "localhost");
  EXPECT_EQ(HostName("[::1]:4747"), "[::1]");
}

TEST(OriginParsing, AnOriginWhosePortIsAHostIsRefused) {
  AccessPolicy policy;
  EXPECT_NE(policy.Check("localhost:4747", "http://localhost:evil.com"), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4747", "http://localhost:4747@evil.com"), std::nullopt);
  EXPECT_EQ(policy.Check("localhost:4747", "http://localhost:5173"), std::nullopt);
}

TEST(OriginParsing, SameOriginChecksTheScheme) {
  AccessPolicy policy;
  policy.AllowHost("dev.example");
  // Our own origin is http://<Host>; ws:// or https:// of the same name is not.
  EXPECT_EQ(policy.Check("dev.example:4747", "http://dev.example:4747"), std::nullopt);
  EXPECT_NE(policy.Check("dev.example:4747", "https://dev.example:4747"), std::nullopt);
  EXPECT_NE(policy.Check("dev.example:4747", "ftp://dev.example:4747"), std::nullopt);
}

TEST(OwnOrigin, OnlyTheDaemonsOwnAndAllowedOnes) {
  AccessPolicy policy;
  policy.AllowOrigin("http://localhost:6274");
  EXPECT_EQ(policy.CheckOwnOrigin("127.0.0.1:4747", std::nullopt), std::nullopt);
  EXPECT_EQ(policy.CheckOwnOrigin("127.0.0.1:4747", "http://127.0.0.1:4747"), std::nullopt);
  EXPECT_EQ(policy.CheckOwnOrigin("127.0.0.1:4747", "http://localhost:6274"), std::nullopt);
  EXPECT_NE(policy.CheckOwnOrigin("127.0.0.1:4747", "http://localhost:5173"), std::nullopt);
  EXPECT_NE(policy.CheckOwnOrigin("127.0.0.1:4747", "null"), std::nullopt);
}

}  // namespace
}  // namespace nga::net
