#include "browser/json_answer.h"

#include <boost/json/serialize.hpp>

namespace nga::browser {

void AnswerJson(net::HttpResponder& out, unsigned status, const boost::json::object& body) {
  out.Respond(status, "application/json", boost::json::serialize(body),
              {{"Cache-Control", "no-store"}});
}

void AnswerError(net::HttpResponder& out, unsigned status, std::string_view message) {
  AnswerJson(out, status, boost::json::object{{"error", message}});
}

}  // namespace nga::browser
