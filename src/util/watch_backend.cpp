#include "util/watch_backend.h"

#include <cstdlib>
#include <string_view>

namespace nga {

WatchBackend DefaultWatchBackend() {
  if (!kHasNativeWatch) return WatchBackend::kPortable;
  const char* forced = std::getenv("NG_ANNOTATE_PORTABLE_WATCH");
  if (forced && std::string_view(forced) != "" && std::string_view(forced) != "0") {
    return WatchBackend::kPortable;
  }
  return WatchBackend::kNative;
}

std::string_view WatchBackendName(WatchBackend backend) {
  return backend == WatchBackend::kNative ? "inotify" : "portable polling";
}

}  // namespace nga
