// The pure parts of serve --proxy: the streaming HTML injector, header
// rewriting, the --proxy URL and the error page.
#include <gtest/gtest.h>

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
                      {"x-forwarded-host", "127.0.0.1:4750"},
                      {"x-forwarded-proto", "http"},
                      {"x-forwarded-for", "10.0.0.1, 127.0.0.1"}};
  EXPECT_EQ(out, expected);
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
