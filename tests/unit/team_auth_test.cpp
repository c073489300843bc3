// Team mode's tokens and gate (issue 20), on a real store, without a socket.
#include <gtest/gtest.h>

#include "auth/forwarded.h"
#include "auth/gate.h"
#include "auth/open_credentials.h"
#include "auth/token.h"
#include "cli/serve_daemon.h"
#include "test_util.h"
#include "util/hmac_sha256.h"

namespace nga::auth {
namespace {

using testing::FakeClock;
using testing::TempDir;

TEST(Token, MintedTokensParseAndStoreOnlyTheHash) {
  auto minted = MintToken("pm", TokenRole::kReviewer, 5, std::nullopt);
  ASSERT_TRUE(minted);
  auto parts = ParseToken(minted->text);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->id, minted->record.id);
  EXPECT_EQ(minted->record.secret_hash, Sha256Hex(parts->secret));
  EXPECT_EQ(minted->text.find(minted->record.secret_hash), std::string::npos);
  auto other = MintToken("pm", TokenRole::kReviewer, 5, std::nullopt);
  EXPECT_NE(other->text, minted->text);
  EXPECT_NE(other->record.id, minted->record.id);
}

TEST(Token, ParseRefusesAnythingElse) {
  std::string good = "nga_" + std::string(16, 'a') + "_" + std::string(64, 'b');
  EXPECT_TRUE(ParseToken(good));
  EXPECT_FALSE(ParseToken(good + "c"));
  EXPECT_FALSE(ParseToken(good.substr(1)));
  EXPECT_FALSE(ParseToken("xyz_" + good.substr(4)));
  std::string upper = good;
  upper[30] = 'B';
  EXPECT_FALSE(ParseToken(upper));
  std::string dash = good;
  dash[20] = '-';
  EXPECT_FALSE(ParseToken(dash));
  EXPECT_FALSE(ParseToken(""));
}

TEST(Token, DurationsAndConstantTimeEquals) {
  EXPECT_EQ(ParseDuration("30d"), 30LL * 24 * 3600 * 1000);
  EXPECT_EQ(ParseDuration("12h"), 12LL * 3600 * 1000);
  EXPECT_EQ(ParseDuration("45m"), 45LL * 60 * 1000);
  EXPECT_EQ(ParseDuration("90s"), 90000);
  for (const char* bad : {"", "d", "0d", "-1d", "1w", "1.5h", "10", "1d2"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

class GateTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    store_ = testing::OpenTestStore(dir_, {}, GetParam());
    ASSERT_TRUE(store_);
    gate_.emplace(*store_, clock_.AsClock());
  }

  std::string Make(TokenRole role, std::optional<Millis> expires_at = std::nullopt) {
    auto minted = MintToken("holder", role, clock_.now, expires_at);
    EXPECT_TRUE(minted);
    EXPECT_TRUE(store_->CreateToken(minted->record));
    return minted->text;
  }

  static net::HttpRequest Request(std::string path, net::HeaderList headers = {}) {
    net::HttpRequest request;
    request.method = "GET";
    request.path = path;
    request.target = path;
    request.headers = std::move(headers);
    return request;
  }

  std::optional<unsigned> Status(std::string path, net::HeaderList headers, bool upgrade = false) {
    auto request = Request(std::move(path), std::move(headers));
    auto refusal = gate_->Admit(request, upgrade);
    if (!refusal) {
      EXPECT_TRUE(request.caller);
      return std::nullopt;
    }
    EXPECT_FALSE(request.caller);
    return refusal->status;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::optional<TeamGate> gate_;
};

net::HeaderList Bearer(const std::string& token) { return {{"authorization", "Bearer " + token}}; }
net::HeaderList Cookie(const std::string& token) {
  return {{"cookie", "theme=dark; nga_token=" + token + "; other=1"}};
}

TEST_P(GateTest, RolesByPath) {
  std::string reviewer = Make(TokenRole::kReviewer);
  std::string agent = Make(TokenRole::kAgent);
  std::string admin = Make(TokenRole::kAdmin);

  EXPECT_EQ(Status("/mcp", Bearer(reviewer)), 403u);
  EXPECT_EQ(Status("/mcp", Bearer(agent)), std::nullopt);
  EXPECT_EQ(Status("/mcp", Bearer(admin)), std::nullopt);
  EXPECT_EQ(Status("/mcp", Cookie(admin)), 401u);  // no cookie on /mcp
  EXPECT_EQ(Status("/__annotate", Bearer(agent), true), 403u);
  EXPECT_EQ(Status("/__annotate", Cookie(reviewer), true), std::nullopt);
  EXPECT_EQ(Status("/__annotate", Bearer(admin), true), std::nullopt);
  EXPECT_EQ(Status("/__annotate/client.js", Cookie(reviewer)), std::nullopt);
  EXPECT_EQ(Status("/__annotate/health", Bearer(agent)), std::nullopt);
  auto signin = Request("/__annotate/signin");
  EXPECT_FALSE(gate_->Admit(signin, false));  // open without a token, and no caller
  EXPECT_FALSE(signin.caller);
  EXPECT_EQ(Status("/__annotate/signin/x", {}), 401u);

  // A prefix another part adds (the preview manifest, say).
  gate_->Require("/__annotate/builds", {TokenRole::kAgent, TokenRole::kAdmin});
  EXPECT_EQ(Status("/__annotate/builds/b1", Bearer(reviewer)), 403u);
  EXPECT_EQ(Status("/__annotate/builds/b1", Bearer(agent)), std::nullopt);

  auto request = Request("/mcp", {{"authorization", "bearer " + agent}});
  ASSERT_FALSE(gate_->Admit(request, false));
  EXPECT_EQ(request.caller->name, "holder");
  EXPECT_EQ(request.caller->role, "agent");
}

TEST_P(GateTest, MissingForgedRevokedExpired) {
  std::string admin = Make(TokenRole::kAdmin, clock_.now + 1000);
  EXPECT_EQ(Status("/__annotate/health", {}), 401u);
  EXPECT_EQ(Status("/__annotate/health", Bearer("")), 401u);
  std::string forged = admin;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(Status("/__annotate/health", Bearer(forged)), 401u);
  EXPECT_EQ(Status("/__annotate/health", Bearer(admin)), std::nullopt);
  clock_.now += 1000;
  EXPECT_EQ(Status("/__annotate/health", Bearer(admin)), 401u);

  std::string other = Make(TokenRole::kAdmin);
  EXPECT_EQ(Status("/mcp", Bearer(other)), std::nullopt);
  ASSERT_EQ(*store_->RevokeTokens(ParseToken(other)->id), 1u);
  EXPECT_EQ(Status("/mcp", Bearer(other)), 401u);

  // The refusal never quotes the token.
  auto request = Request("/x", Bearer(forged));
  auto refusal = gate_->Admit(request, false);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->reason.find(forged.substr(21)), std::string::npos);
}

TEST_P(GateTest, RecheckClosesWhatARevokedOrExpiredTokenOpened) {
  auto kept = MintToken("kept", TokenRole::kAgent, clock_.now, std::nullopt);
  auto revoked = MintToken("gone", TokenRole::kAgent, clock_.now, std::nullopt);
  auto expiring = MintToken("brief", TokenRole::kAgent, clock_.now, clock_.now + 10);
  for (auto* t : {&kept, &revoked, &expiring}) ASSERT_TRUE(store_->CreateToken((*t)->record));
  OpenCredentials open;
  std::vector<std::string> closed;
  open.Add(kept->record.id, [&] { closed.push_back("kept"); });
  open.Add(revoked->record.id, [&] { closed.push_back("gone 1"); });
  open.Add(revoked->record.id, [&] { closed.push_back("gone 2"); });
  auto handle = open.Add(expiring->record.id, [&] { closed.push_back("brief"); });
  ASSERT_TRUE(open.Recheck(*store_, clock_.now));
  EXPECT_TRUE(closed.empty());

  ASSERT_EQ(*store_->RevokeTokens("gone"), 1u);
  ASSERT_TRUE(open.Recheck(*store_, clock_.now));
  EXPECT_EQ(closed, (std::vector<std::string>{"gone 1", "gone 2"}));
  EXPECT_EQ(open.size(), 2u);
  ASSERT_TRUE(open.Recheck(*store_, clock_.now + 10));
  EXPECT_EQ(closed.back(), "brief");
  open.Remove(handle);  // already gone: ignored
  EXPECT_EQ(open.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, GateTest, ::testing::ValuesIn(testing::TestBackends()),
                         testing::BackendName);

// X-Forwarded-Proto is believed from --trust-proxy addresses only.
TEST(TrustedProxies, OnlyTheirForwardedProtoCounts) {
  TrustedProxies proxies({"10.0.0.5", "::1"});
  net::HttpRequest request;
  request.headers = {{"x-forwarded-proto", "https, http"}};
  request.remote_address = "10.0.0.5";
  EXPECT_EQ(proxies.Scheme(request), "https");
  request.remote_address = "::ffff:10.0.0.5";
  EXPECT_EQ(proxies.Scheme(request), "https");
  request.remote_address = "::1";
  EXPECT_EQ(proxies.Scheme(request), "https");
  request.remote_address = "10.0.0.6";
  EXPECT_EQ(proxies.Scheme(request), "http");
  request.remote_address = "";
  EXPECT_EQ(proxies.Scheme(request), "http");
  request.remote_address = "10.0.0.5";
  request.headers = {{"x-forwarded-proto", "http"}};
  EXPECT_EQ(proxies.Scheme(request), "http");
  EXPECT_EQ(TrustedProxies().Scheme(request), "http");
}

TEST(TeamMode, ImpliedByANonLoopbackHostWithAStoreUrl) {
  cli::ServeConfig config;
  EXPECT_FALSE(cli::TeamModeFor(config));
  config.team = true;
  EXPECT_TRUE(cli::TeamModeFor(config));
  config.team = false;
  config.host = "0.0.0.0";
  EXPECT_FALSE(cli::TeamModeFor(config));  // no store URL: a dev box on the LAN
  config.store.url = "postgres://db/annotations";
  EXPECT_TRUE(cli::TeamModeFor(config));
  config.host = "127.0.0.1";
  EXPECT_FALSE(cli::TeamModeFor(config));
}

}  // namespace
}  // namespace nga::auth
