// The data model of SPEC §3 and its JSON form on the wire (camelCase,
// ISO-8601 UTC timestamps with milliseconds).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"
#include "util/time.h"

namespace nga {

struct Session {
  std::string id;
  Millis created_at = 0;
  Millis last_seen_at = 0;
  bool active = false;
  std::string url;
  bool yolo_mode = false;
};

// pending -> acknowledged -> diff_proposed -> resolved | dismissed, as in
// ng-annotate-mcp; then the user's check of a resolved one (issue 18):
// resolved -> accepted (Accept), or back to pending with a note (Reopen).
enum class AnnotationStatus {
  kPending,
  kAcknowledged,
  kDiffProposed,
  kResolved,
  kDismissed,
  kAccepted
};

// "pending", "acknowledged", "diff_proposed", "resolved", "dismissed", "accepted".
const char* StatusName(AnnotationStatus status);
std::optional<AnnotationStatus> ParseStatus(std::string_view name);
// resolved, dismissed and accepted: the annotation needs no more work.
bool IsTerminal(AnnotationStatus status);
// The status as ng-annotate-mcp names it (its client knows only its five):
// accepted is "resolved" there; every other status is its own name.
const char* LegacyStatusName(AnnotationStatus status);

enum class Author { kAgent, kUser };
const char* AuthorName(Author author);

struct Reply {
  std::string id;
  Millis created_at = 0;
  Author author = Author::kUser;
  std::string message;
  // Team mode: the name of the token that wrote it ("authorName").
  std::optional<std::string> author_name;
};

enum class DiffResponse { kApproved, kRejected };
const char* DiffResponseName(DiffResponse response);

struct Annotation {
  // Set by the server only.
  std::string id;
  std::string session_id;
  Millis created_at = 0;
  Millis updated_at = 0;
  AnnotationStatus status = AnnotationStatus::kPending;
  std::vector<Reply> replies;
  std::optional<std::string> diff;
  std::optional<DiffResponse> diff_response;
  // Team mode (issue 20): the name of the token that created it
  // ("authorName"), and of the one that made its latest status change
  // ("statusBy"). Absent in the loopback dev mode.
  std::optional<std::string> author_name;
  std::optional<std::string> status_by;

  // What the browser sent, validated (see validate.h): componentName,
  // componentFilePath, templateFilePath?, selector, inputs, domSnapshot,
  // componentTreePath, annotationText, selectionText?, and the optional
  // overlay context (pageUrl, framework, sourceLocation, boundingBox,
  // viewport, elementPath, anchor), the other elements and the area
  // (elements, region: see elements.h) and page context (pageLog,
  // computedStyles, accessibility: see page_context.h). Always holds the
  // required keys.
  boost::json::object request;

  std::string_view annotation_text() const;
  std::string_view component_name() const;
  std::string_view component_file_path() const;
  // The newest reply's author, if there is any reply.
  std::optional<Author> last_reply_author() const;
};

// Page context that only a request for one annotation returns (MCP
// get_annotation, the annotation resource, export): list answers and the
// browser's frames leave it out, so lists stay small (issue 18). `elements`
// (the other elements of a Shift+click or area annotation, elements.h) is
// as bulky as the first element's inputs and domSnapshot together.
inline constexpr std::string_view kDetailOnlyFields[] = {"pageLog", "computedStyles",
                                                         "accessibility", "elements"};

// Wire form of each type.
boost::json::object ToJson(const Session& session);
boost::json::object ToJson(const Reply& reply);
boost::json::object ToJson(const Annotation& annotation);
boost::json::array ToJson(const std::vector<Annotation>& annotations);
// The wire form without kDetailOnlyFields, for lists and the browser.
boost::json::object ToListJson(const Annotation& annotation);
// `json` (a wire form of an annotation) as ng-annotate-mcp's clients read it:
// `status` is LegacyStatusName(status), and when that differs our status is
// kept in `ngAnnotateStatus` (which AnnotationFromJson reads back). Used for
// revision-1 sockets (its overlay) and `export` (its store.json).
void ToLegacyForm(AnnotationStatus status, boost::json::object& json);

// Parses the wire form back (export/import). Errors name the bad field.
Result<Session> SessionFromJson(const boost::json::value& json);
Result<Annotation> AnnotationFromJson(const boost::json::value& json);

}  // namespace nga
