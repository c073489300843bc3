// The pure parts of serve --proxy: the streaming HTML injector, header
// rewriting, the --proxy URL and the error page.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "net/proxy_error_page.h"
#include "net/proxy_headers.h"
#include "net/proxy_html.h"
#include "net/proxy_upstream.h"

namespace nga::net {
namespace {

const std::string kTag = "<script src=\"/__annotate/client.js\"></script>";

// Feeds `html` split at the given cut positions and returns the output.
std::string Inject(const std::string& html, const std::vector<std::size_t>& cuts) {
  HtmlInjector injector(kTag);
  std::string out;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    out += injector.Feed(std::string_view(html).substr(at, cut - at));
    at = cut;
  }
  out += injector.Feed(std::string_view(html).substr(at));
  out += injector.Finish();
  return out;
}

// Every split into two and three pieces gives the same output as one piece.
void ExpectSplitInvariant(const std::string& html, const std::string& expected) {
  ASSERT_EQ(Inject(html, {}), expected);
  for (std::size_t i = 0; i <= html.size(); ++i) {
    ASSERT_EQ(Inject(html, {i}), expected) << "cut at " << i;
    for (std::size_t j = i; j <= html.size(); ++j) {
      ASSERT_EQ(Inject(html, {i, j}), expected) << "cuts at " << i << ", " << j;
    }
  }
}

TEST(HtmlInjector, PutsTheTagBeforeTheClosingHeadAtEverySplit) {
  ExpectSplitInvariant("<html><HEAD><title>x</title></Head ><body>b</body></html>",
                       "<html><HEAD><title>x</title>" + kTag + "</Head ><body>b</body></html>");
}

TEST(HtmlInjector, WithoutAHeadPutsTheTagAtTheStartOfTheBody) {
  ExpectSplitInvariant(
      "<!doctype html><header>h</header><BODY class=\"a>\"\n>text</body>",
      "<!doctype html><header>h</header><BODY class=\"a>\"\n>" + kTag + "text</body>");
}

TEST(HtmlInjector, LookalikeTagsAreNotPlaces) {
  // <header> and <bodyguard> are not </head> and <body>: the tag goes at the end.
  ExpectSplitInvariant("<header></header><bodyguard></bodyguard></heading>",
                       "<header></header><bodyguard></bodyguard></heading>" + kTag);
}

TEST(HtmlInjector, OnlyTheFirstPlaceGetsTheTag) {
  EXPECT_EQ(Inject("<head></head><body><p></head></p></body>", {}),
            "<head>" + kTag + "</head><body><p></head></p></body>");
}

TEST(HtmlInjector, OutputIsAlwaysInputPlusTheTag) {
  for (std::string html :
       {"", "<", "</head", "<body", "plain text", "<body unclosed", "<html><head></head></html>"}) {
    EXPECT_EQ(Inject(html, {}).size(), html.size() + kTag.size()) << html;
  }
}

TEST(HtmlInjector, SendsEverythingThatCannotStartAPlaceAtOnce) {
  HtmlInjector injector(kTag);
  EXPECT_EQ(injector.Feed("<html><head><title>t</title></he"), "<html><head><title>t</title>");
  EXPECT_EQ(injector.Feed("ad>rest"), kTag + "</head>rest");
  EXPECT_TRUE(injector.injected());
  EXPECT_EQ(injector.Feed("more"), "more");
  EXPECT_EQ(injector.Finish(), "");
}

TEST(HtmlInjector, AnUnendingBodyTagIsNotWaitedForForever) {
  HtmlInjector injector(kTag);
  std::string out = injector.Feed("<body " + std::string(9000, 'a'));
  EXPECT_TRUE(injector.injected());
  EXPECT_EQ(out, kTag + "<body " + std::string(9000, 'a'));
}

const Upstream kUp = *ParseUpstream("http://localhost:4200");

TEST(UpstreamRequestHeaders, RewritesHostKeepsTheRestAddsForwarded) {
  HeaderList client{{"host", "127.0.0.1:4750"},  {"accept", "text/html"},
                    {"accept-encoding", "gzip"}, {"connection", "keep-alive, x-hop"},
                    {"x-hop", "dropped"},        {"keep-alive", "timeout=5"},
                    {"cookie", "a=b"},           {"origin", "http://127.0.0.1:4750"},
                    {"content-length", "3"},     {"transfer-encoding", "chunked"},
                    {"expect", "100-continue"},  {"x-forwarded-for", "10.0.0.1"}};
  HeaderList out = UpstreamRequestHeaders(client, kUp, {"127.0.0.1:4750", "127.0.0.1", false});
  HeaderList expected{{"host", "localhost:4200"},
                      {"accept", "text/html"},
                      {"cookie", "a=b"},
                      {"origin", "http://127.0.0.1:4750"},  // kept on plain requests
                      {"accept-encoding", "identity"},
                      {"forwarded", "for=127.0.0.1;host=\"127.0.0.1:4750\";proto=http"},
                      {"x-forwarded-host", "127.0.0.1:4750"},
                      {"x-forwarded-proto", "http"},
                      {"x-forwarded-for", "127.0.0.1"}};
  EXPECT_EQ(out, expected);
}

// Issue 21, item 5: a client's X-Forwarded-*/Forwarded reached the upstream
// verbatim (X-Forwarded-Host even won over the real Host).
TEST(UpstreamRequestHeaders, ReplacesTheClientsForwardingHeaders) {
  HeaderList client{{"host", "127.0.0.1:4750"},
                    {"x-forwarded-host", "evil.example"},
                    {"X-Forwarded-Proto", "https"},
                    {"x-forwarded-for", "10.0.0.1"},
                    {"x-forwarded-port", "443"},
                    {"x-forwarded-prefix", "/admin"},
                    {"forwarded", "for=10.0.0.1;host=evil.example;proto=https"},
                    {"x-real-ip", "10.0.0.1"},
                    {"x-kept", "1"}};
  for (auto& [name, value] : client) {  // names arrive lowercased
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  HeaderList out = UpstreamRequestHeaders(client, kUp, {"127.0.0.1:4750", "::1", false});
  HeaderList expected{{"host", "localhost:4200"},
                      {"x-kept", "1"},
                      {"accept-encoding", "identity"},
                      {"forwarded", "for=\"[::1]\";host=\"127.0.0.1:4750\";proto=http"},
                      {"x-forwarded-host", "127.0.0.1:4750"},
                      {"x-forwarded-proto", "http"},
                      {"x-forwarded-for", "::1"}};
  EXPECT_EQ(out, expected);
}

// Issue 21, item 5: two Host headers were forwarded (the first won) where
// ng-annotate's own routes answer 400.
TEST(UnforwardableRequest, RefusesTwoHostsAndTransferCodingsItCannotFrame) {
  EXPECT_FALSE(UnforwardableRequest({{"host", "a"}, {"transfer-encoding", "chunked"}}));
  EXPECT_FALSE(UnforwardableRequest({{"host", "a"}, {"transfer-encoding", " Chunked "}}));
  EXPECT_FALSE(UnforwardableRequest({{"host", "a"}}));
  auto two = UnforwardableRequest({{"host", "127.0.0.1:4750"}, {"host", "evil.example"}});
  ASSERT_TRUE(two);
  EXPECT_EQ(two->status, 400u);
  EXPECT_EQ(two->reason, "more than one Host header");
  for (const char* coding : {"gzip", "chunked, gzip", "", "chunked;x=1"}) {
    auto unframed = UnforwardableRequest({{"host", "a"}, {"transfer-encoding", coding}});
    ASSERT_TRUE(unframed) << coding;
    EXPECT_EQ(unframed->status, 400u) << coding;
  }
  auto gzip = UnforwardableRequest(
      {{"host", "a"}, {"transfer-encoding", "gzip"}, {"transfer-encoding", "chunked"}});
  ASSERT_TRUE(gzip);
  EXPECT_EQ(gzip->status, 501u);
  EXPECT_NE(gzip->reason.find("gzip, chunked"), std::string::npos) << gzip->reason;
}

// Found with item 5: an absolute-form target's host went to the upstream,
// which would believe it over Host, unchecked.
TEST(ParseAbsoluteTarget, SplitsAuthorityAndOriginForm) {
  auto full = ParseAbsoluteTarget("HTTP://evil.example:80/a/b?c=1");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->authority, "evil.example:80");
  EXPECT_EQ(full->origin_form, "/a/b?c=1");
  auto bare = ParseAbsoluteTarget("http://127.0.0.1:4750");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->origin_form, "/");
  EXPECT_EQ(ParseAbsoluteTarget("http://h?x=1")->origin_form, "/?x=1");
  for (const char* not_absolute : {"/a", "*", "http:///a", "ftp://h/", "://h/", "h:80"}) {
    EXPECT_FALSE(ParseAbsoluteTarget(not_absolute)) << not_absolute;
  }
}

TEST(ProxyHeaders, OwnPathsAreAnnotateAndMcp) {
  for (const char* own : {"/__annotate", "/__annotate/client.js", "/mcp", "/mcp/x"}) {
    EXPECT_TRUE(IsOwnPath(own)) << own;
  }
  for (const char* app : {"/", "/mcpx", "/app/__annotate", "/_annotate"}) {
    EXPECT_FALSE(IsOwnPath(app)) << app;
  }
}

// Issue 21, item 4: "000" went out as "HTTP/1.1 0", statuses under 100
// counted as final, and "gzip, chunked" was de-chunked into undeclared gzip.
TEST(UnrelayableResponse, RefusesStatusesOutside100To599AndCodingsOtherThanChunked) {
  for (unsigned status : {100u, 101u, 103u, 200u, 404u, 599u}) {
    EXPECT_FALSE(UnrelayableResponse(status, {})) << status;
  }
  for (unsigned status : {0u, 1u, 99u, 600u, 999u}) {
    auto problem = UnrelayableResponse(status, {});
    ASSERT_TRUE(problem) << status;
    EXPECT_NE(problem->find("invalid status"), std::string::npos) << *problem;
  }
  EXPECT_EQ(*UnrelayableResponse(0, {}), "sent the invalid status 000 (a status is 100-599)");
  EXPECT_FALSE(UnrelayableResponse(200, {{"transfer-encoding", "chunked"}}));
  for (const char* coding : {"gzip, chunked", "gzip", "identity", "chunked, chunked"}) {
    auto problem = UnrelayableResponse(200, {{"transfer-encoding", coding}});
    ASSERT_TRUE(problem) << coding;
    EXPECT_NE(problem->find("Transfer-Encoding"), std::string::npos) << *problem;
  }
}

TEST(UpstreamRequestHeaders, AnUpgradeKeepsUpgradeAndGetsTheUpstreamOrigin) {
  HeaderList client{{"host", "localhost:4750"}, {"connection", "Upgrade"},
                    {"upgrade", "websocket"},   {"origin", "http://LOCALHOST:4750"},
                    {"sec-websocket-key", "k"}, {"sec-websocket-protocol", "vite-hmr"}};
  HeaderList out = UpstreamRequestHeaders(client, kUp, {"localhost:4750", "", true});
  EXPECT_EQ(FindHeader(out, "host"), "localhost:4200");
  EXPECT_EQ(FindHeader(out, "origin"), "http://localhost:4200");
  EXPECT_EQ(FindHeader(out, "connection"), "Upgrade");
  EXPECT_EQ(FindHeader(out, "upgrade"), "websocket");
  EXPECT_EQ(FindHeader(out, "sec-websocket-key"), "k");
  EXPECT_EQ(FindHeader(out, "sec-websocket-protocol"), "vite-hmr");
  // A foreign origin is not dressed up as the upstream's.
  client[3].second = "http://evil.example";
  EXPECT_EQ(FindHeader(UpstreamRequestHeaders(client, kUp, {"localhost:4750", "", true}), "origin"),
            "http://evil.example");
}

TEST(DownstreamResponseHeaders, DropsHopByHopAndPointsRedirectsBack) {
  HeaderList upstream{{"content-type", "text/html"},
                      {"content-length", "10"},
                      {"transfer-encoding", "chunked"},
                      {"connection", "close"},
                      {"location", "http://localhost:4200/next?a=1"},
                      {"set-cookie", "s=1"}};
  HeaderList expected{{"content-type", "text/html"},
                      {"location", "http://127.0.0.1:4750/next?a=1"},
                      {"set-cookie", "s=1"}};
  EXPECT_EQ(DownstreamResponseHeaders(upstream, kUp, "127.0.0.1:4750", false), expected);
  HeaderList elsewhere{{"location", "http://localhost:42001/x"}};
  EXPECT_EQ(DownstreamResponseHeaders(elsewhere, kUp, "127.0.0.1:4750", false), elsewhere);
}

TEST(DownstreamResponseHeaders, ASwitchKeepsConnectionAndUpgrade) {
  HeaderList upstream{
      {"upgrade", "websocket"}, {"connection", "Upgrade"}, {"sec-websocket-accept", "x"}};
  EXPECT_EQ(DownstreamResponseHeaders(upstream, kUp, "h", true), upstream);
}

TEST(ProxyHeaders, HtmlAndEncoding) {
  EXPECT_TRUE(IsHtml("text/html"));
  EXPECT_TRUE(IsHtml("Text/HTML; charset=utf-8"));
  EXPECT_FALSE(IsHtml("application/xhtml+xml"));
  EXPECT_FALSE(IsHtml(std::nullopt));
  EXPECT_TRUE(IsIdentityEncoding(std::nullopt));
  EXPECT_TRUE(IsIdentityEncoding("identity"));
  EXPECT_FALSE(IsIdentityEncoding("gzip"));
}

TEST(ParseUpstream, AcceptsHttpUrlsAndHostPort) {
  auto up = ParseUpstream("http://LocalHost:4200/");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->host, "localhost");
  EXPECT_EQ(up->port, 4200);
  EXPECT_EQ(up->host_header, "localhost:4200");
  EXPECT_EQ(up->origin, "http://localhost:4200");
  auto bare = ParseUpstream("127.0.0.1:3000");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->url, "http://127.0.0.1:3000");
  auto v6 = ParseUpstream("http://[::1]:5173");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->host_header, "[::1]:5173");
  auto default_port = ParseUpstream("http://devbox");
  ASSERT_TRUE(default_port);
  EXPECT_EQ(default_port->port, 80);
  EXPECT_EQ(default_port->host_header, "devbox");
}

TEST(ParseUpstream, RefusesWhatItCannotProxyWithAReason) {
  for (auto [text, why] :
       std::vector<std::pair<std::string, std::string>>{{"https://localhost:4200", "https"},
                                                        {"ftp://x", "scheme"},
                                                        {"http://localhost:4200/app", "path"},
                                                        {"http://localhost:0", "bad port"},
                                                        {"http://localhost:65536", "bad port"},
                                                        {"http://localhost:", "bad port"},
                                                        {"http://u@localhost", "user info"},
                                                        {"http://[::1", "IPv6"},
                                                        {"", "no host"}}) {
    auto up = ParseUpstream(text);
    ASSERT_FALSE(up) << text;
    EXPECT_NE(up.error().message.find(why), std::string::npos) << up.error().message;
  }
}

TEST(UpstreamErrorPage, NamesTheUrlAndTheErrorEscaped) {
  std::string page = UpstreamErrorPage(502, "http://localhost:4200", "refused <b>&</b>");
  EXPECT_NE(page.find("http://localhost:4200"), std::string::npos);
  EXPECT_NE(page.find("refused &lt;b&gt;&amp;&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(page.find("/__annotate/upstream"), std::string::npos);
  EXPECT_NE(page.find("<title>502"), std::string::npos);
}

}  // namespace
}  // namespace nga::net
