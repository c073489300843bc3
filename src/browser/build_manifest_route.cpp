#include "browser/build_manifest_route.h"

#include <fmt/format.h>

#include <string>

#include "browser/json_answer.h"

namespace nga::browser {

namespace json = boost::json;

void AddBuildManifestRoute(net::HttpServer& server, Store& store, WriteQueue& writes,
                           RouteGuard guard) {
  server.Route(std::string(kBuildsPath), [&store, &writes, guard = std::move(guard)](
                                             const net::HttpRequest& request,
                                             std::shared_ptr<net::HttpResponder> out) {
    if (request.path != kBuildsPath) return AnswerError(*out, 404, "not found");
    if (guard) {
      if (auto refused = guard(request))
        return AnswerError(*out, refused->status, refused->message);
    }
    if (request.method != "POST") {
      return out->Respond(405, "text/plain; charset=utf-8", "method not allowed\n",
                          {{"Allow", "POST"}});
    }
    if (request.Header("origin")) {
      return AnswerError(*out, 403,
                         "build manifests are pushed by `ng-annotate manifest push`, not by pages");
    }
    auto manifest = ParseBuildManifest(request.body);
    if (!manifest) return AnswerError(*out, 400, manifest.error().message);
    // Every store serves one project (SQLite's is the root directory's name
    // unless --project says otherwise): another project's manifest is refused.
    if (!store.project().empty() && !manifest->project.empty() &&
        manifest->project != store.project()) {
      return AnswerError(
          *out, 400,
          fmt::format("the manifest is for project {}, but this server serves project "
                      "{}: push it to that project's server, or build with --project {}",
                      manifest->project, store.project(), store.project()));
    }
    writes.Submit([&store, out, manifest = std::move(*manifest)]() -> WriteQueue::AfterCommit {
      Status stored = store.PutBuildManifest(manifest);
      return [out, stored, project = store.project().empty() ? manifest.project : store.project(),
              build = manifest.build, count = manifest.sources.size()](const Status& committed) {
        const Status& failed = !stored ? stored : committed;
        if (!failed) {
          return AnswerError(*out, 500, "the manifest was not stored: " + failed.error().message);
        }
        AnswerJson(*out, 200,
                   json::object{{"project", project}, {"build", build}, {"sources", count}});
      };
    });
  });
}

}  // namespace nga::browser
