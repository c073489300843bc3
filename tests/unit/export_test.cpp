#include "store/export.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>

#include "store/root.h"
#include "store/validate.h"
#include "test_util.h"

namespace nga {
namespace {

using testing::Payload;
using testing::TempDir;

TEST(Export, RoundTripKeepsEveryField) {
  TempDir a_dir, b_dir;
  auto a = testing::OpenTestStore(a_dir);
  auto session = a->CreateSession("http://localhost:4200/cart");
  ASSERT_TRUE(a->ToggleYolo(session->id));
  auto payload = Payload();
  payload["inputs"] = boost::json::object{{"label", "Buy"}, {"count", 3}};
  payload["componentTreePath"] = boost::json::array{"AppComponent", "CartComponent"};
  payload["templateFilePath"] = "src/app/button.component.html";
  payload["selectionText"] = "Buy";
  payload["domSnapshot"] = std::string(6000, 'd');
  payload["boundingBox"] = boost::json::object{{"x", 1}, {"y", 2}, {"width", 3}, {"height", 4}};
  payload["pageUrl"] = "http://localhost:4200/cart";
  auto annotation = a->CreateAnnotation(session->id, payload);
  ASSERT_TRUE(annotation);
  ASSERT_TRUE(a->Acknowledge(annotation->id, "looking"));
  ASSERT_TRUE(a->ProposeDiff(annotation->id, "--- a\n+++ b\n"));
  ASSERT_TRUE(a->RespondToDiff(annotation->id, DiffResponse::kApproved, std::nullopt));
  ASSERT_TRUE(a->RecordAgentHeartbeat());
  ASSERT_TRUE(a->CreateAnnotation(session->id, Payload("second")));

  auto exported = ExportStore(*a);
  ASSERT_TRUE(exported);
  // Through text, as the CLI does.
  auto document = boost::json::parse(boost::json::serialize(*exported));
  auto b = testing::OpenTestStore(b_dir);
  auto counts = ImportStore(*b, document);
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(counts->sessions, 1u);
  EXPECT_EQ(counts->annotations, 2u);
  auto again = ExportStore(*b);
  ASSERT_TRUE(again);
  EXPECT_EQ(boost::json::serialize(*again), boost::json::serialize(*exported));

  const auto& stored = again->at("annotations").at(annotation->id).as_object();
  EXPECT_EQ(stored.at("diffResponse"), "approved");
  EXPECT_EQ(stored.at("replies").as_array().size(), 1u);
  EXPECT_TRUE(stored.at("domSnapshot").as_string().ends_with(limits::kTruncatedMarker));
}

TEST(Export, ImportIsAllOrNothing) {
  TempDir dir;
  auto store = testing::OpenTestStore(dir);
  auto document = boost::json::parse(R"({
    "sessions": {"s1": {"id": "s1", "createdAt": "2025-01-01T00:00:00.000Z",
                        "lastSeenAt": "2025-01-01T00:00:00.000Z", "active": false,
                        "url": "u", "yoloMode": false}},
    "annotations": {
      "a1": {"id": "a1", "sessionId": "s1", "createdAt": "2025-01-01T00:00:01.000Z",
             "status": "pending", "annotationText": "fine", "replies": []},
      "a2": {"id": "a2", "sessionId": "s1", "createdAt": "2025-01-01T00:00:02.000Z",
             "status": "exploded", "annotationText": "bad status", "replies": []}
    }})");
  auto counts = ImportStore(*store, document);
  ASSERT_FALSE(counts);
  EXPECT_NE(counts.error().message.find("status"), std::string::npos);
  EXPECT_TRUE(store->ListSessions()->empty());
  EXPECT_TRUE(store->ListAnnotations({})->empty());

  EXPECT_FALSE(ImportStore(*store, boost::json::parse("[1,2]")));
  auto orphan = boost::json::parse(R"({"annotations": {"a": {"id": "a", "sessionId": "nope",
      "createdAt": "2025-01-01T00:00:01.000Z", "status": "pending", "annotationText": "x"}}})");
  auto orphan_result = ImportStore(*store, orphan);
  ASSERT_FALSE(orphan_result);
  EXPECT_EQ(orphan_result.error().code, ErrorCode::kNotFound);
}

TEST(Root, FlagThenEnvThenGitThenCwd) {
  TempDir dir;
  auto repo = dir.path() / "repo";
  auto nested = repo / "src" / "app";
  std::filesystem::create_directories(nested);
  std::filesystem::create_directories(repo / ".git");
  // Absolute as the platform spells it: on Windows a path with a root but no
  // drive takes the drive of the directory it is resolved in (C:\flag\root).
  EXPECT_EQ(ResolveRoot("/flag/root", "/env/root", nested), nested / "/flag/root");
  EXPECT_EQ(ResolveRoot(std::nullopt, "/env/root", nested), nested / "/env/root");
  EXPECT_EQ(ResolveRoot("rel", std::nullopt, nested), nested / "rel");
  EXPECT_EQ(ResolveRoot(std::nullopt, std::nullopt, nested), repo);
  auto outside = dir.path() / "plain";
  std::filesystem::create_directories(outside);
  // No .git above /tmp/...: the working directory itself.
  EXPECT_EQ(ResolveRoot(std::nullopt, std::nullopt, outside), outside);
}

TEST(Root, WithoutGitTheNearestPackageOrAngularWorkspace) {
  TempDir dir;
  auto app = dir.path() / "shop";
  auto nested = app / "src" / "app";
  std::filesystem::create_directories(nested);
  std::ofstream(app / "package.json") << "{}";
  RootChoice choice = ChooseRoot(std::nullopt, std::nullopt, nested);
  EXPECT_EQ(choice.root, app);
  EXPECT_EQ(choice.source, RootSource::kPackage);
  EXPECT_EQ(DescribeRootChoice(choice), "the nearest directory holding package.json");
  // An Angular workspace nearer than a package.json further up.
  auto workspace = nested / "ws";
  std::filesystem::create_directories(workspace / "projects");
  std::ofstream(workspace / "angular.json") << "{}";
  EXPECT_EQ(ChooseRoot(std::nullopt, std::nullopt, workspace / "projects").root, workspace);
  EXPECT_EQ(ChooseRoot(std::nullopt, std::nullopt, workspace / "projects").marker, "angular.json");
  // .git anywhere above wins over a nearer package.json (SPEC 3's order).
  std::filesystem::create_directories(dir.path() / ".git");
  choice = ChooseRoot(std::nullopt, std::nullopt, nested);
  EXPECT_EQ(choice.root, dir.path());
  EXPECT_EQ(choice.source, RootSource::kGit);
  EXPECT_EQ(ChooseRoot("x", std::nullopt, nested).source, RootSource::kFlag);
  EXPECT_EQ(DescribeRootChoice(ChooseRoot(std::nullopt, "/e", nested)),
            "from NG_ANNOTATE_PROJECT_ROOT");
}

TEST(Root, RelativePathsUseForwardSlashes) {
  EXPECT_EQ(RelativeToRoot("/p", "/p/src/app/x.ts"), "src/app/x.ts");
  EXPECT_EQ(RelativeToRoot("/p", "/elsewhere/x.ts"), "/elsewhere/x.ts");
}

}  // namespace
}  // namespace nga
