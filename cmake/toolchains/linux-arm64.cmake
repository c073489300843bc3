# Cross build for Linux arm64 with Debian's g++-aarch64-linux-gnu.
#
# The libraries come from Debian's multiarch packages (libboost-json1.81-dev:arm64
# and the others that scripts/setup.sh installs after `dpkg --add-architecture
# arm64`): they are the very builds a Debian arm64 machine links against, with
# their CMake config files and static archives, so CMakeLists.txt finds them as
# it does natively and the binary keeps only libc and libm shared. They live in
# /usr/lib/aarch64-linux-gnu, which CMake searches through
# CMAKE_LIBRARY_ARCHITECTURE; headers in /usr/include are shared by all
# architectures, as Debian's multiarch layout intends.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Only the arm64 side of the multiarch tree: never an x86-64 library by mistake.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu
                      /usr/lib/x86_64-linux-gnu/cmake)

# ctest and gtest_discover_tests run the arm64 test binary through qemu-user.
# It loads Debian's multiarch arm64 libc (/lib/ld-linux-aarch64.so.1, package
# libc6:arm64), not the cross toolchain's copy (`-L /usr/aarch64-linux-gnu`,
# libc6-arm64-cross 2.36-8): with that one, qemu 7.2 spins forever in the first
# pthread_create (seen here with a five-line std::thread program).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
