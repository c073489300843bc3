// The change feed of a PostgreSQL store, on LISTEN/NOTIFY.
//
// Every commit of the store sends NOTIFY on its project's channel (see
// pg_store.h); this feed holds a second connection that LISTENs on it and, on
// each notification, reads the delta with Store::EventsSince exactly as the
// SQLite feed does (EventDelivery), woken by the listening socket itself.
// When the listening connection drops (a server restart, a network cut) it
// reconnects with a growing delay (at most kMaxRetryDelay), without blocking
// the event loop (libpq's non-blocking connect, driven by waits on its
// socket), and then reads on from the last sequence it delivered, so nothing
// is missed; the slow safety timer of the SQLite feed stays as well.
//
// Thread rules: as ChangeFeed's (one event-loop thread owns store and feed).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>

#include "store/change_feed.h"

namespace nga {

inline constexpr std::chrono::milliseconds kMaxRetryDelay{2000};

// Starts listening for store's project (store.postgres_url() must be set).
Result<std::shared_ptr<ChangeFeed>> StartPostgresChangeFeed(boost::asio::any_io_executor executor,
                                                            Store& store);

}  // namespace nga
