#include "net/proxy_html.h"

#include <cctype>

namespace nga::net {
namespace {

// A `<body` tag longer than this without its `>` is not waited for.
constexpr std::size_t kMaxBodyTag = 8 * 1024;

bool IsNameEnd(char c) {
  return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Does `text` at `at` start with `word` (lowercase), case-insensitively?
// nullopt-like tri-state: 1 yes, 0 no, -1 not enough text to tell.
int StartsWithTag(std::string_view text, std::size_t at, std::string_view word) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (at + i >= text.size()) return -1;
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return 0;
  }
  if (at + word.size() >= text.size()) return -1;  // the character after the name decides
  return IsNameEnd(text[at + word.size()]) ? 1 : 0;
}

// The '>' that ends the tag starting at text[0], skipping quoted attribute
// values; npos when it has not arrived yet.
std::size_t TagEnd(std::string_view text) {
  char quote = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string HtmlInjector::Feed(std::string_view piece) {
  if (state_ == State::kDone) return std::string(piece);
  pending_.append(piece);
  std::string out;

  if (state_ == State::kSearching) {
    std::size_t at = 0;
    while ((at = pending_.find('<', at)) != std::string::npos) {
      int head = StartsWithTag(pending_, at, "</head");
      int body = StartsWithTag(pending_, at, "<body");
      if (head == 1) {
        out = pending_.substr(0, at) + tag_ + pending_.substr(at);
        pending_.clear();
        state_ = State::kDone;
        return out;
      }
      if (body == 1) {
        out = pending_.substr(0, at);
        pending_.erase(0, at);
        state_ = State::kInBodyTag;
        break;
      }
      if (head == -1 || body == -1) {  // might be either, once more arrives
        out = pending_.substr(0, at);
        pending_.erase(0, at);
        return out;
      }
      ++at;
    }
    if (state_ == State::kSearching) {
      out = std::move(pending_);
      pending_.clear();
      return out;
    }
  }

  // kInBodyTag: pending_ starts with "<body"; the tag goes after its '>'.
  auto close = TagEnd(pending_);
  if (close != std::string_view::npos) {
    out += pending_.substr(0, close + 1) + tag_ + pending_.substr(close + 1);
    pending_.clear();
    state_ = State::kDone;
  } else if (pending_.size() > kMaxBodyTag) {
    out += tag_ + pending_;  // not a tag worth waiting for: the script goes before it
    pending_.clear();
    state_ = State::kDone;
  }
  return out;
}

std::string HtmlInjector::Finish() {
  std::string out = std::move(pending_);
  pending_.clear();
  if (state_ != State::kDone) out += tag_;
  state_ = State::kDone;
  return out;
}

}  // namespace nga::net
