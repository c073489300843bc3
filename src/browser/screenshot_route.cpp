#include "browser/screenshot_route.h"

#include <string>

namespace nga::browser {

void AddScreenshotRoute(net::HttpServer& server, Store& store) {
  server.Route(std::string(kAnnotationsPath), [&store](const net::HttpRequest& request,
                                                       std::shared_ptr<net::HttpResponder> out) {
    constexpr std::string_view kSuffix = "/screenshot";
    std::string_view path = request.path;
    path.remove_prefix(kAnnotationsPath.size());
    if (!path.starts_with('/') || !path.ends_with(kSuffix)) {
      return out->Respond(404, "text/plain; charset=utf-8", "not found\n");
    }
    std::string_view id = path.substr(1, path.size() - 1 - kSuffix.size());
    if (id.empty() || id.find('/') != std::string_view::npos) {
      return out->Respond(404, "text/plain; charset=utf-8", "not found\n");
    }
    if (request.method != "GET" && request.method != "HEAD") {
      return out->Respond(405, "text/plain; charset=utf-8", "method not allowed\n",
                          {{"Allow", "GET, HEAD"}});
    }
    auto kind = ParseScreenshotKind(request.QueryParam("kind").value_or("before"));
    if (!kind) {
      return out->Respond(400, "text/plain; charset=utf-8", "kind: before or after\n");
    }
    auto shot = store.GetScreenshot(id, *kind);
    if (!shot) return out->Respond(500, "text/plain; charset=utf-8", shot.error().message + "\n");
    if (!*shot) {
      return out->Respond(
          404, "text/plain; charset=utf-8",
          "no " + std::string(ScreenshotKindName(*kind)) + " screenshot for that annotation\n");
    }
    out->Respond(200, (*shot)->mime_type, std::move((*shot)->bytes),
                 {{"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}});
  });
}

}  // namespace nga::browser
