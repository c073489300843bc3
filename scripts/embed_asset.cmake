# Turns a text asset into a C++ source defining nga::assets::NAME (a string_view).
# Usage: cmake -DINPUT=file -DOUTPUT=file.cpp -DNAME=kClientJs -P embed_asset.cmake
if(NOT NAME)
  message(FATAL_ERROR "embed_asset.cmake: pass -DNAME=<C++ name>")
endif()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
math(EXPR size "${hex_length} / 2")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n"
  "#include <cstddef>\n#include <string_view>\n"
  "namespace nga::assets {\n"
  "static const unsigned char kData[] = {${bytes} 0};\n"
  "extern const std::string_view ${NAME}(reinterpret_cast<const char*>(kData), ${size});\n"
  "}\n")
