#include "browser/origins_route.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "browser/json_answer.h"
#include "net/access.h"

namespace nga::browser {
namespace {

namespace json = boost::json;

// The normalised origins of a request body, or a one-line reason.
Result<std::vector<std::string>> ParseOrigins(std::string_view body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return MakeError(ErrorCode::kInvalidArgument, "the body is not JSON: " + ec.message());
  const json::object* object = parsed.if_object();
  const json::value* list = object ? object->if_contains("origins") : nullptr;
  if (!list || !list->is_array()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     R"(expected {"origins":["http://host:port", ...]})");
  }
  std::vector<std::string> origins;
  for (const json::value& item : list->get_array()) {
    const json::string* text = item.if_string();
    auto normal = text ? net::NormalizeOrigin(*text) : std::nullopt;
    if (!normal) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "not an origin (http(s)://host[:port]): " +
              (text ? std::string(std::string_view(*text).substr(0, 100)) : json::serialize(item)));
    }
    origins.push_back(std::move(*normal));
  }
  return origins;
}

}  // namespace

void AddOriginsRoute(net::HttpServer& server, std::shared_ptr<net::OriginRegistry> registry) {
  server.Route(std::string(kOriginsPath), [registry](const net::HttpRequest& request,
                                                     std::shared_ptr<net::HttpResponder> out) {
    if (request.path != kOriginsPath) return AnswerError(*out, 404, "not found");
    if (request.method != "POST") {
      return out->Respond(405, "text/plain; charset=utf-8", "method not allowed\n",
                          {{"Allow", "POST"}});
    }
    if (request.Header("origin")) {
      return AnswerError(*out, 403, "origins are registered by dev-server tools, not by pages");
    }
    auto origins = ParseOrigins(request.body);
    if (!origins) return AnswerError(*out, 400, origins.error().message);
    if (origins->size() > registry->max_size()) {
      return AnswerError(*out, 400,
                         fmt::format("at most {} origins can be registered; this request names {}",
                                     registry->max_size(), origins->size()));
    }
    json::array named;
    std::vector<std::string> dropped;
    for (auto& origin : *origins) {
      if (std::find(named.begin(), named.end(), json::value(origin)) == named.end()) {
        named.emplace_back(origin);
      }
      for (auto& gone : registry->Add(std::move(origin))) dropped.push_back(std::move(gone));
    }
    if (!dropped.empty()) {
      fmt::print(stderr,
                 "ng-annotate: registered origins are limited to {}: dropped {}, the least "
                 "recently registered ({}{}); their pages are refused until registered again\n",
                 registry->max_size(), dropped.size(), dropped.front(),
                 dropped.size() > 1 ? " through " + dropped.back() : "");
    }
    // Only what this request named: the whole list is not the caller's business,
    // and echoing it made every answer as large as the registry.
    json::object body{{"origins", std::move(named)},
                      {"registered", registry->size()},
                      {"limit", registry->max_size()}};
    AnswerJson(*out, 200, body);
  });
}

}  // namespace nga::browser
