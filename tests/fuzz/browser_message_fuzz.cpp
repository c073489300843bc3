// The browser-message handler's input path: one text frame as the socket
// delivers it, parsed, and a create's payload validated as the store does.
// Every input must give a message or a ProtocolError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "browser/messages.h"
#include "store/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = nga::browser::ParseClientMessage(text);
  if (auto* message = std::get_if<nga::browser::ClientMessage>(&parsed)) {
    if (message->type == nga::browser::ClientMessageType::kAnnotationCreate) {
      auto stored = nga::ValidateAnnotationPayload(message->payload);
      if (stored && stored->size() == 0) __builtin_trap();  // required keys are always there
    }
    if (message->type == nga::browser::ClientMessageType::kAnnotationReply) {
      (void)nga::ValidateMessage("message", message->message);
    }
  } else {
    const auto& error = std::get<nga::browser::ProtocolError>(parsed);
    (void)nga::browser::ErrorFrame(error);
  }
  return 0;
}
