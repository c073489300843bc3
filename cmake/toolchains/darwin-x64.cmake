# macOS on Intel, cross-built with zig (see darwin.cmake).
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(NGA_ZIG_TARGET x86_64-macos.11.0)
include(${CMAKE_CURRENT_LIST_DIR}/darwin.cmake)
