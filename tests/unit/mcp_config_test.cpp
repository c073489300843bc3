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

TEST(McpConfig, CodexIsNotJson) {
  EXPECT_FALSE(MergeMcpConfig(std::nullopt, McpClient::kCodex, kEntry));
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

TEST(McpConfig, AFileThatAlreadySaysSoIsLeftAsItIsLaidOut) {
  // What Prettier makes of `ng add`'s .mcp.json: the same config, other layout.
  std::string prettier =
      "{\n  \"mcpServers\": {\n    \"ng-annotate\": {\n      \"command\": \"npx\",\n"
      "      \"args\": [\"ng-annotate\", \"mcp\", \"--root\", \".\"]\n    }\n  }\n}\n";
  const McpServerEntry npx{"npx", {"ng-annotate", "mcp", "--root", "."}};
  auto merged = MergeMcpConfig(prettier, McpClient::kClaude, npx);
  ASSERT_TRUE(merged);
  EXPECT_EQ(*merged, prettier);
  // A different entry is still written (in init's own layout).
  auto other = MergeMcpConfig(prettier, McpClient::kClaude, kEntry);
  ASSERT_TRUE(other);
  EXPECT_NE(*other, prettier);
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

TEST(McpConfig, GeminiUsesMcpServersInItsSettingsFile) {
  std::string existing = R"({"theme": "GitHub", "mcpServers": {"db": {"command": "db-mcp"}}})";
  auto config = Parse(MergeMcpConfig(existing, McpClient::kGemini, kEntry));
  EXPECT_EQ(config.at("theme"), "GitHub");
  EXPECT_EQ(config.at("mcpServers").at("db").at("command"), "db-mcp");
  EXPECT_EQ(config.at("mcpServers").at("ng-annotate").at("args"),
            (json::array{"mcp", "--root", "/home/dev/shop"}));
  EXPECT_EQ(McpConfigPath(McpClient::kGemini), ".gemini/settings.json");
  auto once = MergeMcpConfig(existing, McpClient::kGemini, kEntry);
  EXPECT_EQ(*MergeMcpConfig(*once, McpClient::kGemini, kEntry), *once);
}

TEST(McpConfig, EntryIsNpxWithARelativeRootWhenThePackageIsInstalled) {
  auto claude =
      EntryFor(McpClient::kClaude, true, "/abs/ng-annotate", "/home/dev/shop", HostOs::kPosix);
  EXPECT_EQ(claude.command, "npx");
  EXPECT_EQ(claude.args, (std::vector<std::string>{"ng-annotate", "mcp", "--root", "."}));
  EXPECT_EQ(EntryFor(McpClient::kGemini, true, "/b", "/r", HostOs::kPosix).args.back(), ".");
  EXPECT_EQ(EntryFor(McpClient::kVsCode, true, "/b", "/r", HostOs::kPosix).args.back(),
            "${workspaceFolder}");
  EXPECT_EQ(EntryFor(McpClient::kCursor, true, "/b", "/r", HostOs::kPosix).args.back(),
            "${workspaceFolder}");
  // In a monorepo the config sits at the git root and names the app below it.
  EXPECT_EQ(EntryFor(McpClient::kClaude, true, "/b", "/r/apps/web", "apps/web", HostOs::kPosix)
                .args.back(),
            "apps/web");
  EXPECT_EQ(EntryFor(McpClient::kVsCode, true, "/b", "/r/apps/web", "apps/web", HostOs::kPosix)
                .args.back(),
            "${workspaceFolder}/apps/web");
  EXPECT_EQ(EntryFor(McpClient::kClaude, false, "/b", "/r/apps/web", "apps/web", HostOs::kPosix)
                .args.back(),
            "/r/apps/web");
  // Without the package, or in a user-level config: absolute paths.
  auto plain =
      EntryFor(McpClient::kClaude, false, "/abs/ng-annotate", "/home/dev/shop", HostOs::kPosix);
  EXPECT_EQ(plain.command, "/abs/ng-annotate");
  EXPECT_EQ(plain.args, (std::vector<std::string>{"mcp", "--root", "/home/dev/shop"}));
  auto codex =
      EntryFor(McpClient::kCodex, true, "/abs/ng-annotate", "/home/dev/shop", HostOs::kPosix);
  EXPECT_EQ(codex.command, "/abs/ng-annotate");
  EXPECT_TRUE(IsUserLevel(McpClient::kCodex));
  EXPECT_FALSE(IsUserLevel(McpClient::kClaude));
}

// On Windows npx is a .cmd script the clients cannot start without a shell.
TEST(McpConfig, OnWindowsNpxRunsThroughCmd) {
  struct Case {
    McpClient client;
    const char* root;
  };
  for (const Case& c : {Case{McpClient::kClaude, "."}, Case{McpClient::kGemini, "."},
                        Case{McpClient::kVsCode, "${workspaceFolder}"},
                        Case{McpClient::kCursor, "${workspaceFolder}"}}) {
    auto entry =
        EntryFor(c.client, true, "C:/tools/ng-annotate.exe", "C:/dev/shop", HostOs::kWindows);
    EXPECT_EQ(entry.command, "cmd") << McpClientName(c.client);
    EXPECT_EQ(entry.args,
              (std::vector<std::string>{"/c", "npx", "ng-annotate", "mcp", "--root", c.root}))
        << McpClientName(c.client);
  }
  // The .exe itself starts without a shell.
  auto plain = EntryFor(McpClient::kClaude, false, "C:/tools/ng-annotate.exe", "C:/dev/shop",
                        HostOs::kWindows);
  EXPECT_EQ(plain.command, "C:/tools/ng-annotate.exe");
  auto codex = EntryFor(McpClient::kCodex, true, "C:/tools/ng-annotate.exe", "C:/dev/shop",
                        HostOs::kWindows);
  EXPECT_EQ(codex.command, "C:/tools/ng-annotate.exe");
}

TEST(CodexConfig, HomeFromCodexHomeThenHome) {
  EXPECT_EQ(CodexHome("/c", "/h"), std::filesystem::path("/c"));
  EXPECT_EQ(CodexHome(nullptr, "/h"), std::filesystem::path("/h/.codex"));
  EXPECT_EQ(CodexHome("", "/h"), std::filesystem::path("/h/.codex"));
  EXPECT_FALSE(CodexHome(nullptr, nullptr));
}

TEST(CodexConfig, NewFileHoldsTheTable) {
  auto text = MergeCodexConfig(std::nullopt, kEntry);
  ASSERT_TRUE(text) << text.error().message;
  EXPECT_EQ(*text,
            "[mcp_servers.ng-annotate]\n"
            "command = \"/usr/local/bin/ng-annotate\"\n"
            "args = [\"mcp\", \"--root\", \"/home/dev/shop\"]\n");
}

TEST(CodexConfig, MergeKeepsEveryOtherLineAndIsIdempotent) {
  std::string existing =
      "# my settings\n"
      "model = \"o3\"\n"
      "\n"
      "[mcp_servers.github]\n"
      "command = \"gh-mcp\"\n"
      "args = [\"serve\"]\n"
      "\n"
      "[profiles.fast]\n"
      "model = \"mini\"";
  auto once = MergeCodexConfig(existing, kEntry);
  ASSERT_TRUE(once) << once.error().message;
  EXPECT_EQ(*once, existing +
                       "\n\n[mcp_servers.ng-annotate]\n"
                       "command = \"/usr/local/bin/ng-annotate\"\n"
                       "args = [\"mcp\", \"--root\", \"/home/dev/shop\"]\n");
  auto twice = MergeCodexConfig(*once, kEntry);
  ASSERT_TRUE(twice);
  EXPECT_EQ(*twice, *once);
}

TEST(CodexConfig, ReplacesOurCommandAndArgsAndKeepsTheRestOfOurTable) {
  std::string existing =
      "[mcp_servers.\"ng-annotate\"]  # ours\n"
      "command = 'old'\n"
      "args = [\n"
      "  \"mcp\",\n"
      "  \"--root\", \"/old\",\n"
      "]\n"
      "startup_timeout_sec = 20\n"
      "\n"
      "[mcp_servers.ng-annotate.env]\n"
      "DEBUG = \"1\"\n"
      "[other]\n"
      "command = \"untouched\"\n";
  auto merged = MergeCodexConfig(existing, {"/new/ng \"a\"", {"mcp"}});
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(*merged,
            "[mcp_servers.\"ng-annotate\"]  # ours\n"
            "command = \"/new/ng \\\"a\\\"\"\n"
            "args = [\"mcp\"]\n"
            "startup_timeout_sec = 20\n"
            "\n"
            "[mcp_servers.ng-annotate.env]\n"
            "DEBUG = \"1\"\n"
            "[other]\n"
            "command = \"untouched\"\n");
  EXPECT_EQ(*MergeCodexConfig(*merged, {"/new/ng \"a\"", {"mcp"}}), *merged);
}

TEST(CodexConfig, RefusesFormsItDoesNotRewrite) {
  EXPECT_FALSE(
      MergeCodexConfig(std::string("[mcp_servers]\nng-annotate = { command = \"x\" }\n"), kEntry));
  EXPECT_FALSE(MergeCodexConfig(std::string("mcp_servers.ng-annotate.command = \"x\"\n"), kEntry));
  auto twice = MergeCodexConfig(
      std::string("[mcp_servers.ng-annotate]\ncommand = \"a\"\n[mcp_servers.ng-annotate]\n"),
      kEntry);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
  // Another server written inline is fine.
  EXPECT_TRUE(
      MergeCodexConfig(std::string("[mcp_servers]\ngithub = { command = \"gh\" }\n"), kEntry));
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

namespace nga::cli {
namespace {

// init --team (issue 20): a remote /mcp whose token the agent reads from its
// environment, in each client's own syntax; no token in the file.
TEST(TeamInit, RemoteEntriesNameTheTokenVariableNotTheToken) {
  const std::string url = "https://annotate.example.com/mcp";
  struct Case {
    McpClient client;
    const char* map;
    const char* header;
    bool typed;
  };
  for (const Case& c :
       {Case{McpClient::kClaude, "mcpServers", "Bearer ${NG_ANNOTATE_TOKEN}", true},
        Case{McpClient::kVsCode, "servers", "Bearer ${env:NG_ANNOTATE_TOKEN}", true},
        Case{McpClient::kCursor, "mcpServers", "Bearer ${env:NG_ANNOTATE_TOKEN}", false}}) {
    auto text = MergeRemoteMcpConfig(std::string(R"({"mcpServers":{"other":{"command":"x"}},
                                                     "servers":{"other":{"command":"x"}}})"),
                                     c.client, url);
    ASSERT_TRUE(text) << text.error().message;
    auto config = boost::json::parse(*text).as_object();
    const auto& entry = config.at(c.map).at("ng-annotate").as_object();
    EXPECT_EQ(entry.at("url").as_string(), url);
    EXPECT_EQ(entry.at("headers").at("Authorization"), c.header) << McpClientName(c.client);
    EXPECT_EQ(entry.contains("type"), c.typed);
    if (c.typed) EXPECT_EQ(entry.at("type"), "http");
    EXPECT_TRUE(config.at(c.map).as_object().contains("other"));  // kept
    EXPECT_EQ(text->find("nga_"), std::string::npos);
  }
  auto gemini = MergeRemoteMcpConfig(std::nullopt, McpClient::kGemini, url);
  ASSERT_FALSE(gemini);
  EXPECT_NE(gemini.error().message.find("by hand"), std::string::npos);
}

}  // namespace
}  // namespace nga::cli
