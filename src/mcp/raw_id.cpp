#include "mcp/raw_id.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
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
// of two numbers in each message (the top-level object, or each object
// directly inside the top-level array, a batch): its "id", and the
// "params"."requestId" of notifications/cancelled, which names an id.
// json::parse itself throws the text away once a number is converted.
class IdFinder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  // Per message (one for a single message): the number texts, empty when
  // that member is absent or not a number. The last of a repeated member
  // wins, as in json::parse.
  struct Found {
    std::string id;
    std::string request_id;
  };
  std::vector<Found> found;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    bool params = AtMessage() && member_ == "params";
    Value();
    stack_.push_back('o');
    if (params) params_level_ = stack_.size();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    if (stack_.size() == params_level_) params_level_ = 0;
    stack_.pop_back();
    return true;
  }
  bool on_array_begin(json::error_code&) {
    Value();
    if (stack_.empty()) found.clear();  // a batch: found[i] is for its element i
    stack_.push_back('a');
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    stack_.pop_back();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    key_.append(s.data(), s.size());
    if (AtMessage()) member_ = key_;
    if (AtParams()) param_ = key_;
    key_.clear();
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
  // True while the innermost open container is a message's "params" object.
  bool AtParams() const { return params_level_ != 0 && stack_.size() == params_level_; }
  // The slot the value starting now belongs in, if it is one we note.
  std::string* Slot() {
    if (AtMessage() && member_ == "id") return &found.back().id;
    if (AtParams() && param_ == "requestId") return &found.back().request_id;
    return nullptr;
  }
  // Called as each value starts: counts the messages of a batch, and clears
  // the slot of a noted member whose (latest) value is not a number.
  bool Value() {
    if (stack_.empty() || (stack_.size() == 1 && stack_[0] == 'a')) found.emplace_back();
    if (std::string* slot = Slot()) slot->clear();
    member_.clear();
    param_.clear();
    return true;
  }
  bool Number(json::string_view last) {
    number_.append(last.data(), last.size());
    std::string* slot = Slot();
    Value();
    if (slot) *slot = std::move(number_);
    number_.clear();
    return true;
  }

  std::vector<char> stack_;
  std::size_t params_level_ = 0;  // stack depth inside the message's "params"
  std::string key_;
  std::string member_;  // the message member whose value comes next
  std::string param_;   // the params member whose value comes next
  std::string number_;
};

// Replaces the number at `slot` by a RawNumberId of `text` when writing the
// number would not give back `text`.
void KeepRaw(const std::string& text, json::value* slot) {
  if (text.empty() || !slot || !slot->is_number()) return;
  // Boost.JSON 1.81 parses 0E831 as NaN (zero times an overflowed power of
  // ten), which it would write as NaN, not JSON, and which equals nothing
  // below: the parser's own token text is the id.
  if (slot->is_double() && std::isnan(slot->get_double())) {
    *slot = RawNumberId(text);
    return;
  }
  if (json::serialize(*slot) == text) return;  // 7, -3, 18446744073709551615: exact already
  // Belt and braces: only a text that reads as the very number parsed.
  json::error_code ec;
  if (json::parse(text, ec) != *slot || ec) return;
  *slot = RawNumberId(text);
}

void KeepRawIds(const IdFinder::Found& found, json::value& message) {
  json::object* obj = message.if_object();
  if (!obj) return;
  KeepRaw(found.id, obj->if_contains("id"));
  if (json::value* params = obj->if_contains("params"); params && params->is_object()) {
    KeepRaw(found.request_id, params->get_object().if_contains("requestId"));
  }
}

}  // namespace

void KeepRawNumberIds(std::string_view text, json::value& message) {
  json::basic_parser<IdFinder> parser(json::parse_options{});
  json::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return;  // the caller parsed `text` already; cannot happen
  const std::vector<IdFinder::Found>& found = parser.handler().found;
  if (json::array* batch = message.if_array()) {
    for (std::size_t i = 0; i < batch->size() && i < found.size(); ++i) {
      KeepRawIds(found[i], (*batch)[i]);
    }
  } else if (!found.empty()) {
    KeepRawIds(found[0], message);
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
