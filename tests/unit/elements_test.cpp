// Several elements, or an area (issue 18, store/elements.h): the bounds of
// `elements` and `region` as ValidateAnnotationPayload applies them, and both
// store backends keeping them.
#include "store/elements.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "store/validate.h"
#include "test_util.h"

namespace nga {
namespace {

namespace json = boost::json;
using testing::Payload;

json::object Element(std::string name) {
  return json::object{
      {"componentName", name},
      {"componentFilePath", "src/components/" + name + ".tsx"},
      {"selector", "section." + name},
      {"sourceLocation", "src/components/" + name + ".tsx:4:5"},
      {"inputs", json::object{{"title", "Lamp"}}},
      {"domSnapshot", "<section>" + name + "</section>"},
      {"componentTreePath", json::array{"App", "ProductList"}},
      {"boundingBox", json::object{{"x", 1}, {"y", 2}, {"width", 3}, {"height", 4}}}};
}

json::object WithElements(json::array elements) {
  json::object payload = Payload();
  payload["elements"] = std::move(elements);
  return payload;
}

TEST(Elements, KeptWithTheirOwnContextAndUnknownKeysDropped) {
  json::object second = Element("PriceTag");
  second["evil"] = "dropped";
  auto out = ValidateAnnotationPayload(WithElements({Element("UserCard"), second}));
  ASSERT_TRUE(out) << out.error().message;
  const json::array& kept = out->at("elements").as_array();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[1].at("componentName").as_string(), "PriceTag");
  EXPECT_EQ(kept[1].at("sourceLocation").as_string(), "src/components/PriceTag.tsx:4:5");
  EXPECT_EQ(kept[1].at("inputs").at("title").as_string(), "Lamp");
  EXPECT_FALSE(kept[1].as_object().contains("evil"));
  // The first element stays in the top-level fields, untouched.
  EXPECT_EQ(out->at("componentName").as_string(), "ButtonComponent");
}

TEST(Elements, EmptyStringsWhereTheOverlayKnewNothing) {
  auto out = ValidateAnnotationPayload(WithElements({json::object{}}));
  ASSERT_TRUE(out) << out.error().message;
  const json::object& e = out->at("elements").at(0).as_object();
  EXPECT_EQ(e.at("componentName").as_string(), "");
  EXPECT_EQ(e.at("selector").as_string(), "");
  EXPECT_TRUE(e.at("inputs").as_object().empty());
  EXPECT_TRUE(e.at("componentTreePath").as_array().empty());
  // An empty list is no list.
  auto none = ValidateAnnotationPayload(WithElements({}));
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->contains("elements"));
}

TEST(Elements, AtMostTwentyBesidesTheFirst) {
  json::array twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back(Element("C" + std::to_string(i)));
  EXPECT_TRUE(ValidateAnnotationPayload(WithElements(twenty)));
  twenty.push_back(Element("OneTooMany"));
  auto refused = ValidateAnnotationPayload(WithElements(twenty));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(refused.error().message.find("the limit is 20"), std::string::npos)
      << refused.error().message;
}

TEST(Elements, DomSnapshotIsCutNotRefused) {
  json::object e = Element("Big");
  e["domSnapshot"] = std::string(limits::kElementDomSnapshotChars + 500, 'x');
  auto out = ValidateAnnotationPayload(WithElements({e}));
  ASSERT_TRUE(out) << out.error().message;
  std::string_view snapshot = out->at("elements").at(0).at("domSnapshot").as_string();
  EXPECT_EQ(snapshot.size(), limits::kElementDomSnapshotChars + limits::kTruncatedMarker.size());
  EXPECT_TRUE(snapshot.ends_with(limits::kTruncatedMarker));
}

TEST(Elements, EachInputsAndAllTogetherAreBounded) {
  json::object heavy = Element("Heavy");
  heavy["inputs"] = json::object{{"blob", std::string(limits::kElementInputsBytes, 'i')}};
  auto one = ValidateAnnotationPayload(WithElements({heavy}));
  ASSERT_FALSE(one);
  EXPECT_EQ(one.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(one.error().message.find("elements[0].inputs"), std::string::npos);

  // Twenty elements each within its own bounds, over the bound of all of them.
  json::array many;
  for (int i = 0; i < 20; ++i) {
    json::object e = Element("C" + std::to_string(i));
    e["inputs"] = json::object{{"blob", std::string(limits::kElementInputsBytes - 64, 'i')}};
    many.push_back(e);
  }
  auto all = ValidateElements(many);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::kLimitExceeded);
  EXPECT_NE(all.error().message.find("elements add up to"), std::string::npos);
}

TEST(Elements, WrongShapesAreClearErrors) {
  for (json::value bad : {json::value("UserCard"), json::value(json::array{"UserCard"}),
                          json::value(json::array{json::object{{"componentName", 5}}}),
                          json::value(json::array{json::object{{"inputs", "x"}}}),
                          json::value(json::array{json::object{{"componentTreePath", "App"}}}),
                          json::value(json::array{json::object{{"anchor", 7}}})}) {
    json::object payload = Payload();
    payload["elements"] = bad;
    auto out = ValidateAnnotationPayload(payload);
    ASSERT_FALSE(out) << json::serialize(bad);
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument) << out.error().message;
    EXPECT_NE(out.error().message.find("elements"), std::string::npos) << out.error().message;
  }
}

TEST(Region, FourFiniteNumbersWithPositiveSides) {
  json::object payload = Payload();
  payload["region"] =
      json::object{{"x", 10.5}, {"y", 20}, {"width", 300}, {"height", 200}, {"z", 1}};
  auto out = ValidateAnnotationPayload(payload);
  ASSERT_TRUE(out) << out.error().message;
  const json::object& region = out->at("region").as_object();
  EXPECT_EQ(region.size(), 4u);  // z dropped
  EXPECT_EQ(region.at("x").to_number<double>(), 10.5);
  EXPECT_EQ(region.at("height").to_number<double>(), 200);
  for (json::value bad :
       {json::value("10,20"),
        json::value(json::object{{"x", 0}, {"y", 0}, {"width", 0}, {"height", 5}}),
        json::value(json::object{{"x", 0}, {"y", 0}, {"width", 5}}),
        json::value(json::object{{"x", 2e6}, {"y", 0}, {"width", 5}, {"height", 5}}),
        json::value(json::object{{"x", "0"}, {"y", 0}, {"width", 5}, {"height", 5}})}) {
    payload["region"] = bad;
    auto refused = ValidateAnnotationPayload(payload);
    ASSERT_FALSE(refused) << json::serialize(bad);
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(refused.error().message.find("region"), std::string::npos);
  }
}

// Both backends keep what was validated; the browser's frames and lists
// (ToListJson) leave the elements out, the region in.
class ElementsStoreTest : public ::testing::TestWithParam<testing::Backend> {};

TEST_P(ElementsStoreTest, StoredAndReadBack) {
  testing::TempDir dir;
  auto store = testing::OpenTestStore(dir, {}, GetParam());
  ASSERT_TRUE(store);
  auto session = store->CreateSession("http://localhost:5173/");
  ASSERT_TRUE(session) << session.error().message;
  json::object payload = WithElements({Element("PriceTag"), Element("UserCard")});
  payload["region"] = json::object{{"x", 4}, {"y", 8}, {"width", 320}, {"height", 240}};
  auto created = store->CreateAnnotation(session->id, payload);
  ASSERT_TRUE(created) << created.error().message;

  auto read = store->GetAnnotation(created->id);
  ASSERT_TRUE(read) << read.error().message;
  const json::array& elements = read->request.at("elements").as_array();
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[0].at("componentName").as_string(), "PriceTag");
  EXPECT_EQ(elements[1].at("componentFilePath").as_string(), "src/components/UserCard.tsx");
  EXPECT_EQ(read->request.at("region").at("width").to_number<double>(), 320);

  AnnotationFilter filter;
  filter.session_id = session->id;
  auto listed = store->ListAnnotations(filter);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  json::object frame = ToListJson(listed->front());
  EXPECT_FALSE(frame.contains("elements"));
  EXPECT_TRUE(frame.contains("region"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ElementsStoreTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

}  // namespace
}  // namespace nga
