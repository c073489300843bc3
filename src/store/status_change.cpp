#include "store/status_change.h"

#include "store/validate.h"

namespace nga {

namespace {

const std::vector<AnnotationStatus> kOpen = {
    AnnotationStatus::kPending, AnnotationStatus::kAcknowledged, AnnotationStatus::kDiffProposed};

std::string StatusList(const std::vector<AnnotationStatus>& statuses) {
  std::string out;
  for (auto status : statuses) {
    if (!out.empty()) out += " or ";
    out += StatusName(status);
  }
  return out;
}

}  // namespace

Error NotFoundError(std::string_view what, std::string_view id) {
  return MakeError(ErrorCode::kNotFound, "no " + std::string(what) + " with id " + std::string(id));
}

Status CheckStatusChange(const StatusChange& change, const ChangeTarget& target) {
  std::string id(change.id);
  if (change.owner_session && *change.owner_session != target.session_id) {
    return MakeError(ErrorCode::kForbidden, "annotation " + id + " belongs to another session");
  }
  bool allowed = change.allowed_from.empty();
  for (auto from : change.allowed_from) allowed = allowed || from == target.status;
  if (!allowed) {
    return MakeError(ErrorCode::kWrongStatus,
                     "cannot " + std::string(change.action) + " annotation " + id + ": it is " +
                         StatusName(target.status) + ", and that needs it to be " +
                         StatusList(change.allowed_from));
  }
  if (change.diff_response && target.has_diff_response) {
    return MakeError(ErrorCode::kWrongStatus, "cannot " + std::string(change.action) +
                                                  " annotation " + id +
                                                  ": the diff was already answered");
  }
  return Ok{};
}

Status CheckReplyRoom(const StatusChange& change, std::size_t replies) {
  if (!change.reply_capped || replies < limits::kRepliesPerAnnotation) return Ok{};
  return MakeError(ErrorCode::kLimitExceeded,
                   "annotation " + std::string(change.id) + " already has " +
                       std::to_string(replies) +
                       " replies, the limit; resolve or dismiss it and start a new one");
}

Result<Annotation> StatusChangeStore::Acknowledge(std::string_view id,
                                                  std::optional<std::string_view> message) {
  if (message) {
    if (auto ok = ValidateMessage("message", *message); !ok) return ok.error();
  }
  return ApplyStatusChange({.id = id,
                            .action = "acknowledge",
                            .allowed_from = {AnnotationStatus::kPending},
                            .to = AnnotationStatus::kAcknowledged,
                            .reply_author = message ? std::optional(Author::kAgent) : std::nullopt,
                            .reply_message = message});
}

Result<Annotation> StatusChangeStore::ProposeDiff(std::string_view id, std::string_view diff) {
  if (auto ok = ValidateDiff(diff); !ok) return ok.error();
  return ApplyStatusChange({.id = id,
                            .action = "propose_diff",
                            .allowed_from = kOpen,
                            .to = AnnotationStatus::kDiffProposed,
                            .diff = diff});
}

Result<Annotation> StatusChangeStore::RespondToDiff(std::string_view id, DiffResponse response,
                                                    std::optional<std::string_view> owner_session) {
  return ApplyStatusChange(
      {.id = id,
       .action = response == DiffResponse::kApproved ? "approve the diff" : "reject the diff",
       .allowed_from = {AnnotationStatus::kDiffProposed},
       .owner_session = owner_session,
       .diff_response = response});
}

Result<Annotation> StatusChangeStore::Resolve(std::string_view id,
                                              std::optional<std::string_view> summary) {
  if (summary) {
    if (auto ok = ValidateMessage("summary", *summary); !ok) return ok.error();
  }
  return ApplyStatusChange({.id = id,
                            .action = "resolve",
                            .allowed_from = kOpen,
                            .to = AnnotationStatus::kResolved,
                            .reply_author = summary ? std::optional(Author::kAgent) : std::nullopt,
                            .reply_message = summary});
}

Result<Annotation> StatusChangeStore::Dismiss(std::string_view id, std::string_view reason) {
  if (auto ok = ValidateMessage("reason", reason); !ok) return ok.error();
  return ApplyStatusChange({.id = id,
                            .action = "dismiss",
                            .allowed_from = kOpen,
                            .to = AnnotationStatus::kDismissed,
                            .reply_author = Author::kAgent,
                            .reply_message = reason});
}

Result<Annotation> StatusChangeStore::DeleteByUser(std::string_view id,
                                                   std::string_view owner_session) {
  return ApplyStatusChange({.id = id,
                            .action = "delete",
                            .allowed_from = {AnnotationStatus::kPending},
                            .owner_session = owner_session,
                            .to = AnnotationStatus::kDismissed});
}

Result<Annotation> StatusChangeStore::AddReply(std::string_view id, Author author,
                                               std::string_view message,
                                               std::optional<std::string_view> owner_session) {
  if (auto ok = ValidateMessage("message", message); !ok) return ok.error();
  return ApplyStatusChange({.id = id,
                            .action = "reply",
                            .allowed_from = {},
                            .owner_session = owner_session,
                            .reply_author = author,
                            .reply_message = message,
                            .reply_capped = true});
}

// The user's verdict on a resolved change (the before/after check): accepted
// closes it for good; reopened puts it back to pending with the user's note,
// which makes it waiting work again.
Result<Annotation> StatusChangeStore::Accept(std::string_view id, std::string_view owner_session) {
  return ApplyStatusChange({.id = id,
                            .action = "accept",
                            .allowed_from = {AnnotationStatus::kResolved},
                            .owner_session = owner_session,
                            .to = AnnotationStatus::kAccepted});
}

Result<Annotation> StatusChangeStore::Reopen(std::string_view id, std::string_view note,
                                             std::string_view owner_session) {
  if (auto ok = ValidateMessage("note", note); !ok) return ok.error();
  return ApplyStatusChange({.id = id,
                            .action = "reopen",
                            .allowed_from = {AnnotationStatus::kResolved},
                            .owner_session = owner_session,
                            .to = AnnotationStatus::kPending,
                            .reply_author = Author::kUser,
                            .reply_message = note,
                            .reply_capped = true});
}

}  // namespace nga
