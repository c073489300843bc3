// Host and Origin checks (SPEC §4, §6), without a socket.
#include <gtest/gtest.h>

#include "net/access.h"
#include "net/http.h"

namespace nga::net {
namespace {

TEST(HostName, StripsThePortAndLowercases) {
  EXPECT_EQ(HostName("LocalHost:4750"), "localhost");
  EXPECT_EQ(HostName("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(HostName("[::1]:80"), "[::1]");
  EXPECT_EQ(HostName("[::1]"), "[::1]");
  EXPECT_EQ(HostName("[::1"), "");
  EXPECT_EQ(HostName("[::1]x"), "");
  EXPECT_EQ(HostName("a b"), "");
  EXPECT_EQ(HostName(""), "");
  EXPECT_EQ(HostName("evil.com/x"), "");
}

TEST(AccessPolicy, LoopbackHostsPass) {
  AccessPolicy policy;
  for (std::string_view host : {"localhost:1", "127.0.0.1:4750", "[::1]:4750", "LOCALHOST"}) {
    EXPECT_EQ(policy.Check(host, std::nullopt), std::nullopt) << host;
  }
}

// Per-branch preview hosts (issue 20): one label in place of the `*`.
TEST(AccessPolicy, WildcardOriginAllowsOneLabel) {
  AccessPolicy policy;
  policy.AllowOrigin("https://*.preview.example.com");
  auto check = [&](std::string_view origin) { return policy.Check("localhost", origin); };
  EXPECT_EQ(check("https://pr-12.preview.example.com"), std::nullopt);
  EXPECT_EQ(check("https://PR-12.Preview.Example.com"), std::nullopt);
  EXPECT_NE(check("http://pr-12.preview.example.com"), std::nullopt);  // scheme
  EXPECT_NE(check("https://a.b.preview.example.com"), std::nullopt);   // two labels
  EXPECT_NE(check("https://preview.example.com"), std::nullopt);       // none
  EXPECT_NE(check("https://.preview.example.com"), std::nullopt);
  EXPECT_NE(check("https://evilpreview.example.com"), std::nullopt);
  EXPECT_NE(check("https://x.preview.example.com.evil.com"), std::nullopt);
  EXPECT_NE(check("https://x.preview.example.com:8443"), std::nullopt);  // port
  EXPECT_EQ(policy.CheckOwnOrigin("localhost", "https://pr-1.preview.example.com"), std::nullopt);
}

TEST(AccessPolicy, ForeignOrMissingHostsFail) {
  AccessPolicy policy;
  EXPECT_NE(policy.Check(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_NE(policy.Check("", std::nullopt), std::nullopt);
  EXPECT_NE(policy.Check("evil.com:4750", std::nullopt), std::nullopt);
  EXPECT_NE(policy.Check("localhost.evil.com", std::nullopt), std::nullopt);
  EXPECT_NE(policy.Check("127.0.0.1.nip.io", std::nullopt), std::nullopt);
  auto reason = policy.Check("evil.com:4750", std::nullopt);
  EXPECT_NE(reason->find("evil.com"), std::string::npos);
  EXPECT_EQ(reason->find('\n'), std::string::npos);
}

TEST(AccessPolicy, AllowedHostsPassWhateverThePort) {
  AccessPolicy policy;
  policy.AllowHost("Dev.Example.com:8080");
  EXPECT_EQ(policy.Check("dev.example.com:9999", std::nullopt), std::nullopt);
  EXPECT_NE(policy.Check("example.com", std::nullopt), std::nullopt);
}

TEST(AccessPolicy, OriginsLoopbackSameOrAllowed) {
  AccessPolicy policy;
  policy.AllowOrigin("https://dev.example.com:8443/");
  policy.AllowHost("dev.example.com");
  EXPECT_EQ(policy.Check("localhost:4750", "http://localhost:4200"), std::nullopt);
  EXPECT_EQ(policy.Check("localhost:4750", "https://127.0.0.1:5173"), std::nullopt);
  EXPECT_EQ(policy.Check("localhost:4750", "http://[::1]:3000"), std::nullopt);
  EXPECT_EQ(policy.Check("dev.example.com:7000", "http://dev.example.com:7000"), std::nullopt);
  EXPECT_EQ(policy.Check("localhost:4750", "HTTPS://DEV.EXAMPLE.COM:8443"), std::nullopt);

  EXPECT_NE(policy.Check("localhost:4750", "https://dev.example.com"), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4750", "https://evil.com"), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4750", "null"), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4750", ""), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4750", "http://localhost.evil.com"), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4750", "http://evil.com@localhost"), std::nullopt);
  EXPECT_NE(policy.Check("localhost:4750", "chrome-extension://localhost"), std::nullopt);
}

TEST(HttpRequest, QueryParamsAreDecoded) {
  HttpRequest request;
  request.query = "a=1&sessionId=abc%2Ddef&empty&plus=a+b&bad=%zz";
  EXPECT_EQ(request.QueryParam("sessionId"), "abc-def");
  EXPECT_EQ(request.QueryParam("a"), "1");
  EXPECT_EQ(request.QueryParam("empty"), "");
  EXPECT_EQ(request.QueryParam("plus"), "a b");
  EXPECT_EQ(request.QueryParam("bad"), "%zz");
  EXPECT_EQ(request.QueryParam("missing"), std::nullopt);
}

TEST(HttpRequest, HeadersByLowercaseName) {
  HttpRequest request;
  request.headers = {{"host", "localhost"}, {"origin", "http://a"}, {"origin", "http://b"}};
  EXPECT_EQ(request.Header("origin"), "http://a");
  EXPECT_EQ(request.Header("referer"), std::nullopt);
}

}  // namespace
}  // namespace nga::net
