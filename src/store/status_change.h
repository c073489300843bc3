// The status changes both stores share (SQLite and PostgreSQL): what each
// named operation (acknowledge, propose_diff, resolve, ...) does to an
// annotation, which transitions it allows, its reply, and the errors a user
// sees when it is refused. A store only supplies the compare-and-set that
// applies a StatusChange in one transaction (ApplyStatusChange).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace nga {

// One status change, as a named operation describes it.
struct StatusChange {
  std::string_view id;
  std::string_view action;                     // for messages: "acknowledge", "resolve", ...
  std::vector<AnnotationStatus> allowed_from;  // empty: any status
  std::optional<std::string_view> owner_session;
  std::optional<AnnotationStatus> to;
  std::optional<Author> reply_author;
  std::optional<std::string_view> reply_message;
  std::optional<std::string_view> diff;       // also clears diffResponse
  std::optional<DiffResponse> diff_response;  // only if none is recorded yet
  bool reply_capped = false;                  // refuse the reply at limits::kRepliesPerAnnotation

  // Whether the change appends a reply (author and message).
  bool adds_reply() const { return reply_author && reply_message; }
};

// The annotation as the change's transaction found it.
struct ChangeTarget {
  std::string session_id;
  AnnotationStatus status = AnnotationStatus::kPending;
  bool has_diff_response = false;
};

// kForbidden (another session's annotation) or kWrongStatus (a transition
// the change does not allow, a diff already answered); Ok otherwise.
Status CheckStatusChange(const StatusChange& change, const ChangeTarget& target);

// kLimitExceeded when the annotation already holds `replies` replies and the
// change is capped (StatusChange::reply_capped).
Status CheckReplyRoom(const StatusChange& change, std::size_t replies);

// kNotFound, worded as every store words it.
Error NotFoundError(std::string_view what, std::string_view id);

// A Store whose named status operations are StatusChanges: both stores
// derive from it and implement ApplyStatusChange.
class StatusChangeStore : public Store {
 public:
  Result<Annotation> Acknowledge(std::string_view id,
                                 std::optional<std::string_view> message) final;
  Result<Annotation> ProposeDiff(std::string_view id, std::string_view diff) final;
  Result<Annotation> RespondToDiff(std::string_view id, DiffResponse response,
                                   std::optional<std::string_view> owner_session) final;
  Result<Annotation> Resolve(std::string_view id, std::optional<std::string_view> summary) final;
  Result<Annotation> Dismiss(std::string_view id, std::string_view reason) final;
  Result<Annotation> DeleteByUser(std::string_view id, std::string_view owner_session) final;
  Result<Annotation> AddReply(std::string_view id, Author author, std::string_view message,
                              std::optional<std::string_view> owner_session) final;
  Result<Annotation> Accept(std::string_view id, std::string_view owner_session) final;
  Result<Annotation> Reopen(std::string_view id, std::string_view note,
                            std::string_view owner_session) final;

 protected:
  // In one transaction (or a savepoint of the open batch): reads the
  // annotation (kNotFound if unknown), checks it with CheckStatusChange and
  // CheckReplyRoom, writes the change, its reply and its event; returns the
  // annotation after it, replies included.
  virtual Result<Annotation> ApplyStatusChange(const StatusChange& change) = 0;
};

}  // namespace nga
