// The header rewriting of `serve --proxy`, as pure functions over header
// lists (names lowercase, in order), so that it is tested without sockets.
//
// Framing headers (Content-Length, Transfer-Encoding) and hop-by-hop ones
// (Connection and what it names, Keep-Alive, TE, Trailer, Upgrade,
// Proxy-*) never cross: each side's framing is decided by the proxy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/http.h"
#include "net/proxy_upstream.h"

namespace nga::net {

struct ForwardedFrom {
  std::string host;       // the Host the browser sent: "127.0.0.1:4750"
  std::string client_ip;  // "127.0.0.1"
  bool upgrade = false;   // a WebSocket (or other) upgrade
};

// What goes to the upstream, framing aside:
//  - Host is the upstream's own host:port, so that its Host check
//    (Vite's server.allowedHosts, webpack-dev-server's allowedHosts) passes;
//    the browser's Host travels in X-Forwarded-Host; X-Forwarded-Proto is
//    http; X-Forwarded-For is the client's address; Forwarded (RFC 7239)
//    says the same. The client's own X-Forwarded-*, Forwarded and
//    X-Real-IP are dropped, never passed on: the proxy is the first hop, so
//    whatever a client put there is a spoof the app might trust.
//  - Accept-Encoding is identity: an HTML body must arrive uncompressed to
//    take the overlay tag (and the link is loopback).
//  - Expect is answered by the proxy itself, not forwarded.
//  - On an upgrade, Connection: Upgrade and Upgrade are kept, and an Origin
//    that is the proxy's own origin becomes the upstream's (dev servers
//    check the Origin of their HMR socket against their own host).
//  - Everything else is kept as is, in order.
HeaderList UpstreamRequestHeaders(const HeaderList& client, const Upstream& upstream,
                                  const ForwardedFrom& from);

// What goes back to the browser, framing aside: hop-by-hop headers dropped
// (kept for a 101, which needs Connection/Upgrade), and a Location that
// points into the upstream pointed back at the proxy.
HeaderList DownstreamResponseHeaders(const HeaderList& upstream_headers, const Upstream& upstream,
                                     std::string_view proxy_host, bool switching_protocols);

// The first value of `name` (lowercase) in the list, if any.
std::optional<std::string_view> FindHeader(const HeaderList& headers, std::string_view name);

// Why a request cannot be forwarded, if it cannot: more than one Host (400,
// as ng-annotate's own routes answer; which one would the app believe?), a
// Transfer-Encoding whose last coding is not chunked (400: its length cannot
// be told, RFC 9112 §6.3) or one with codings besides chunked (501: the
// proxy would de-chunk and pass the rest off as plain bytes).
struct Refusal {
  unsigned status;
  std::string reason;
};
std::optional<Refusal> UnforwardableRequest(const HeaderList& client);

// ng-annotate's own paths, never forwarded: /__annotate* and /mcp (and below it).
bool IsOwnPath(std::string_view path);

// An absolute-form request target (RFC 9112 §3.2.2), "http://host:port/p?q",
// split into its authority and the origin-form the upstream gets ("/p?q");
// nullopt when it is not one (or is malformed). The authority names a host
// like Host does, and an upstream would believe it over Host: it must pass
// the same check.
struct AbsoluteTarget {
  std::string authority;
  std::string origin_form;
};
std::optional<AbsoluteTarget> ParseAbsoluteTarget(std::string_view target);

// Why an upstream response head cannot be relayed, if it cannot (a 502): a
// status outside 100-599 ("000" must not go out as "HTTP/1.1 0", nor 099
// count as final), or a transfer coding other than chunked (a "gzip,
// chunked" body would go out de-chunked as undeclared gzip, the overlay tag
// appended).
std::optional<std::string> UnrelayableResponse(unsigned status, const HeaderList& upstream_headers);

// Content-Type text/html (any parameters, any case).
bool IsHtml(std::optional<std::string_view> content_type);
// No Content-Encoding, or identity.
bool IsIdentityEncoding(std::optional<std::string_view> content_encoding);

}  // namespace nga::net
