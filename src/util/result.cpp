#include "util/result.h"

namespace nga {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kLimitExceeded:
      return "limit_exceeded";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kWrongStatus:
      return "wrong_status";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kStorage:
      return "storage";
    case ErrorCode::kIo:
      return "io";
  }
  return "unknown";
}

}  // namespace nga
