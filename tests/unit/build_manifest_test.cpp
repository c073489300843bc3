// Preview builds (issue 20): the manifest of source ids is checked before it
// is stored, stored per build on both backends (a push of the same build
// replaces it), and an annotation naming a build and a source id is given
// the manifest's file and line before it is stored.
#include "store/build_manifest.h"

#include <gmock/gmock.h>

#include <boost/json/parse.hpp>

#include "browser/preview_source.h"
#include "test_util.h"

namespace nga {
namespace {

using ::testing::HasSubstr;

TEST(BuildManifest, ParsesWhatTheBuildPluginsWrite) {
  auto parsed = ParseBuildManifest(
      R"({"version":1,"project":"shop","build":"5f0c2a9e1b7d",)"
      R"("ids":{"k3f9a2c1":"src/components/Price.tsx:12:5","0a":"app/page.tsx:1:1"}})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->project, "shop");
  EXPECT_EQ(parsed->build, "5f0c2a9e1b7d");
  ASSERT_EQ(parsed->sources.size(), 2u);
  EXPECT_EQ(parsed->sources[0].first, "k3f9a2c1");
  EXPECT_EQ(parsed->sources[0].second, "src/components/Price.tsx:12:5");
}

TEST(BuildManifest, RefusesWhatIsNotOneWithTheReason) {
  struct Bad {
    std::string text;
    std::string says;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"{", "not JSON"},
           {"[]", "expected a JSON object"},
           {R"({"build":"b","ids":{}})", "\"version\" must be 1"},
           {R"({"version":1,"ids":{}})", "\"build\" must be"},
           {R"({"version":1,"build":"a/b","ids":{}})", "\"build\" must be"},
           {R"({"version":1,"build":"b"})", "\"ids\" must be an object"},
           {R"({"version":1,"build":"b","ids":{"a b":"x.ts:1:1"}})", "source id \"a b\""},
           {R"({"version":1,"build":"b","ids":{"k":"/abs/x.ts:1:1"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":"C:/x.ts:1:1"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":"src\\x.ts:1:1"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":"../x.ts:1:1"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":"src/x.ts:0:1"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":"src/x.ts:1"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":"return price * 2;"}})", "root-relative"},
           {R"({"version":1,"build":"b","ids":{"k":7}})", "root-relative"},
       }) {
    auto parsed = ParseBuildManifest(bad.text);
    ASSERT_FALSE(parsed) << bad.text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(parsed.error().message, HasSubstr(bad.says)) << bad.text;
    EXPECT_THAT(parsed.error().message, HasSubstr("build manifest: ")) << bad.text;
  }
}

class BuildManifestStoreTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    store_ = testing::OpenTestStore(dir_, StoreOptions{}, GetParam());
    ASSERT_TRUE(store_);
  }
  BuildManifest Manifest(std::string build,
                         std::vector<std::pair<std::string, std::string>> sources) {
    return BuildManifest{"shop", std::move(build), std::move(sources)};
  }
  std::optional<std::string> Find(std::string_view build, std::string_view id) {
    auto found = store_->FindBuildSource(build, id);
    EXPECT_TRUE(found) << found.error().message;
    return found ? *found : std::nullopt;
  }
  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(BuildManifestStoreTest, StoredPerBuildAndReplacedByAPushOfTheSameBuild) {
  EXPECT_EQ(Find("b1", "k1"), std::nullopt);
  ASSERT_TRUE(
      store_->PutBuildManifest(Manifest("b1", {{"k1", "src/a.ts:1:2"}, {"k2", "src/b.ts:3:4"}})));
  ASSERT_TRUE(store_->PutBuildManifest(Manifest("b2", {{"k1", "src/c.ts:5:6"}})));
  EXPECT_EQ(Find("b1", "k1"), "src/a.ts:1:2");
  EXPECT_EQ(Find("b1", "k2"), "src/b.ts:3:4");
  EXPECT_EQ(Find("b2", "k1"), "src/c.ts:5:6");
  EXPECT_EQ(Find("b2", "k2"), std::nullopt);
  ASSERT_TRUE(store_->PutBuildManifest(Manifest("b1", {{"k2", "src/b.ts:9:9"}})));
  EXPECT_EQ(Find("b1", "k1"), std::nullopt);
  EXPECT_EQ(Find("b1", "k2"), "src/b.ts:9:9");
  EXPECT_EQ(Find("b2", "k1"), "src/c.ts:5:6");
}

TEST_P(BuildManifestStoreTest, AnAnnotationFromABuildGetsFileAndLine) {
  ASSERT_TRUE(store_->PutBuildManifest(Manifest("b1", {{"k1", "src/components/Price.tsx:12:5"}})));
  auto payload =
      boost::json::parse(R"({"annotationText":"wrong price","componentFilePath":"","buildId":"b1",)"
                         R"("sourceId":"k1"})")
          .as_object();
  EXPECT_EQ(browser::ResolvePreviewSource(*store_, payload), "");
  EXPECT_EQ(payload.at("sourceLocation").as_string(), "src/components/Price.tsx:12:5");
  EXPECT_EQ(payload.at("componentFilePath").as_string(), "src/components/Price.tsx");

  auto session = store_->CreateSession("https://pr-12.preview.example.com/");
  ASSERT_TRUE(session);
  auto created = store_->CreateAnnotation(session->id, payload);
  ASSERT_TRUE(created) << created.error().message;
  auto json = ToJson(*created);
  EXPECT_EQ(json.at("sourceLocation").as_string(), "src/components/Price.tsx:12:5");
  EXPECT_EQ(json.at("buildId").as_string(), "b1");

  auto unknown =
      boost::json::parse(R"({"annotationText":"x","buildId":"b9","sourceId":"k1"})").as_object();
  EXPECT_THAT(browser::ResolvePreviewSource(*store_, unknown),
              HasSubstr("source id k1 of build b9, which no pushed manifest holds"));
  EXPECT_FALSE(unknown.contains("sourceLocation"));
  // An Angular template: the template's file, the class kept when the page knew it.
  ASSERT_TRUE(store_->PutBuildManifest(Manifest("b2", {{"t1", "src/app/promo/promo.html:2:3"}})));
  auto angular = boost::json::parse(R"({"annotationText":"x","buildId":"b2","sourceId":"t1",)"
                                    R"("componentFilePath":"src/app/promo/promo.ts"})")
                     .as_object();
  EXPECT_EQ(browser::ResolvePreviewSource(*store_, angular), "");
  EXPECT_EQ(angular.at("templateFilePath").as_string(), "src/app/promo/promo.html");
  EXPECT_EQ(angular.at("componentFilePath").as_string(), "src/app/promo/promo.ts");
  EXPECT_EQ(angular.at("sourceLocation").as_string(), "src/app/promo/promo.html:2:3");
  // Without a build id (a dev server's page) nothing is looked up.
  auto dev =
      boost::json::parse(R"({"annotationText":"x","sourceLocation":"src/a.ts:1:1"})").as_object();
  EXPECT_EQ(browser::ResolvePreviewSource(*store_, dev), "");
  EXPECT_EQ(dev.at("sourceLocation").as_string(), "src/a.ts:1:1");
}

INSTANTIATE_TEST_SUITE_P(Backends, BuildManifestStoreTest,
                         ::testing::ValuesIn(testing::TestBackends()), testing::BackendName);

}  // namespace
}  // namespace nga
