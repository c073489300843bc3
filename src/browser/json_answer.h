// The JSON answers of the browser port's HTTP routes (origins_route.h,
// build_manifest_route.h, the health check in routes.h): what each says is
// the server's state at that moment, so no cache may keep it.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "net/http.h"

namespace nga::browser {

// `body` as application/json, with Cache-Control: no-store.
void AnswerJson(net::HttpResponder& out, unsigned status, const boost::json::object& body);

// {"error": message}, the same way: a refusal a tool can show as it is.
void AnswerError(net::HttpResponder& out, unsigned status, std::string_view message);

}  // namespace nga::browser
