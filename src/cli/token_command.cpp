// `ng-annotate token create|list|revoke|link`: team mode's tokens (issue 20;
// auth/token.h), managed by whoever can reach the store (its URL is the
// admin's credential here: `token` talks to the database, not to a server).
//
//   create --role R --name N [--expires 30d]   prints the token, once
//   list [--json]                              id, name, role, dates, state
//   revoke ID|NAME                             every live token with that id or name
//   link --server URL [--name N] [--expires 7d]
//                                              a new reviewer token as a sign-in
//                                              link: URL/__annotate/signin#token=…
//
// The token is printed to stdout and nowhere else; the store keeps its hash.
#include <boost/json/serialize.hpp>
#include <iostream>
#include <memory>

#include "auth/gate.h"
#include "auth/token.h"
#include "cli/commands.h"
#include "cli/open_store.h"

namespace nga::cli {

namespace {

struct TokenArgs {
  std::optional<std::string> root;
  StoreChoice store;
  std::string role = "reviewer";
  std::string name;
  std::optional<std::string> expires;
  std::string id_or_name;
  std::string server;
  bool json = false;
};

Result<std::optional<Millis>> ExpiryFrom(const std::optional<std::string>& text, Millis now) {
  if (!text) return std::optional<Millis>{};
  auto span = auth::ParseDuration(*text);
  if (!span) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--expires: '" + *text + "' is not a duration such as 30d, 12h, 45m or 90s");
  }
  return std::optional<Millis>{now + *span};
}

Result<auth::MintedToken> Mint(Store& store, const TokenArgs& args, TokenRole role) {
  const Millis now = SystemNowMillis();
  if (args.name.empty() || args.name.size() > 100) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--name: 1 to 100 characters (who holds the token; it is recorded as the "
                     "author of what they do)");
  }
  auto expires = ExpiryFrom(args.expires, now);
  if (!expires) return expires.error();
  auto minted = auth::MintToken(args.name, role, now, *expires);
  if (!minted) return minted.error();
  if (auto ok = store.CreateToken(minted->record); !ok) return ok.error();
  return minted;
}

std::string Describe(const TokenRecord& token, Millis now) {
  if (token.revoked_at) return "revoked " + FormatIso8601(*token.revoked_at);
  if (token.expires_at && now >= *token.expires_at) {
    return "expired " + FormatIso8601(*token.expires_at);
  }
  return token.expires_at ? "live until " + FormatIso8601(*token.expires_at) : "live";
}

int RunCreate(const TokenArgs& args) {
  auto role = ParseTokenRole(args.role);
  if (!role) {
    std::cerr << "ng-annotate: --role must be reviewer, agent or admin\n";
    return 2;
  }
  auto opened = OpenProjectStore(args.root, args.store);
  if (!opened) return Fail(opened.error().message);
  auto minted = Mint(*opened->store, args, *role);
  if (!minted) return Fail(minted.error().message);
  std::cout << minted->text << "\n";
  std::cerr << "ng-annotate: " << TokenRoleName(*role) << " token " << minted->record.id << " for '"
            << args.name << "' (" << Describe(minted->record, SystemNowMillis())
            << "); shown once, only its hash is stored\n";
  return 0;
}

int RunList(const TokenArgs& args) {
  auto opened = OpenExistingProjectStore(args.root, args.store);
  if (!opened) return Fail(opened.error().message);
  auto tokens = opened->store->ListTokens();
  if (!tokens) return Fail(tokens.error().message);
  const Millis now = SystemNowMillis();
  if (args.json) {
    boost::json::array out;
    for (const auto& token : *tokens) {
      boost::json::object row{{"id", token.id},
                              {"name", token.name},
                              {"role", TokenRoleName(token.role)},
                              {"createdAt", FormatIso8601(token.created_at)},
                              {"live", token.LiveAt(now)}};
      row["expiresAt"] = token.expires_at ? boost::json::value(FormatIso8601(*token.expires_at))
                                          : boost::json::value(nullptr);
      row["revokedAt"] = token.revoked_at ? boost::json::value(FormatIso8601(*token.revoked_at))
                                          : boost::json::value(nullptr);
      out.push_back(std::move(row));
    }
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const auto& token : *tokens) {
    std::cout << token.id << "  " << TokenRoleName(token.role) << "  " << token.name << "  "
              << Describe(token, now) << "\n";
  }
  return 0;
}

int RunRevoke(const TokenArgs& args) {
  auto opened = OpenExistingProjectStore(args.root, args.store);
  if (!opened) return Fail(opened.error().message);
  auto revoked = opened->store->RevokeTokens(args.id_or_name);
  if (!revoked) return Fail(revoked.error().message);
  if (*revoked == 0) return Fail("no live token with id or name '" + args.id_or_name + "'");
  std::cout << "revoked " << *revoked << " token" << (*revoked == 1 ? "" : "s")
            << "; servers close what they opened within a second\n";
  return 0;
}

int RunLink(const TokenArgs& args) {
  std::string server = args.server;
  while (!server.empty() && server.back() == '/') server.pop_back();
  if (server.rfind("http://", 0) != 0 && server.rfind("https://", 0) != 0) {
    std::cerr << "ng-annotate: --server must be the team server's http(s):// URL\n";
    return 2;
  }
  auto opened = OpenProjectStore(args.root, args.store);
  if (!opened) return Fail(opened.error().message);
  TokenArgs link_args = args;
  if (!link_args.expires) link_args.expires = "7d";
  auto minted = Mint(*opened->store, link_args, TokenRole::kReviewer);
  if (!minted) return Fail(minted.error().message);
  // The token rides in the fragment: browsers never send it to the server.
  std::cout << server << auth::kSignInPath << "#token=" << minted->text << "\n";
  std::cerr << "ng-annotate: reviewer token " << minted->record.id << " for '" << args.name << "' ("
            << Describe(minted->record, SystemNowMillis())
            << "); the link signs a browser in and is shown once\n";
  return 0;
}

CLI::App* AddStore(CLI::App* sub, TokenArgs& args) {
  AddRootOption(sub, args.root);
  AddStoreOptions(sub, args.store);
  return sub;
}

}  // namespace

void AddTokenCommand(CLI::App& app, Action& run) {
  auto* token = app.add_subcommand("token", "team mode's access tokens (serve --team)");
  token->require_subcommand(1);
  auto args = std::make_shared<TokenArgs>();

  auto* create = AddStore(token->add_subcommand("create", "a new token, printed once"), *args);
  create->add_option("--role", args->role, "reviewer (the overlay), agent (/mcp) or admin (both)")
      ->required();
  create->add_option("--name", args->name, "who holds it (recorded as the author)")->required();
  create->add_option("--expires", args->expires, "lifetime: 30d, 12h, 45m, 90s (default: none)");
  create->final_callback([&run, args] { run = [args] { return RunCreate(*args); }; });

  auto* list = AddStore(token->add_subcommand("list", "the project's tokens"), *args);
  list->add_flag("--json", args->json, "one JSON array");
  list->final_callback([&run, args] { run = [args] { return RunList(*args); }; });

  auto* revoke = AddStore(
      token->add_subcommand("revoke", "revoke tokens by id or name (open sockets close)"), *args);
  revoke->add_option("id_or_name", args->id_or_name, "the token's id or name")->required();
  revoke->final_callback([&run, args] { run = [args] { return RunRevoke(*args); }; });

  auto* link = AddStore(
      token->add_subcommand("link", "a new reviewer token as a sign-in link for the overlay"),
      *args);
  link->add_option("--server", args->server,
                   "the team server's URL, e.g. https://annotate.example.com")
      ->required();
  link->add_option("--name", args->name, "who it is for (recorded as the author)")->required();
  link->add_option("--expires", args->expires, "lifetime (default: 7d)");
  link->final_callback([&run, args] { run = [args] { return RunLink(*args); }; });
}

}  // namespace nga::cli
