// POST /__annotate/builds (issue 20): `ng-annotate manifest push` sends the
// manifest of a preview build (store/build_manifest.h), which the store keeps
// so that annotations from that build resolve to file and line.
//
//   request  the manifest file as the build wrote it
//   answer   200 {"project":P,"build":ID,"sources":N}
//            400 {"error":…} a manifest that is not one (nothing stored),
//                or one for another project than this server's store holds
//            403 a request with an Origin header: pages never push manifests
//            405 anything but POST
//
// Host is checked by the server's AccessPolicy like every request. In team
// mode the route takes an admin or agent token: `guard` is that one check
// (empty: no check, the loopback dev mode).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "net/server.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace nga::browser {

inline constexpr std::string_view kBuildsPath = "/__annotate/builds";

// A check run first on every request: an HTTP status and message to refuse
// it with, or nullopt to go on.
struct RouteRefusal {
  unsigned status;
  std::string message;
};
using RouteGuard = std::function<std::optional<RouteRefusal>(const net::HttpRequest&)>;

// Writes go through `writes` (group commit, the answer after the commit).
// `store` and `writes` must outlive the server's connections.
void AddBuildManifestRoute(net::HttpServer& server, Store& store, WriteQueue& writes,
                           RouteGuard guard = {});

}  // namespace nga::browser
