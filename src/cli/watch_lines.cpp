#include "cli/watch_lines.h"

#include <ctime>

namespace nga::cli {

namespace {

constexpr std::size_t kTextWidth = 100;

// One terminal line, quoted: newlines and tabs become spaces, and a long text
// is cut (on a UTF-8 character boundary) with "...".
std::string Quoted(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() > kTextWidth) {
    std::size_t cut = kTextWidth - 3;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return "\"" + out + "\"";
}

std::string ShortId(std::string_view id) { return std::string(id.substr(0, 8)); }

std::string ComponentOf(const Annotation& annotation) {
  return annotation.component_name().empty() ? "(element)"
                                             : std::string(annotation.component_name());
}

std::size_t LineCount(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

std::string ReplyText(const Reply& reply) {
  return std::string(reply.author == Author::kAgent ? "agent: " : "user: ") + Quoted(reply.message);
}

}  // namespace

std::string LocalTimeOfDay(Millis at) {
  std::time_t seconds = static_cast<std::time_t>(at / 1000);
  std::tm local{};
#if defined(_WIN32)
  localtime_s(&local, &seconds);  // Windows' thread-safe form, arguments swapped
#else
  localtime_r(&seconds, &local);
#endif
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &local);
  return text;
}

Result<WatchPrinter> WatchPrinter::Start(Store& store) {
  WatchPrinter printer(store);
  printer.time_format_ = LocalTimeOfDay;
  auto annotations = store.ListAnnotations({});
  if (!annotations) return annotations.error();
  for (const auto& annotation : *annotations) {
    printer.annotations_[annotation.id] = Remember(annotation);
  }
  auto sessions = store.ListSessions();
  if (!sessions) return sessions.error();
  for (const auto& session : *sessions) {
    printer.sessions_[session.id] = {session.active, session.yolo_mode};
  }
  return printer;
}

WatchPrinter::Known WatchPrinter::Remember(const Annotation& annotation) {
  return {annotation.session_id,     ComponentOf(annotation), annotation.status,
          annotation.replies.size(), annotation.diff,         annotation.diff_response};
}

std::string WatchPrinter::Prefix(Millis at, const std::string& session_id,
                                 std::string_view subject) const {
  return time_format_(at) + "  " + ShortId(session_id) + "  " + std::string(subject) + "  ";
}

std::vector<std::string> WatchPrinter::Lines(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const auto& event : events) {
    if (event.annotation_id.empty()) {
      SessionLines(event, out);
    } else {
      AnnotationLines(event, out);
    }
  }
  return out;
}

void WatchPrinter::AnnotationLines(const Event& event, std::vector<std::string>& out) {
  auto known = annotations_.find(event.annotation_id);
  if (event.type == EventType::kAnnotationDeleted) {
    if (known == annotations_.end()) return;
    out.push_back(Prefix(event.at, known->second.session_id, known->second.component) + "cleared");
    annotations_.erase(known);
    return;
  }
  auto annotation = store_->GetAnnotation(event.annotation_id);
  if (!annotation) return;  // deleted since; its delete event follows
  std::string prefix = Prefix(event.at, annotation->session_id, ComponentOf(*annotation));

  // Before: what this printer saw last; a new annotation starts pending with
  // nothing else (whatever the batch did to it since is reported as changes).
  Known before;
  bool is_new = known == annotations_.end();
  if (!is_new) {
    before = known->second;
  } else {
    out.push_back(prefix + "new: " + Quoted(annotation->annotation_text()));
    if (event.type != EventType::kAnnotationCreated) {
      // Known to nobody (imported, say): say where it stands now.
      before.status = annotation->status;
      before.replies = annotation->replies.size() > 0 ? annotation->replies.size() - 1 : 0;
      before.diff = annotation->diff;
      before.diff_response = annotation->diff_response;
    }
  }
  annotations_[annotation->id] = Remember(*annotation);

  std::vector<const Reply*> new_replies;
  for (std::size_t i = before.replies; i < annotation->replies.size(); ++i) {
    new_replies.push_back(&annotation->replies[i]);
  }
  std::size_t next_reply = 0;
  if (annotation->status != before.status) {
    std::string line = prefix + StatusName(annotation->status);
    if (annotation->status == AnnotationStatus::kDiffProposed && annotation->diff) {
      line += " (" + std::to_string(LineCount(*annotation->diff)) + " lines)";
    }
    if (next_reply < new_replies.size()) line += ", " + ReplyText(*new_replies[next_reply++]);
    out.push_back(line);
  } else if (annotation->diff && annotation->diff != before.diff) {
    out.push_back(prefix + "new diff (" + std::to_string(LineCount(*annotation->diff)) + " lines)");
  }
  if (annotation->diff_response && annotation->diff_response != before.diff_response) {
    out.push_back(prefix + "diff " + DiffResponseName(*annotation->diff_response) + " by the user");
  }
  for (; next_reply < new_replies.size(); ++next_reply) {
    out.push_back(prefix + "reply from " + ReplyText(*new_replies[next_reply]));
  }
}

void WatchPrinter::SessionLines(const Event& event, std::vector<std::string>& out) {
  auto session = store_->GetSession(event.session_id);
  if (!session) return;
  KnownSession now{session->active, session->yolo_mode};
  auto known = sessions_.find(event.session_id);
  std::string prefix = Prefix(event.at, session->id, "session");
  if (known == sessions_.end()) {
    out.push_back(prefix + "browser opened " + session->url);
  } else {
    if (now.active != known->second.active) {
      out.push_back(prefix + (now.active ? "browser connected " + session->url
                                         : std::string("browser disconnected")));
    }
    if (now.yolo != known->second.yolo) {
      out.push_back(prefix + (now.yolo ? "yolo mode on" : "yolo mode off"));
    }
  }
  sessions_[session->id] = now;
}

}  // namespace nga::cli
