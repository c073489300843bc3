#include "browser/notice_route.h"

#include <memory>
#include <set>

namespace nga::browser {

std::string ForeignOverlayNotice(std::string_view page) {
  constexpr std::size_t kMaxPageChars = 2048;
  std::string shown;
  for (char c : page.substr(0, kMaxPageChars)) {
    shown += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (shown.empty()) shown = "a page";
  return "ng-annotate: " + shown +
         " runs ng-annotate-mcp's overlay: ng-annotate's overlay stays off on that page "
         "(install ng-annotate's @ng-annotate/angular in place of ng-annotate-mcp's to use ours)";
}

void AddNoticeRoute(net::HttpServer& server, std::function<void(const std::string&)> log) {
  auto told = std::make_shared<std::set<std::string>>();
  server.Route(std::string(kForeignOverlayNoticePath),
               [told, log = std::move(log)](const net::HttpRequest& request,
                                            std::shared_ptr<net::HttpResponder> out) {
                 if (request.path != kForeignOverlayNoticePath) {
                   return out->Respond(404, "text/plain; charset=utf-8", "not found\n", {});
                 }
                 if (request.method != "POST") {
                   return out->Respond(405, "text/plain; charset=utf-8", "method not allowed\n",
                                       {{"Allow", "POST"}});
                 }
                 std::string line = ForeignOverlayNotice(request.body);
                 if (told->size() < kMaxPagesTold && told->insert(line).second && log) log(line);
                 out->Respond(204, "", "", {{"Cache-Control", "no-store"}});
               });
}

}  // namespace nga::browser
