// Boost.URL compiled into the cross build (cmake/cross_deps.cmake).
#include <boost/url/src.hpp>
