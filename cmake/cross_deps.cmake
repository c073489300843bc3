# NGA_CROSS_DEPS: the dependencies of a cross build, without the target's
# own packages (Debian has no Boost, fmt or SQLite built for Windows, macOS
# or another CPU). Any cross toolchain can use it (windows-x64 here; the
# arm64 and darwin builds may too):
# - Boost, fmt and CLI11: the host's headers (Debian's libboost1.81-dev,
#   libfmt-dev, libcli11-dev), seen through a directory of links so that no
#   other host header (glibc's) leaks into the target's include path;
#   Boost.JSON and Boost.URL compiled from their src.hpp, one .cpp each;
#   fmt header-only;
# - SQLite: the amalgamation from a pinned npm package (NGA_SQLITE_AMALGAMATION,
#   the directory holding sqlite3.c and sqlite3.h; scripts/setup.sh cross
#   fetches it with its sha256 checked).
# It defines the same targets the native build gets from find_package.
enable_language(C)
set(NGA_CROSS_INCLUDE ${CMAKE_BINARY_DIR}/cross-include)
file(MAKE_DIRECTORY ${NGA_CROSS_INCLUDE})
foreach(dir boost fmt CLI postgresql)
  if(NOT EXISTS /usr/include/${dir})
    message(FATAL_ERROR "NGA_CROSS_DEPS needs the host's /usr/include/${dir} (run: bash scripts/setup.sh cross)")
  endif()
  file(CREATE_LINK /usr/include/${dir} ${NGA_CROSS_INCLUDE}/${dir} SYMBOLIC)
endforeach()

if(NOT EXISTS ${NGA_SQLITE_AMALGAMATION}/sqlite3.c)
  message(FATAL_ERROR "no SQLite amalgamation in '${NGA_SQLITE_AMALGAMATION}' (run: bash scripts/setup.sh cross)")
endif()

add_library(nga_cross_headers INTERFACE)
target_include_directories(nga_cross_headers SYSTEM INTERFACE ${NGA_CROSS_INCLUDE})
add_library(Boost::headers ALIAS nga_cross_headers)
add_library(CLI11::CLI11 ALIAS nga_cross_headers)

add_library(nga_fmt INTERFACE)
target_link_libraries(nga_fmt INTERFACE nga_cross_headers)
target_compile_definitions(nga_fmt INTERFACE FMT_HEADER_ONLY=1)

add_library(nga_boost_json STATIC ${CMAKE_SOURCE_DIR}/cmake/cross/boost_json.cpp)
target_link_libraries(nga_boost_json PUBLIC nga_cross_headers)
add_library(Boost::json ALIAS nga_boost_json)
add_library(nga_boost_url STATIC ${CMAKE_SOURCE_DIR}/cmake/cross/boost_url.cpp)
target_link_libraries(nga_boost_url PUBLIC nga_cross_headers)
add_library(Boost::url ALIAS nga_boost_url)

add_library(nga_sqlite3 STATIC ${NGA_SQLITE_AMALGAMATION}/sqlite3.c)
target_include_directories(nga_sqlite3 SYSTEM PUBLIC ${NGA_SQLITE_AMALGAMATION})
# What the store relies on (see src/store/sqlite.cpp): WAL, threads.
target_compile_definitions(nga_sqlite3 PRIVATE SQLITE_THREADSAFE=1 SQLITE_DQS=0
                                               SQLITE_DEFAULT_MEMSTATUS=0 SQLITE_OMIT_LOAD_EXTENSION)
target_compile_options(nga_sqlite3 PRIVATE -w)
add_library(SQLite::SQLite3 ALIAS nga_sqlite3)
set(NGA_FMT nga_fmt)
# libpq's header (types only: no cross build loads libpq, see
# src/store/libpq_loader.cpp).
set(NGA_LIBPQ_INCLUDE ${NGA_CROSS_INCLUDE}/postgresql)
