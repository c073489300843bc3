// One HTTP/1.1 request from a command-line tool to an ng-annotate server
// (`ng-annotate manifest push`): plain http:// only, bounded in time.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "util/result.h"

namespace nga::net {

struct ClientResponse {
  unsigned status = 0;
  std::string body;
};

// Sends `method` `body` (`content_type`) to `url` (http://host[:port]/path)
// with `headers`, and reads the whole answer. The whole exchange ends within
// `timeout`. Fails with a one-line message naming the URL (an https:// URL
// says how to reach the server instead).
Result<ClientResponse> HttpRequestOnce(
    std::string_view method, std::string_view url, std::string body, std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout);

}  // namespace nga::net
