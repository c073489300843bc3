// `serve --strict-origins` and run-time registered origins (C1), without a socket.
#include <gtest/gtest.h>

#include <memory>

#include "net/access.h"
#include "net/origin_registry.h"

namespace nga::net {
namespace {

TEST(StrictOrigins, LoopbackOriginsNoLongerPassByThemselves) {
  AccessPolicy loose;
  AccessPolicy strict;
  strict.SetStrictOrigins(true);
  EXPECT_EQ(loose.Check("127.0.0.1:4750", "http://localhost:3000"), std::nullopt);
  auto reason = strict.Check("127.0.0.1:4750", "http://localhost:3000");
  ASSERT_NE(reason, std::nullopt);
  EXPECT_NE(reason->find("localhost:3000"), std::string::npos);
}

TEST(StrictOrigins, OwnAndAllowedOriginsStillPass) {
  AccessPolicy strict;
  strict.SetStrictOrigins(true);
  strict.AllowOrigin("http://localhost:5173");
  EXPECT_EQ(strict.Check("127.0.0.1:4750", "http://127.0.0.1:4750"), std::nullopt);
  EXPECT_EQ(strict.Check("127.0.0.1:4750", "http://LOCALHOST:5173"), std::nullopt);
  EXPECT_EQ(strict.Check("127.0.0.1:4750", std::nullopt), std::nullopt);
  EXPECT_NE(strict.Check("127.0.0.1:4750", "http://localhost:5174"), std::nullopt);
}

TEST(RegisteredOrigins, PassOnceAddedAndAreSharedByCopies) {
  auto registry = std::make_shared<OriginRegistry>();
  AccessPolicy policy;
  policy.SetStrictOrigins(true);
  policy.UseRegistry(registry);
  AccessPolicy copy = policy;  // what the server holds
  EXPECT_NE(copy.Check("127.0.0.1:1", "http://192.168.1.5:5173"), std::nullopt);
  registry->Add(*NormalizeOrigin("http://192.168.1.5:5173"));
  EXPECT_EQ(copy.Check("127.0.0.1:1", "http://192.168.1.5:5173"), std::nullopt);
  EXPECT_NE(copy.Check("127.0.0.1:1", "https://192.168.1.5:5173"), std::nullopt);
  EXPECT_NE(copy.Check("evil.example", "http://192.168.1.5:5173"), std::nullopt);  // Host first
}

TEST(NormalizeOrigin, AcceptsWebOriginsOnly) {
  EXPECT_EQ(NormalizeOrigin("HTTP://Dev.Example:8443/"), "http://dev.example:8443");
  EXPECT_EQ(NormalizeOrigin("https://[::1]:5173"), "https://[::1]:5173");
  EXPECT_EQ(NormalizeOrigin("ftp://x"), std::nullopt);
  EXPECT_EQ(NormalizeOrigin("null"), std::nullopt);
  EXPECT_EQ(NormalizeOrigin("http://a/b"), std::nullopt);
  EXPECT_EQ(NormalizeOrigin("http://"), std::nullopt);
  EXPECT_EQ(NormalizeOrigin("http://a b"), std::nullopt);
}

}  // namespace
}  // namespace nga::net
