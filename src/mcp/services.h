// What every MCP session of one process shares: the store, its change feed
// and the event loop both live on.
//
// Thread rules: everything here, and every McpSession built on it, is used on
// the one thread that runs `executor` and owns `store` (see store.h and
// change_feed.h). The referenced objects must outlive every session.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>

#include "store/change_feed.h"
#include "store/store.h"
#include "store/write_queue.h"

namespace nga::mcp {

struct Services {
  Store& store;
  ChangeFeed& feed;
  boost::asio::any_io_executor executor;
  // How often a blocked watch refreshes the agent heartbeat (SPEC §5: 10 s).
  std::chrono::milliseconds heartbeat_interval{10000};
  // Group commit (optional): tool calls join its batch and are answered
  // after the commit; the queue's OnCommit checks `feed`. See tools.h.
  WriteQueue* writes = nullptr;
};

}  // namespace nga::mcp
