// GET /__annotate/annotations/ID/screenshot[?kind=before|after]: an
// annotation's screenshot (store/screenshot.h) as the image it is, for the
// overlay's before/after view and anyone on the page's side. Host and Origin
// are checked by the server's AccessPolicy like every /__annotate request.
//
//   200  the image (image/webp or image/png), Cache-Control: no-store
//   404  no such annotation, or none of that kind; 400 an unknown kind;
//   405  anything but GET and HEAD
#pragma once

#include <string_view>

#include "net/server.h"
#include "store/store.h"

namespace nga::browser {

inline constexpr std::string_view kAnnotationsPath = "/__annotate/annotations";

// `store` must outlive the server's connections.
void AddScreenshotRoute(net::HttpServer& server, Store& store);

}  // namespace nga::browser
