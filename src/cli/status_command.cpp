// `status` and `list`: the annotations in the terminal.
#include <boost/json/serialize.hpp>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/open_store.h"

namespace nga::cli {

namespace {

constexpr AnnotationStatus kAllStatuses[] = {
    AnnotationStatus::kPending,  AnnotationStatus::kAcknowledged, AnnotationStatus::kDiffProposed,
    AnnotationStatus::kResolved, AnnotationStatus::kDismissed,    AnnotationStatus::kAccepted};

// One line of text, cut to fit a terminal row.
std::string OneLine(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out;
}

std::string Age(Millis then) {
  Millis seconds = (SystemNowMillis() - then) / 1000;
  if (seconds < 60) return std::to_string(seconds) + "s ago";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h ago";
  return std::to_string(seconds / 86400) + "d ago";
}

void PrintAnnotation(const Annotation& a) {
  std::string component(a.component_name().empty() ? "(element)" : a.component_name());
  std::cout << "    " << a.id.substr(0, 8) << "  " << component;
  if (!a.component_file_path().empty()) std::cout << "  " << a.component_file_path();
  std::cout << "\n      \"" << OneLine(a.annotation_text(), 70) << "\"";
  if (!a.replies.empty()) std::cout << "  (" << a.replies.size() << " replies)";
  std::cout << "\n";
}

int RunStatus(const std::optional<std::string>& root, const StoreChoice& choice) {
  auto opened = OpenExistingProjectStore(root, choice);
  if (!opened) return Fail(opened.error().message);
  Store& store = *opened->store;
  auto sessions = store.ListSessions();
  auto annotations = store.ListAnnotations({});
  auto heartbeat = store.LastAgentHeartbeat();
  if (!sessions) return Fail(sessions.error().message);
  if (!annotations) return Fail(annotations.error().message);
  if (!heartbeat) return Fail(heartbeat.error().message);

  std::cout << "store: " << store.path().string() << "\n";
  std::cout << "project: " << store.project() << "\n";
  std::cout << "agent: " << (*heartbeat ? "last seen " + Age(**heartbeat) : "never seen") << "\n";
  if (sessions->empty()) {
    std::cout << "no sessions yet: run `ng-annotate serve`, open your app and press "
                 "Alt+Shift+A\n";
    return 0;
  }
  std::map<std::string, std::vector<const Annotation*>> by_session;
  for (const auto& a : *annotations) by_session[a.session_id].push_back(&a);
  for (const auto& session : *sessions) {
    const auto& list = by_session[session.id];
    std::cout << "\nsession " << session.id << (session.active ? " (connected)" : "")
              << (session.yolo_mode ? " [yolo]" : "") << "  " << session.url << "\n";
    if (list.empty()) std::cout << "  no annotations\n";
    for (auto status : kAllStatuses) {
      std::size_t count = 0;
      for (const auto* a : list) count += a->status == status;
      if (count == 0) continue;
      std::cout << "  " << StatusName(status) << " (" << count << ")\n";
      for (const auto* a : list)
        if (a->status == status) PrintAnnotation(*a);
    }
  }
  return 0;
}

struct ListOptions {
  std::optional<std::string> root;
  StoreChoice store;
  std::optional<std::string> status;
  std::optional<std::string> session;
  bool json = false;
};

int RunList(const ListOptions& options) {
  AnnotationFilter filter;
  if (options.status) {
    filter.status = ParseStatus(*options.status);
    if (!filter.status) {
      std::cerr << "ng-annotate: --status must be one of pending, acknowledged, diff_proposed, "
                   "resolved, dismissed, accepted\n";
      return 2;
    }
  }
  filter.session_id = options.session;
  auto opened = OpenExistingProjectStore(options.root, options.store);
  if (!opened) return Fail(opened.error().message);
  auto annotations = opened->store->ListAnnotations(filter);
  if (!annotations) return Fail(annotations.error().message);
  if (options.json) {
    std::cout << boost::json::serialize(ToJson(*annotations)) << "\n";
    return 0;
  }
  for (const auto& a : *annotations) {
    std::cout << a.id << "  " << StatusName(a.status) << "  "
              << (a.component_name().empty() ? "(element)" : a.component_name()) << "  \""
              << OneLine(a.annotation_text(), 60) << "\"\n";
  }
  if (annotations->empty()) std::cout << "no annotations\n";
  return 0;
}

}  // namespace

void AddStatusCommands(CLI::App& app, Action& run) {
  auto root = std::make_shared<std::optional<std::string>>();
  auto* status = app.add_subcommand("status", "the annotations, by session and status");
  auto choice = std::make_shared<StoreChoice>();
  AddRootOption(status, *root);
  AddStoreOptions(status, *choice);
  status->final_callback(
      [&run, root, choice] { run = [root, choice] { return RunStatus(*root, *choice); }; });

  auto options = std::make_shared<ListOptions>();
  auto* list = app.add_subcommand("list", "one line per annotation, oldest first");
  AddRootOption(list, options->root);
  AddStoreOptions(list, options->store);
  list->add_option("--status", options->status, "only annotations in this status");
  list->add_option("--session", options->session, "only this session's annotations");
  list->add_flag("--json", options->json, "print the annotations as a JSON array");
  list->final_callback([&run, options] { run = [options] { return RunList(*options); }; });
}

}  // namespace nga::cli
