#include "browser/routes.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <optional>

#include "browser/json_answer.h"
#include "util/hmac_sha256.h"

namespace nga::assets {
extern const std::string_view kClientJs;
extern const std::string_view kCaptureJs;
}  // namespace nga::assets

namespace nga::browser {
namespace {

namespace json = boost::json;

// Adapts one overlay socket to the Hub.
class BrowserSocket : public net::WsHandler {
 public:
  BrowserSocket(Hub& hub, ConnectionId id, auth::OpenCredentials* credentials = nullptr,
                auth::OpenCredentials::Handle credential = 0)
      : hub_(hub), id_(id), credentials_(credentials), credential_(credential) {}
  void OnMessage(std::string_view data) override { hub_.OnMessage(id_, data); }
  void OnClose() override {
    if (credentials_ && credential_ != 0) credentials_->Remove(credential_);
    hub_.Close(id_);
  }

 private:
  Hub& hub_;
  ConnectionId id_;
  auth::OpenCredentials* credentials_;
  auth::OpenCredentials::Handle credential_;
};

bool IsGetOrHead(const net::HttpRequest& request) {
  return request.method == "GET" || request.method == "HEAD";
}

void MethodNotAllowed(net::HttpResponder& responder) {
  responder.Respond(405, "text/plain; charset=utf-8", "method not allowed\n",
                    {{"Allow", "GET, HEAD"}});
}

// True when an If-None-Match list names `etag` (or is "*").
bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) return true;
  // Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
  return if_none_match.find(etag) != std::string_view::npos;
}

// A challenge for the health proof: a fresh random value of the reader,
// long enough not to repeat, short enough to cost nothing.
bool IsProofChallenge(std::string_view challenge) {
  if (challenge.size() < 32 || challenge.size() > 256) return false;
  for (char c : challenge) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Serves one embedded script with its ETag: 304 when the page has it already.
void RouteScript(net::HttpServer& server, std::string path, std::string_view script) {
  server.Route(
      std::move(path), [script, etag = AssetEtag(script)](const net::HttpRequest& request,
                                                          std::shared_ptr<net::HttpResponder> out) {
        if (!IsGetOrHead(request)) return MethodNotAllowed(*out);
        net::HeaderList headers{{"ETag", etag}, {"Cache-Control", "no-cache"}};
        if (auto match = request.Header("if-none-match"); match && EtagMatches(*match, etag)) {
          return out->Respond(304, "", "", std::move(headers));
        }
        out->Respond(200, "application/javascript; charset=utf-8", std::string(script),
                     std::move(headers));
      });
}

}  // namespace

std::string AssetEtag(std::string_view bytes) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return fmt::format("\"{:016x}-{:x}\"", hash, bytes.size());
}

std::string ClientJsEtag() { return AssetEtag(assets::kClientJs); }

void AddBrowserRoutes(net::HttpServer& server, Hub& hub, Store& store, const ProjectPaths& paths,
                      std::function<boost::json::object()> manifest, std::string daemon_token,
                      auth::OpenCredentials* credentials) {
  server.WebSocketRoute(
      std::string(kSocketPath),
      [&hub, credentials](const net::HttpRequest& upgrade,
                          std::shared_ptr<net::WsPeer> peer) -> std::unique_ptr<net::WsHandler> {
        ConnectRequest request{upgrade.QueryParam("sessionId"),
                               std::string(upgrade.Header("referer").value_or("")),
                               std::string(upgrade.Header("origin").value_or("")),
                               upgrade.QueryParam("proto") == "2" ? 2 : 1};
        if (upgrade.caller) {
          request.actor = upgrade.caller->name;
          request.reviewer = upgrade.caller->role == "reviewer";
        }
        std::weak_ptr<net::WsPeer> weak = peer;
        auto id = hub.Open(request, [weak](const Frame& frame) {
          if (auto live = weak.lock()) live->Send(frame);
        });
        if (!id) {
          fmt::print(stderr, "ng-annotate: browser connection refused: {}\n", id.error().message);
          return nullptr;
        }
        auth::OpenCredentials::Handle credential = 0;
        if (credentials && upgrade.caller) {
          // 1008 (policy violation): the client should not reconnect with it.
          credential = credentials->Add(upgrade.caller->token_id, [weak] {
            if (auto live = weak.lock()) live->Close(1008, "token revoked or expired");
          });
        }
        return std::make_unique<BrowserSocket>(hub, *id, credentials, credential);
      });

  server.Route("/__annotate/health", [&hub, &store, paths, token = std::move(daemon_token)](
                                         const net::HttpRequest& request,
                                         std::shared_ptr<net::HttpResponder> out) {
    if (!IsGetOrHead(request)) return MethodNotAllowed(*out);
    // The proof answers a challenge instead of echoing the token: see
    // cli/daemon_file.h for why the secret itself never goes on the wire.
    std::optional<std::string> proof;
    if (auto challenge = request.QueryParam("challenge")) {
      if (!IsProofChallenge(*challenge)) {
        return out->Respond(400, "text/plain; charset=utf-8",
                            "challenge: 32 to 256 lowercase hex digits\n");
      }
      if (!token.empty()) proof = HmacSha256Hex(token, *challenge);
    }
    json::object health;
    health["version"] = NGA_VERSION;
    health["root"] = paths.root.string();
    health["store"] = store.path().string();  // (PostgreSQL: the URL, its password left out)
    health["project"] = store.project();
    health["sessionsConnected"] = hub.session_count();
    health["socketsConnected"] = hub.connection_count();
    auto heartbeat = store.LastAgentHeartbeat();
    if (heartbeat && *heartbeat) {
      health["lastAgentHeartbeat"] = FormatIso8601(**heartbeat);
    } else {
      health["lastAgentHeartbeat"] = nullptr;
    }
    if (proof) health["proof"] = *proof;
    AnswerJson(*out, 200, health);
  });

  RouteScript(server, "/__annotate/client.js", assets::kClientJs);
  RouteScript(server, "/__annotate/capture.js", assets::kCaptureJs);

  server.Route("/__annotate/manifest", [manifest = std::move(manifest)](
                                           const net::HttpRequest& request,
                                           std::shared_ptr<net::HttpResponder> out) {
    if (!IsGetOrHead(request)) return MethodNotAllowed(*out);
    std::string body = manifest ? json::serialize(manifest()) : "{}";
    out->Respond(200, "application/json", std::move(body), {{"Cache-Control", "no-store"}});
  });
}

}  // namespace nga::browser
