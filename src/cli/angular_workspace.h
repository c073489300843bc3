// `init` in an Angular workspace: switch the serve target of its projects to
// @ng-annotate/angular's dev-server builder, and `init --remove` back. Pure
// functions over angular.json's text, so they are tested without a disk.
//
// Only the "builder" string of architect.serve changes: every other byte of
// the file (options, configurations, layout, comments) stays as it was. The
// rules are the same as the `ng add @ng-annotate/angular` schematic's
// (packages/angular/README.md), so either, in any order, gives the same file.
//
// Which projects: every project (or the one named) whose serve builder is
// Angular's esbuild dev server, `@angular/build:dev-server` or
// `@angular-devkit/build-angular:dev-server`, over a build it can serve
// (`@angular/build:application`, `@angular-devkit/build-angular:application`
// or `:browser-esbuild`).
// Any other builder (webpack's `:browser` build, a custom builder) is left
// alone with a reason: our builder wraps that dev server only, and such a
// project is served through `ng-annotate serve --proxy`.
//
// The original builder is not recorded anywhere (angular.json's schema allows
// no extra keys, and a file outside it would not travel with the repo).
// `--remove` derives it instead from the package of the build target's
// builder: `@angular-devkit/build-angular:application` gives
// `@angular-devkit/build-angular:dev-server`, anything else
// `@angular/build:dev-server`. That is exactly what the Angular CLI generates
// and what its migrations leave, so the round trip restores the original.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace nga::cli {

inline constexpr const char* kNgAnnotateDevServer = "@ng-annotate/angular:dev-server";

struct ServeTargetChange {
  std::string project;
  std::string from;  // the builder before
  std::string to;    // and after; from == to: already so, nothing changed
};

struct ServeTargetSkip {
  std::string project;
  std::string reason;  // one sentence, for the terminal
};

struct WorkspaceEdit {
  std::string text;  // the new angular.json; byte-identical when nothing changed
  std::vector<ServeTargetChange> changes;
  std::vector<ServeTargetSkip> skipped;
  bool changed() const;
};

// Switches the serve builders to kNgAnnotateDevServer. `project`: only that
// one (an error when there is no such project). Fails when the text is not an
// Angular workspace (JSON object with a "projects" object).
Result<WorkspaceEdit> SwitchServeBuilders(const std::string& angular_json,
                                          const std::optional<std::string>& project);

// Puts the original builder back where kNgAnnotateDevServer is.
Result<WorkspaceEdit> RestoreServeBuilders(const std::string& angular_json,
                                           const std::optional<std::string>& project);

}  // namespace nga::cli
