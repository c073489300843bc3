// A real store on a temp dir, its change feed on an io_context run by the
// test, and one McpSession over them; plus a second store connection that
// plays "another process" (its writes reach the feed only through inotify).
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mcp/services.h"
#include "mcp/session.h"
#include "store/change_feed.h"
#include "test_util.h"

namespace nga::testing {

namespace json = boost::json;

// A reply that may come later: filled when the session answers.
struct Pending {
  bool answered = false;
  std::optional<json::value> response;
};

class McpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.clock = clock.AsClock();
    store = OpenTestStore(dir, options);
    other = OpenTestStore(dir);
    ASSERT_TRUE(store && other);
    auto started = ChangeFeed::Start(io.get_executor(), *store);
    ASSERT_TRUE(started) << started.error().message;
    feed = *started;
    services = std::make_unique<mcp::Services>(mcp::Services{*store, *feed, io.get_executor()});
    session = mcp::McpSession::Create(
        *services, [this](json::object notification) { notifications.push_back(notification); });
  }

  void TearDown() override {
    session->Close();
    feed->Stop();
  }

  // Sends a message; returns the Pending its reply fills (maybe at once).
  std::shared_ptr<Pending> Start(json::value message) {
    auto pending = std::make_shared<Pending>();
    session->Handle(std::move(message), [pending](std::optional<json::value> response) {
      EXPECT_FALSE(pending->answered) << "replied twice";
      pending->answered = true;
      pending->response = std::move(response);
    });
    return pending;
  }

  // Sends a message that must be answered at once; returns the response.
  json::value Send(json::value message) {
    auto pending = Start(std::move(message));
    EXPECT_TRUE(pending->answered) << "no immediate reply";
    EXPECT_TRUE(pending->response.has_value()) << "replied with nothing";
    return pending->response.value_or(nullptr);
  }

  static json::object Request(json::value id, std::string method, json::object params = {}) {
    return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  }

  // tools/call request.
  static json::object ToolRequest(json::value id, std::string name, json::object args = {}) {
    return Request(id, "tools/call", json::object{{"name", name}, {"arguments", args}});
  }

  // Calls a tool that answers at once; returns the CallToolResult.
  json::object Call(std::string name, json::object args = {}) {
    json::value response = Send(ToolRequest(next_id_++, std::move(name), std::move(args)));
    return ResultOf(response);
  }

  static json::object ResultOf(const json::value& response) {
    const json::value* result =
        response.is_object() ? response.get_object().if_contains("result") : nullptr;
    EXPECT_TRUE(result && result->is_object()) << json::serialize(response);
    return result && result->is_object() ? result->get_object() : json::object{};
  }

  // The structuredContent of a successful tool result (checked against its text).
  static json::object Value(const json::object& tool_result) {
    EXPECT_FALSE(tool_result.at("isError").as_bool()) << json::serialize(tool_result);
    const json::object& value = tool_result.at("structuredContent").as_object();
    std::string_view text = tool_result.at("content").at(0).at("text").as_string();
    EXPECT_EQ(json::parse(text), json::value(value));
    return value;
  }

  // The text of a failed tool result.
  static std::string ErrorText(const json::object& tool_result) {
    EXPECT_TRUE(tool_result.at("isError").as_bool()) << json::serialize(tool_result);
    return std::string(tool_result.at("content").at(0).at("text").as_string());
  }

  static int ErrorCode(const json::value& response) {
    return static_cast<int>(response.at("error").at("code").as_int64());
  }

  // Runs the event loop until pred() holds; false if `limit` passes first.
  bool RunUntil(const std::function<bool()>& pred,
                std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      if (io.stopped()) io.restart();
      io.run_one_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  Session NewSession(Store& s) {
    auto created = s.CreateSession("http://localhost:4200/");
    EXPECT_TRUE(created);
    return *created;
  }
  Annotation NewAnnotation(Store& s, const std::string& session_id,
                           std::string text = "make this button primary") {
    auto created = s.CreateAnnotation(session_id, Payload(std::move(text)));
    EXPECT_TRUE(created) << (created ? "" : created.error().message);
    return *created;
  }

  TempDir dir;
  FakeClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<Store> other;
  boost::asio::io_context io;
  std::shared_ptr<ChangeFeed> feed;
  std::unique_ptr<mcp::Services> services;
  std::shared_ptr<mcp::McpSession> session;
  std::vector<json::object> notifications;
  int next_id_ = 1000;
};

}  // namespace nga::testing
