// Asio and Beast, compiled once for the whole program (the build defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION), so
// that files using them stay quick to compile.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
