// `ng-annotate serve --proxy URL`: the daemon's port also fronts a dev
// server (SPEC §9, "any other dev server"). Every request and upgrade whose
// path is not ng-annotate's own (/__annotate*, /mcp) is forwarded to the
// upstream and streamed back piece by piece (chunked bodies, SSE, large
// files: nothing is held whole); WebSocket upgrades become byte tunnels.
// HTML responses get the overlay's script tag (proxy_html.h); headers are
// rewritten so that the upstream's own Host checks pass (proxy_headers.h).
//
// When the upstream cannot be reached the browser gets, at once, a small
// 502 page naming the URL and the error that reloads itself when the
// upstream is back (proxy_error_page.h); it polls
//   GET /__annotate/upstream -> {"upstream":URL,"up":bool,"error":MSG|null}
// which this adds to the server's own routes.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "net/proxy_upstream.h"
#include "net/server.h"

namespace nga::net {

// Every proxied exchange is bounded; each limit, when hit, ends it with an
// error that names the limit (a 502/503/504 page when nothing was sent yet).
struct ProxyLimits {
  // Connecting to the upstream (a refused connection fails at once).
  std::chrono::milliseconds connect_timeout{3000};
  // From the end of the request to the upstream's response head: dev
  // servers compile on the first request, so this is roomy.
  std::chrono::milliseconds response_timeout{120000};
  // Longest quiet time inside a request or response body, and for a write
  // to the browser (a long-lived SSE stream is fine as long as it moves).
  std::chrono::milliseconds idle_timeout{300000};
  // A request body must arrive within request_body_timeout plus one second
  // for every min_request_body_rate bytes that arrived: a body trickled in
  // at 1 B/s would otherwise hold its upstream connection for ever (the idle
  // timeout never fires while bytes move). Time the upstream takes to read
  // what it was sent does not count against the browser.
  std::chrono::milliseconds request_body_timeout{10000};
  std::uint64_t min_request_body_rate = 1024;  // bytes per second, > 0
  // Longest time an upgraded socket (HMR, live reload) may carry nothing
  // either way. Long: an idle HMR socket closing makes dev servers reload.
  std::chrono::milliseconds tunnel_idle_timeout{6 * 3600 * 1000};
  std::size_t max_response_header_bytes = 64 * 1024;
  // Request bodies beyond this are refused with 413.
  std::uint64_t max_request_body_bytes = 1024ull * 1024 * 1024;
  // Upstream connections open at once (exchanges + tunnels); more get 503.
  // A forwarded request holds one from when the proxy takes it on until its
  // upstream connection is closed, so the limit holds however many arrive
  // at once.
  std::size_t max_upstream_connections = 256;
};

struct ProxyOptions {
  Upstream upstream;
  ProxyLimits limits;
  std::string inject_tag = R"(<script src="/__annotate/client.js"></script>)";
};

// Turns `server` into the proxy's front (before Start()). Runs on `executor`,
// the server's thread.
void EnableProxy(HttpServer& server, boost::asio::any_io_executor executor, ProxyOptions options);

}  // namespace nga::net
