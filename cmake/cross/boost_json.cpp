// Boost.JSON compiled into the cross build (cmake/cross_deps.cmake).
#include <boost/json/src.hpp>
