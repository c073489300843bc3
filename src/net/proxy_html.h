// Puts the overlay's script tag into an HTML response while it streams
// through the proxy, without holding the body: each piece goes out as soon
// as it cannot be the start of the place the tag goes.
//
// Where the tag goes, in the order the markup shows them:
//  - before the first `</head>`;
//  - else right after the first `<body ...>` tag (a page with no head);
//  - else, at the end (a fragment with neither).
// So the tag is always added exactly once, and the output is always the
// input plus tag.size() bytes: a Content-Length can be fixed up before the
// body is seen. Names match case-insensitively.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nga::net {

class HtmlInjector {
 public:
  explicit HtmlInjector(std::string tag) : tag_(std::move(tag)) {}

  // The next piece of the body in; what may be sent now out (possibly
  // empty: the end of a piece that could begin `</head` is held back).
  std::string Feed(std::string_view piece);
  // The body ended: whatever was held back, with the tag if it is not in yet.
  std::string Finish();

  bool injected() const { return state_ == State::kDone; }
  std::size_t added_bytes() const { return tag_.size(); }

 private:
  enum class State { kSearching, kInBodyTag, kDone };
  std::string tag_;
  std::string pending_;  // held back, not yet sent
  State state_ = State::kSearching;
};

}  // namespace nga::net
