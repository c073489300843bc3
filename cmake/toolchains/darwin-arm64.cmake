# macOS on Apple silicon, cross-built with zig (see darwin.cmake).
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(NGA_ZIG_TARGET aarch64-macos.11.0)
include(${CMAKE_CURRENT_LIST_DIR}/darwin.cmake)
