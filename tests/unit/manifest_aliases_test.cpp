// The `_Name` aliases that ng-annotate-mcp's overlay needs (issue 21, item 9).
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "manifest/legacy_aliases.h"

namespace nga::manifest {
namespace {

namespace json = boost::json;

std::vector<std::string> Keys(const json::object& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object) keys.emplace_back(key);
  return keys;
}

TEST(ManifestAliases, EveryClassGetsAnUnderscoreAliasOfTheSameEntry) {
  json::object promo{{"component", "src/app/promo.ts"}, {"template", "src/app/promo.html"}};
  json::object cart{{"component", "src/app/cart.ts"}, {"selector", "app-cart"}};
  json::object manifest{{"PromoCard", promo}, {"CartView", cart}};

  json::object aliased = WithUnderscoreAliases(manifest);
  EXPECT_EQ(aliased.at("_PromoCard"), promo);
  EXPECT_EQ(aliased.at("_CartView"), cart);
  // The real names stay, first: a client walking the object meets them first.
  EXPECT_EQ(Keys(aliased),
            (std::vector<std::string>{"PromoCard", "CartView", "_PromoCard", "_CartView"}));
}

TEST(ManifestAliases, ARealClassOfTheAliasNameWins) {
  json::object real{{"component", "src/real.ts"}};
  json::object other{{"component", "src/other.ts"}};
  json::object aliased = WithUnderscoreAliases(json::object{{"Card", other}, {"_Card", real}});
  EXPECT_EQ(aliased.at("_Card"), real);
  EXPECT_EQ(aliased.at("__Card"), real);
  EXPECT_EQ(aliased.size(), 3u);
}

TEST(ManifestAliases, AnEmptyManifestStaysEmpty) {
  EXPECT_TRUE(WithUnderscoreAliases(json::object{}).empty());
}

}  // namespace
}  // namespace nga::manifest
