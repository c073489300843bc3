#include "mcp/raw_id.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdint>
#include <vector>

namespace nga::mcp {

namespace json = boost::json;

json::value RawNumberId(std::string_view text) {
  std::string tagged(1, kRawIdTag);
  tagged += text;
  return json::value(json::string(tagged));
}

std::optional<std::string_view> RawNumberText(const json::value& id) {
  const json::string* s = id.if_string();
  if (!s || s->empty() || (*s)[0] != kRawIdTag) return std::nullopt;
  return std::string_view(*s).substr(1);
}

namespace {

// A basic_parser handler that builds nothing: it only notes the source text
// of the number that is the "id" member of a message, that is of the top-level
// object or of an object directly inside the top-level array (a batch).
// json::parse itself throws the text away once the number is converted.
class IdFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  // raw[i]: the "id" number text of message i (0 for a single message), or
  // empty if that message's id is not a number. The last "id" wins, as in
  // json::parse.
  std::vector<std::string> raw;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    Value();
    stack_.push_back('o');
    if (AtMessage()) key_.clear();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    stack_.pop_back();
    return true;
  }
  bool on_array_begin(json::error_code&) {
    Value();
    if (stack_.empty()) raw.clear();  // a batch: raw[i] is for its element i
    stack_.push_back('a');
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    stack_.pop_back();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (AtMessage()) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (AtMessage()) {
      key_.append(s.data(), s.size());
      is_id_ = key_ == "id";
      key_.clear();
    }
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return Value(); }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code&) { return Number(s); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) { return Number(s); }
  bool on_double(double, json::string_view s, json::error_code&) { return Number(s); }
  bool on_bool(bool, json::error_code&) { return Value(); }
  bool on_null(json::error_code&) { return Value(); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  // True while the innermost open container is a message object.
  bool AtMessage() const {
    return (stack_.size() == 1 && stack_[0] == 'o') ||
           (stack_.size() == 2 && stack_[0] == 'a' && stack_[1] == 'o');
  }
  // Called as each value starts: counts the messages of a batch and forgets
  // the id-ness of a member once its value is seen.
  bool Value() {
    if (stack_.empty() || (stack_.size() == 1 && stack_[0] == 'a')) raw.emplace_back();
    if (AtMessage() && is_id_) {
      is_id_ = false;
      raw.back().clear();  // the id is not a number (or a later one replaces it)
    }
    return true;
  }
  bool Number(json::string_view last) {
    number_.append(last.data(), last.size());
    bool id = AtMessage() && is_id_;
    Value();
    if (id) raw.back() = std::move(number_);
    number_.clear();
    return true;
  }

  std::vector<char> stack_;
  std::string key_;
  std::string number_;
  bool is_id_ = false;
};

void KeepRawId(const std::string& text, json::value& message) {
  json::object* obj = message.if_object();
  if (text.empty() || !obj) return;
  json::value* id = obj->if_contains("id");
  if (!id || !id->is_number()) return;
  if (json::serialize(*id) == text) return;  // 7, -3, 18446744073709551615: exact already
  // Belt and braces: only a text that reads as the very number parsed.
  json::error_code ec;
  if (json::parse(text, ec) != *id || ec) return;
  *id = RawNumberId(text);
}

}  // namespace

void KeepRawNumberIds(std::string_view text, json::value& message) {
  json::basic_parser<IdFinder> parser(json::parse_options{});
  json::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return;  // the caller parsed `text` already; cannot happen
  const std::vector<std::string>& raw = parser.handler().raw;
  if (json::array* batch = message.if_array()) {
    for (std::size_t i = 0; i < batch->size() && i < raw.size(); ++i)
      KeepRawId(raw[i], (*batch)[i]);
  } else if (!raw.empty()) {
    KeepRawId(raw[0], message);
  }
}

namespace {

void AppendObject(std::string& out, const json::object& obj) {
  out += '{';
  bool first = true;
  for (const json::key_value_pair& kv : obj) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(json::string(kv.key()));
    out += ':';
    std::optional<std::string_view> raw;
    if (kv.key() == "id") raw = RawNumberText(kv.value());
    if (raw) {
      out += *raw;
    } else {
      out += json::serialize(kv.value());
    }
  }
  out += '}';
}

}  // namespace

std::string SerializeMessage(const json::value& message) {
  std::string out;
  if (const json::object* obj = message.if_object()) {
    AppendObject(out, *obj);
  } else if (const json::array* batch = message.if_array()) {
    out += '[';
    for (std::size_t i = 0; i < batch->size(); ++i) {
      if (i) out += ',';
      if (const json::object* item = (*batch)[i].if_object()) {
        AppendObject(out, *item);
      } else {
        out += json::serialize((*batch)[i]);
      }
    }
    out += ']';
  } else {
    out = json::serialize(message);
  }
  return out;
}

}  // namespace nga::mcp
