#include "cli/mcp_config.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "util/json_pretty.h"

namespace nga::cli {
namespace {

namespace json = boost::json;

const McpServerEntry kEntry{"/usr/local/bin/ng-annotate", {"mcp", "--root", "/home/dev/shop"}};

json::value Parse(const Result<std::string>& text) {
  EXPECT_TRUE(text) << text.error().message;
  return text ? json::parse(*text) : json::value{};
}

TEST(McpConfig, NewClaudeFile) {
  auto config = Parse(MergeMcpConfig(std::nullopt, McpClient::kClaude, kEntry));
  const auto& server = config.at("mcpServers").at("ng-annotate");
  EXPECT_EQ(server.at("command").as_string(), "/usr/local/bin/ng-annotate");
  EXPECT_EQ(server.at("args"), (json::array{"mcp", "--root", "/home/dev/shop"}));
  EXPECT_FALSE(server.as_object().contains("type"));
}

TEST(McpConfig, VsCodeUsesServersAndStdioType) {
  auto config = Parse(MergeMcpConfig(std::string(""), McpClient::kVsCode, kEntry));
  EXPECT_EQ(config.at("servers").at("ng-annotate").at("type"), "stdio");
  EXPECT_FALSE(config.as_object().contains("mcpServers"));
}

TEST(McpConfig, KeepsOtherServersAndKeys) {
  std::string existing = R"({"mcpServers": {"github": {"command": "gh-mcp", "args": []},
                              "ng-annotate": {"command": "/old/path"}},
                             "inputs": [1, 2]})";
  auto config = Parse(MergeMcpConfig(existing, McpClient::kCursor, kEntry));
  EXPECT_EQ(config.at("mcpServers").at("github").at("command"), "gh-mcp");
  EXPECT_EQ(config.at("mcpServers").at("ng-annotate").at("command").as_string(), kEntry.command);
  EXPECT_EQ(config.at("inputs"), (json::array{1, 2}));
}

TEST(McpConfig, MergingTwiceChangesNothing) {
  auto once = MergeMcpConfig(std::nullopt, McpClient::kClaude, kEntry);
  ASSERT_TRUE(once);
  auto twice = MergeMcpConfig(*once, McpClient::kClaude, kEntry);
  ASSERT_TRUE(twice);
  EXPECT_EQ(*once, *twice);
}

TEST(McpConfig, RefusesWhatItCannotMergeWithoutClobbering) {
  auto broken = MergeMcpConfig(std::string("{not json"), McpClient::kClaude, kEntry);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find(".mcp.json is not a JSON object"), std::string::npos);
  EXPECT_FALSE(MergeMcpConfig(std::string("[1]"), McpClient::kClaude, kEntry));
  auto bad_map = MergeMcpConfig(std::string(R"({"mcpServers": 3})"), McpClient::kClaude, kEntry);
  ASSERT_FALSE(bad_map);
  EXPECT_NE(bad_map.error().message.find("mcpServers"), std::string::npos);
}

TEST(Gitignore, AddsTheStoreOnce) {
  EXPECT_EQ(WithGitignoreEntry(std::nullopt), "# ng-annotate's local store\n.ng-annotate/\n");
  std::string with = WithGitignoreEntry(std::string("node_modules/"));
  EXPECT_EQ(with, "node_modules/\n# ng-annotate's local store\n.ng-annotate/\n");
  EXPECT_EQ(WithGitignoreEntry(with), with);
  EXPECT_EQ(WithGitignoreEntry(std::string("dist\n/.ng-annotate\n")), "dist\n/.ng-annotate\n");
  // A line that merely mentions it does not count.
  EXPECT_NE(WithGitignoreEntry(std::string("# .ng-annotate/ later\n")), "# .ng-annotate/ later\n");
}

TEST(PrettyJson, IndentsAndKeepsKeyOrder) {
  auto value = json::parse(R"({"b": 1, "a": {"x": [1, "y"], "e": {}, "f": []}})");
  EXPECT_EQ(PrettyJson(value),
            "{\n  \"b\": 1,\n  \"a\": {\n    \"x\": [\n      1,\n      \"y\"\n    ],\n"
            "    \"e\": {},\n    \"f\": []\n  }\n}\n");
}

}  // namespace
}  // namespace nga::cli
