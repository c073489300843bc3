// OriginRegistry: what POST /__annotate/origins adds to. Bounded (issue 21
// item 7: 120 000 registrations grew the daemon from 7 to 34 MB).
#include "net/origin_registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nga::net {
namespace {

using Origins = std::vector<std::string>;

TEST(OriginRegistry, IgnoresDuplicatesAndKeepsTheLeastRecentlyRegisteredFirst) {
  OriginRegistry registry;
  EXPECT_EQ(registry.Add("http://b:1"), Origins{});
  EXPECT_EQ(registry.Add("http://a:1"), Origins{});
  EXPECT_EQ(registry.Add("http://b:1"), Origins{});  // registered again: now the most recent
  EXPECT_EQ(registry.origins(), (Origins{"http://a:1", "http://b:1"}));
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_TRUE(registry.Contains("http://a:1"));
  EXPECT_FALSE(registry.Contains("http://c:1"));
}

TEST(OriginRegistry, PastTheLimitTheLeastRecentlyRegisteredMakeRoom) {
  OriginRegistry registry(3);
  registry.Add("http://a:1");
  registry.Add("http://b:1");
  registry.Add("http://c:1");
  registry.Add("http://a:1");  // a is kept alive by registering again
  EXPECT_EQ(registry.Add("http://d:1"), Origins{"http://b:1"});
  EXPECT_EQ(registry.origins(), (Origins{"http://c:1", "http://a:1", "http://d:1"}));
  EXPECT_FALSE(registry.Contains("http://b:1"));
  EXPECT_TRUE(registry.Contains("http://a:1"));
  EXPECT_TRUE(registry.Contains("http://d:1"));
  EXPECT_EQ(registry.Add("http://b:1"), Origins{"http://c:1"});
  EXPECT_EQ(registry.size(), 3u);
}

TEST(OriginRegistry, TheDefaultLimitHoldsUnderAFlood) {
  OriginRegistry registry;
  std::size_t dropped = 0;
  for (int i = 0; i < 10000; ++i) {
    dropped += registry.Add("http://localhost:" + std::to_string(10000 + i)).size();
  }
  EXPECT_EQ(registry.size(), OriginRegistry::kMaxOrigins);
  EXPECT_EQ(dropped, 10000 - OriginRegistry::kMaxOrigins);
  EXPECT_FALSE(registry.Contains("http://localhost:10000"));
  EXPECT_TRUE(registry.Contains("http://localhost:19999"));
  EXPECT_EQ(registry.origins().front(),
            "http://localhost:" + std::to_string(20000 - OriginRegistry::kMaxOrigins));
}

}  // namespace
}  // namespace nga::net
