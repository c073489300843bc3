// The agent's tools (SPEC §5), with ng-annotate-mcp's names and arguments so
// that prompts written for it keep working.
//
// Every result is a CallToolResult: content[0].text is compact JSON and the
// same object is structuredContent. A failure is {isError:true} with the text
// "Error: <what>". Every call refreshes the agent heartbeat.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "mcp/feed_wait.h"
#include "mcp/services.h"

namespace nga::mcp {

inline constexpr long long kMaxTimeoutMs = 600000;
inline constexpr long long kDefaultWatchTimeoutMs = 25000;
inline constexpr long long kDefaultDiffTimeoutMs = 300000;
// List tools (get_session, get_pending, get_all_pending, watch_annotations)
// answer in pages: `limit` annotations (default, maximum), and never more
// than kMaxListBytes of them as JSON (at least one).
inline constexpr long long kDefaultListLimit = 50;
inline constexpr long long kMaxListLimit = 500;
inline constexpr std::size_t kMaxListBytes = 1024 * 1024;

// A successful CallToolResult carrying `value`.
boost::json::object ToolSuccess(boost::json::object value);
// A failed CallToolResult: text "Error: <what>", isError true.
boost::json::object ToolFailure(std::string_view what);

struct ToolDef;

class Tools {
 public:
  explicit Tools(Services& services) : services_(services) {}

  // Team mode (issue 20): the name of the session's token, recorded as the
  // author of what its calls change (Store's ActingAs).
  void SetActor(std::string name) { actor_ = std::move(name); }

  // tools/list's "tools": name, title, description, inputSchema, annotations.
  static boost::json::array List();
  static bool Exists(std::string_view name);

  // Runs tool `name` (which must exist). `done` gets the CallToolResult, or
  // nullopt if the call was cancelled. Every tool but the two watches answers
  // before returning nullptr; a watch with nothing to report yet returns its
  // FeedWait, which the caller may Cancel().
  std::shared_ptr<FeedWait> Call(std::string_view name, const boost::json::object& arguments,
                                 FeedWait::Done done);

 private:
  static const std::vector<ToolDef>& Table();
  static const ToolDef* Find(std::string_view name);

  boost::json::object ListSessions(const boost::json::object& args);
  boost::json::object GetSession(const boost::json::object& args);
  boost::json::object GetAnnotation(const boost::json::object& args);
  boost::json::object GetPending(const boost::json::object& args);
  boost::json::object GetAllPending(const boost::json::object& args);
  // Fills {annotations, more, nextCursor} with one page; an error message
  // for a bad cursor or a store failure.
  std::optional<std::string> Page(AnnotationFilter filter, const boost::json::object& args,
                                  boost::json::object& value);
  boost::json::object Acknowledge(const boost::json::object& args);
  boost::json::object ProposeDiff(const boost::json::object& args);
  boost::json::object Resolve(const boost::json::object& args);
  boost::json::object Dismiss(const boost::json::object& args);
  boost::json::object Reply(const boost::json::object& args);
  std::shared_ptr<FeedWait> WatchAnnotations(const boost::json::object& args, FeedWait::Done done);
  std::shared_ptr<FeedWait> WatchDiffResponse(const boost::json::object& args, FeedWait::Done done);

  std::optional<boost::json::object> CheckDiffResponse(const std::string& id);
  boost::json::object WatchTimeout();
  // After a write of ours: let this process's listeners (browser sockets,
  // other MCP sessions) see it now rather than after the inotify hop.
  void Announce();
  void Heartbeat();

  Services& services_;
  std::string actor_;
};

}  // namespace nga::mcp
