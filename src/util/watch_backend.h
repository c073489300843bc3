// Which way a process finds out about changes made elsewhere: another
// process's commit (store/change_watcher.h) and edits to the project's files
// (manifest/manifest_watcher.h).
//
// kNative is the operating system's own notification (inotify on Linux).
// kPortable polls, with nothing but the filesystem: it runs everywhere, so it
// is what ships where no native backend is tested (macOS: Debian has no
// userspace kqueue to test one against), and the Linux test suite runs it too
// by forcing it with NG_ANNOTATE_PORTABLE_WATCH=1 (`make test-portable-watch`).
#pragma once

#include <string_view>

namespace nga {

enum class WatchBackend { kNative, kPortable };

// True where this build has a native backend (Linux only, today).
constexpr bool kHasNativeWatch =
#if defined(__linux__)
    true;
#else
    false;
#endif

// kPortable when the build has no native backend or the environment variable
// NG_ANNOTATE_PORTABLE_WATCH is set to anything but "" or "0"; else kNative.
WatchBackend DefaultWatchBackend();

// "inotify" or "portable polling": for messages and tests.
std::string_view WatchBackendName(WatchBackend backend);

}  // namespace nga
