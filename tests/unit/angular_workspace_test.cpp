#include "cli/angular_workspace.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "cli/json_spans.h"
#include "cli/project_kind.h"

namespace nga::cli {
namespace {

namespace json = boost::json;

// A workspace the way the Angular CLI writes one (JSON.stringify, 2 spaces).
const std::string kWorkspace = R"({
  "version": 1,
  "projects": {
    "shop": {
      "architect": {
        "build": {
          "builder": "@angular/build:application",
          "options": {
            "browser": "src/main.ts"
          }
        },
        "serve": {
          "builder": "@angular/build:dev-server",
          "options": {
            "port": 4300,
            "allowedHosts": [
              "shop.local"
            ]
          },
          "configurations": {
            "development": {
              "buildTarget": "shop:build:development"
            }
          },
          "defaultConfiguration": "development"
        }
      }
    },
    "old": {
      "architect": {
        "build": {
          "builder": "@angular-devkit/build-angular:application"
        },
        "serve": {
          "builder": "@angular-devkit/build-angular:dev-server",
          "options": {
            "buildTarget": "old:build"
          }
        }
      }
    },
    "webpack": {
      "architect": {
        "build": {
          "builder": "@angular-builders/custom-webpack:browser"
        },
        "serve": {
          "builder": "@angular-devkit/build-angular:dev-server"
        }
      }
    },
    "lib": {
      "architect": {
        "build": {
          "builder": "@angular/build:ng-packagr"
        }
      }
    }
  }
}
)";

const json::value& Serve(const json::value& workspace, const char* project) {
  return workspace.at("projects").at(project).at("architect").at("serve");
}

// The lines of b that differ from a's at the same position.
int ChangedLines(const std::string& a, const std::string& b) {
  auto split = [](const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    for (char c : text) {
      if (c == '\n') {
        lines.push_back(line);
        line.clear();
      } else {
        line += c;
      }
    }
    return lines;
  };
  auto la = split(a), lb = split(b);
  EXPECT_EQ(la.size(), lb.size());
  int changed = 0;
  for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i) changed += la[i] != lb[i];
  return changed;
}

TEST(AngularWorkspace, SwitchesEsbuildDevServersAndKeepsEveryOption) {
  auto edit = SwitchServeBuilders(kWorkspace, std::nullopt);
  ASSERT_TRUE(edit) << edit.error().message;
  EXPECT_TRUE(edit->changed());
  auto after = json::parse(edit->text);
  auto before = json::parse(kWorkspace);
  for (const char* project : {"shop", "old"}) {
    EXPECT_EQ(Serve(after, project).at("builder"), kNgAnnotateDevServer);
    json::object serve_after = Serve(after, project).as_object();
    json::object serve_before = Serve(before, project).as_object();
    serve_after.erase("builder");
    serve_before.erase("builder");
    EXPECT_EQ(serve_after, serve_before) << project;
  }
  EXPECT_EQ(Serve(after, "webpack").at("builder"), "@angular-devkit/build-angular:dev-server");
  // Exactly the two builder lines differ: the rest is written as the CLI writes it.
  EXPECT_EQ(ChangedLines(kWorkspace, edit->text), 2);
  ASSERT_EQ(edit->skipped.size(), 1u);
  EXPECT_EQ(edit->skipped[0].project, "webpack");
  EXPECT_NE(edit->skipped[0].reason.find(":browser"), std::string::npos);
}

TEST(AngularWorkspace, SecondRunChangesNothingAndRemoveRestoresTheOriginal) {
  auto first = SwitchServeBuilders(kWorkspace, std::nullopt);
  ASSERT_TRUE(first);
  auto second = SwitchServeBuilders(first->text, std::nullopt);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->changed());
  EXPECT_EQ(second->text, first->text);
  ASSERT_EQ(second->changes.size(), 2u);
  EXPECT_EQ(second->changes[0].from, second->changes[0].to);

  auto removed = RestoreServeBuilders(first->text, std::nullopt);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->text, kWorkspace);  // byte for byte
  ASSERT_EQ(removed->changes.size(), 2u);
  EXPECT_EQ(removed->changes[0].to, "@angular/build:dev-server");
  EXPECT_EQ(removed->changes[1].to, "@angular-devkit/build-angular:dev-server");
  auto again = RestoreServeBuilders(removed->text, std::nullopt);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->text, kWorkspace);
}

TEST(AngularWorkspace, OneProjectWhenNamed) {
  auto edit = SwitchServeBuilders(kWorkspace, std::string("old"));
  ASSERT_TRUE(edit);
  auto after = json::parse(edit->text);
  EXPECT_EQ(Serve(after, "old").at("builder"), kNgAnnotateDevServer);
  EXPECT_EQ(Serve(after, "shop").at("builder"), "@angular/build:dev-server");
  auto lib = SwitchServeBuilders(kWorkspace, std::string("lib"));
  ASSERT_TRUE(lib);
  ASSERT_EQ(lib->skipped.size(), 1u);
  EXPECT_EQ(lib->skipped[0].reason, "it has no serve target");
  auto missing = SwitchServeBuilders(kWorkspace, std::string("nope"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("it has: shop, old, webpack, lib"), std::string::npos);
}

// `switched`, the result of switching `original`, is `original` with the
// build-angular dev-server builder string replaced by ours and nothing else;
// restoring it gives `original` back, byte for byte.
void ExpectOnlyTheBuilderSwitchedAndBack(const std::string& original, const std::string& switched) {
  std::string expected = original;
  const std::string from = "\"@angular-devkit/build-angular:dev-server\"";
  expected.replace(expected.find(from), from.size(), "\"@ng-annotate/angular:dev-server\"");
  EXPECT_EQ(switched, expected);
  auto removed = RestoreServeBuilders(switched, std::nullopt);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->text, original);
}

// Angular's own webpack build is served by @angular-devkit/build-angular's dev
// server, which our builder runs too; --remove puts that one back.
TEST(AngularWorkspace, SwitchesAngularsOwnWebpackBuild) {
  const std::string text =
      "{ \"projects\": { \"app\": { \"architect\": {\n"
      "  \"build\": {\"builder\": \"@angular-devkit/build-angular:browser\"},\n"
      "  \"serve\": {\"builder\": \"@angular-devkit/build-angular:dev-server\", "
      "\"options\": {\"buildTarget\": \"app:build\", \"disableHostCheck\": true}}\n"
      "} } } }\n";
  auto edit = SwitchServeBuilders(text, std::nullopt);
  ASSERT_TRUE(edit) << edit.error().message;
  EXPECT_TRUE(edit->skipped.empty());
  ExpectOnlyTheBuilderSwitchedAndBack(text, edit->text);
}

TEST(AngularWorkspace, OnlyTheBuilderStringChangesEvenWithCommentsAndOddLayout) {
  const std::string jsonc =
      "// workspace\n{ \"projects\": { \"a\": { \"architect\": {\n"
      "  \"build\": {\"builder\": \"@angular-devkit/build-angular:browser-esbuild\"},\n"
      "  /* dev */ \"serve\": { \"options\": {\"builder\": \"not this one\"}, "
      "\"builder\":\"@angular-devkit/build-angular:dev-server\", },\n"
      "} } } }\n";
  auto edit = SwitchServeBuilders(jsonc, std::nullopt);
  ASSERT_TRUE(edit) << edit.error().message;
  ExpectOnlyTheBuilderSwitchedAndBack(jsonc, edit->text);
}

TEST(JsonSpans, FindsTheStringAtAPath) {
  std::string text = R"({"a": [1, {"b": "x"}], "b": {"c": true, "b": "y\"z"}})";
  auto span = FindStringValue(text, {"b", "b"});
  ASSERT_TRUE(span);
  EXPECT_EQ(text.substr(span->first, span->second - span->first), R"("y\"z")");
  EXPECT_FALSE(FindStringValue(text, {"b", "c"}));  // not a string
  EXPECT_FALSE(FindStringValue(text, {"x"}));
  EXPECT_FALSE(FindStringValue("{\"b\": ", {"b"}));
  EXPECT_EQ(JsonStringLiteral("a\"b\\c\n"), R"("a\"b\\c\u000a")");
}

TEST(AngularWorkspace, RefusesWhatIsNotAWorkspace) {
  EXPECT_FALSE(SwitchServeBuilders("{", std::nullopt));
  EXPECT_FALSE(SwitchServeBuilders(R"({"projects": []})", std::nullopt));
  EXPECT_FALSE(RestoreServeBuilders("[]", std::nullopt));
}

TEST(ProjectKind, GuessesTheDevServerPort) {
  EXPECT_EQ(GuessDevServerPort(std::string(R"({"dependencies": {"next": "15"}})"), false).first,
            3000);
  EXPECT_EQ(GuessDevServerPort(
                std::string(R"({"devDependencies": {"webpack-dev-server": "5", "webpack": "5"}})"),
                false),
            (std::pair<int, std::string>{8080, "webpack-dev-server"}));
  EXPECT_EQ(GuessDevServerPort(std::nullopt, true).second, "Rails");
  EXPECT_EQ(GuessDevServerPort(std::string("not json"), false).first, 0);
  EXPECT_EQ(GuessDevServerPort(std::nullopt, false).first, 0);
}

TEST(ProjectKind, RecognisesTheFrameworkMostSpecificFirst) {
  auto deps = [](const char* names) {
    return std::string(R"({"devDependencies": {)") + names + "}}";
  };
  EXPECT_EQ(RecogniseFramework(deps(R"("nuxt": "4", "vite": "8")"), {"nuxt.config.ts"}),
            Framework::kNuxt);
  EXPECT_EQ(RecogniseFramework(deps(R"("@sveltejs/kit": "2", "vite": "7")"), {"vite.config.ts"}),
            Framework::kSvelteKit);
  EXPECT_EQ(
      RecogniseFramework(deps(R"("vite": "7")"), {"react-router.config.ts", "vite.config.ts"}),
      Framework::kReactRouter);
  EXPECT_EQ(RecogniseFramework(deps(R"("astro": "7")"), {}), Framework::kAstro);
  EXPECT_EQ(RecogniseFramework(std::nullopt, {"next.config.mjs"}), Framework::kNext);
  EXPECT_EQ(RecogniseFramework(deps(R"("@rsbuild/core": "2")"), {}), Framework::kRsbuild);
  EXPECT_EQ(RecogniseFramework(deps(R"("webpack": "5")"), {"webpack.config.js"}),
            Framework::kWebpack);
  EXPECT_EQ(RecogniseFramework(deps(R"("vite": "8")"), {}), Framework::kVite);
  EXPECT_EQ(RecogniseFramework(std::nullopt, {"angular.json", "vite.config.ts"}),
            Framework::kAngular);
  EXPECT_EQ(RecogniseFramework(std::string("not json"), {}), Framework::kOther);
}

TEST(ProjectKind, TheLineGoesInTheConfigFileThereOrTheGeneratorsOne) {
  EXPECT_EQ(ConfigFileFor(Framework::kReactRouter, {"react-router.config.ts", "vite.config.mts"}),
            "vite.config.mts");
  EXPECT_EQ(ConfigFileFor(Framework::kVite, {}), "vite.config.js");
  EXPECT_EQ(ConfigFileFor(Framework::kNuxt, {"nuxt.config.js"}), "nuxt.config.js");
  Integration nuxt = IntegrationFor(Framework::kNuxt, "nuxt.config.ts", std::nullopt);
  EXPECT_EQ(nuxt.line.rfind("modules: ['@ng-annotate/vite-plugin/nuxt']", 0), 0u);
  EXPECT_FALSE(nuxt.configured);
  EXPECT_TRUE(IntegrationFor(Framework::kNuxt, "nuxt.config.ts",
                             std::string("modules: ['@ng-annotate/vite-plugin/nuxt']"))
                  .configured);
  // The Vite plugin in astro.config's vite.plugins is not the integration.
  EXPECT_FALSE(IntegrationFor(Framework::kAstro, "astro.config.mjs",
                              std::string("import x from '@ng-annotate/vite-plugin'"))
                   .configured);
  // webpack and Rsbuild: @ng-annotate/webpack's plugin, not the proxy.
  const Integration webpack =
      IntegrationFor(Framework::kWebpack, "webpack.config.js", std::nullopt);
  EXPECT_FALSE(webpack.proxy);
  EXPECT_EQ(webpack.package, "@ng-annotate/webpack");
  EXPECT_NE(webpack.line.find("new NgAnnotatePlugin()"), std::string::npos);
  EXPECT_TRUE(
      IntegrationFor(Framework::kRsbuild, "rsbuild.config.ts",
                     std::string("import { pluginNgAnnotate } from '@ng-annotate/webpack/rsbuild'"))
          .configured);
  EXPECT_TRUE(IntegrationFor(Framework::kOther, "", std::nullopt).proxy);
}

}  // namespace
}  // namespace nga::cli
