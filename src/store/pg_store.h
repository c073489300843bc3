// The store on PostgreSQL, for a team: several `serve` instances, `mcp`
// processes and CLIs on one database, every row scoped to a project.
//
// Same guarantees as the SQLite store (store.h): every change is one
// transaction that first locks its project's row in nga_projects, so writers
// of one project are serialized (as SQLite's BEGIN IMMEDIATE serializes
// them), a status change's compare-and-set has exactly one winner across
// every process and instance, and event sequence numbers commit in order.
// A commit sends NOTIFY on the project's channel (ChannelFor) with the new
// latest sequence; see pg_change_feed.cpp.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace nga {

// A dead instance's sessions go inactive at most kInstanceLease +
// kInstanceRenewInterval after its last renewal (see Store::RenewInstanceLease).
inline constexpr Millis kInstanceLease = 15000;
inline constexpr Millis kInstanceRenewInterval = 5000;

// The project key when none is given: `default`.
inline constexpr const char* kDefaultPostgresProject = "default";

// Opens the store at a postgres:// URL for `project` (created on first use),
// bringing the schema up to date.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const std::string& project,
                                                 StoreOptions options = {});

// `ng-annotate migrate`: brings the schema at url up to date. Idempotent.
// Returns the schema version after it.
Result<int> MigratePostgresStore(const std::string& url);

// The NOTIFY channel of a project.
std::string ChannelFor(const std::string& project);

// A project key PostgreSQL can carry in a channel name: 1 to 48 bytes.
Status CheckProjectName(const std::string& project);

// The URL with its password replaced by ***, for messages.
std::string RedactUrl(const std::string& url);

}  // namespace nga
