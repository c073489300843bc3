// What `ng-annotate watch` prints: each change-feed event as one readable
// line, "HH:MM:SS  <session>  <component>  <what happened>", e.g.
//
//   14:03:07  1a2b3c4d  CartComponent  new: "the total is wrong when empty"
//   14:03:08  1a2b3c4d  CartComponent  acknowledged, agent: "on it"
//   14:03:12  1a2b3c4d  CartComponent  diff proposed (12 lines)
//   14:03:15  1a2b3c4d  CartComponent  reply from user: "use the design token"
//   14:03:20  1a2b3c4d  CartComponent  resolved, agent: "fixed the empty case"
//
// The feed says only *that* an annotation changed; the printer remembers the
// status, reply count and diff of every annotation it knows, so a line can
// say *what* changed. Several changes read in one batch come out merged.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace nga::cli {

class WatchPrinter {
 public:
  // Remembers the current state of every annotation and session in `store`,
  // so only what changes afterwards is printed. `store` must outlive it.
  static Result<WatchPrinter> Start(Store& store);

  // The lines for a batch of events, in order (none for a change watch does
  // not show, such as a session's lastSeenAt).
  std::vector<std::string> Lines(const std::vector<Event>& events);

  // How times are written (default: local time of day, HH:MM:SS).
  using TimeFormat = std::string (*)(Millis at);
  void set_time_format(TimeFormat format) { time_format_ = format; }

 private:
  struct Known {
    std::string session_id;
    std::string component;
    AnnotationStatus status = AnnotationStatus::kPending;
    std::size_t replies = 0;
    std::optional<std::string> diff;
    std::optional<DiffResponse> diff_response;
  };
  struct KnownSession {
    bool active = false;
    bool yolo = false;
  };

  explicit WatchPrinter(Store& store) : store_(&store) {}
  static Known Remember(const Annotation& annotation);
  std::string Prefix(Millis at, const std::string& session_id, std::string_view subject) const;
  void AnnotationLines(const Event& event, std::vector<std::string>& out);
  void SessionLines(const Event& event, std::vector<std::string>& out);

  Store* store_;
  TimeFormat time_format_;
  std::map<std::string, Known, std::less<>> annotations_;
  std::map<std::string, KnownSession, std::less<>> sessions_;
};

// "14:03:07": the local time of day.
std::string LocalTimeOfDay(Millis at);

}  // namespace nga::cli
