#include "cli/json_spans.h"

namespace nga::cli {

namespace {

// A small recursive-descent walker: it validates just enough to find spans.
class Walker {
 public:
  Walker(std::string_view text, const std::vector<std::string>& path) : text_(text), path_(path) {}

  std::optional<std::pair<std::size_t, std::size_t>> Run() {
    Value(0, true);
    return found_;
  }

 private:
  void Skip() {
    while (ok_ && at_ < text_.size()) {
      char c = text_[at_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++at_;
      } else if (text_.substr(at_, 2) == "//") {
        std::size_t end = text_.find('\n', at_);
        at_ = end == std::string_view::npos ? text_.size() : end;
      } else if (text_.substr(at_, 2) == "/*") {
        std::size_t end = text_.find("*/", at_ + 2);
        if (end == std::string_view::npos) ok_ = false;
        at_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  // A string literal from at_; returns its raw contents (escapes not decoded).
  std::string_view String() {
    std::size_t begin = ++at_;
    while (at_ < text_.size() && text_[at_] != '"') at_ += text_[at_] == '\\' ? 2 : 1;
    if (at_ >= text_.size()) {
      ok_ = false;
      return {};
    }
    return text_.substr(begin, at_++ - begin);
  }

  // `depth` keys of path_ matched so far, along the way when `on_path`.
  void Value(std::size_t depth, bool on_path) {
    Skip();
    if (!ok_ || at_ >= text_.size() || found_) {
      ok_ = ok_ && at_ < text_.size();
      return;
    }
    char c = text_[at_];
    if (c == '"') {
      std::size_t begin = at_;
      String();
      if (ok_ && on_path && depth == path_.size()) found_ = {{begin, at_}};
    } else if (c == '{') {
      ++at_;
      while (ok_ && !found_) {
        Skip();
        if (at_ < text_.size() && text_[at_] == '}') break;
        if (at_ >= text_.size() || text_[at_] != '"') {
          ok_ = false;
          return;
        }
        std::string_view key = String();
        Skip();
        if (at_ >= text_.size() || text_[at_] != ':') {
          ok_ = false;
          return;
        }
        ++at_;
        Value(depth + 1, on_path && depth < path_.size() && key == path_[depth]);
        Skip();
        if (at_ < text_.size() && text_[at_] == ',') ++at_;
      }
      if (ok_ && !found_) ++at_;
    } else if (c == '[') {
      ++at_;
      while (ok_ && !found_) {
        Skip();
        if (at_ < text_.size() && text_[at_] == ']') break;
        Value(depth + 1, false);
        Skip();
        if (at_ < text_.size() && text_[at_] == ',') ++at_;
      }
      if (ok_ && !found_) ++at_;
    } else {
      // A number, true, false or null.
      std::size_t begin = at_;
      while (at_ < text_.size() &&
             std::string_view(",}] \t\r\n/").find(text_[at_]) == std::string_view::npos) {
        ++at_;
      }
      if (at_ == begin) ok_ = false;
    }
  }

  std::string_view text_;
  const std::vector<std::string>& path_;
  std::size_t at_ = 0;
  bool ok_ = true;
  std::optional<std::pair<std::size_t, std::size_t>> found_;
};

}  // namespace

std::optional<std::pair<std::size_t, std::size_t>> FindStringValue(
    std::string_view text, const std::vector<std::string>& path) {
  return Walker(text, path).Run();
}

std::string JsonStringLiteral(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[(c >> 4) & 0xF];
      out += hex[c & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace nga::cli
