#include "store/store.h"

#include "store/validate.h"
#include "util/uuid.h"

namespace nga {

Result<Annotation> Store::NewAnnotation(std::string_view session_id,
                                        const boost::json::object& payload, Millis now) const {
  auto request = ValidateAnnotationPayload(payload);
  if (!request) return request.error();
  Annotation annotation;
  annotation.id = NewUuidV4();
  annotation.session_id = session_id;
  annotation.created_at = annotation.updated_at = now;
  annotation.request = std::move(*request);
  annotation.author_name = ActorOrNull();
  return annotation;
}

}  // namespace nga
