#include "manifest/component_parser.h"

#include <array>
#include <cstddef>

namespace nga::manifest {
namespace {

enum class Tok { kEnd, kIdent, kPunct, kString, kNumber };

struct Token {
  Tok kind = Tok::kEnd;
  std::string_view text;     // identifier, punctuation char, or string contents
  bool substituted = false;  // a template literal with ${...}
  bool escaped = false;      // a string holding a backslash
};

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentPart(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOpen(const Token& t) {
  return t.kind == Tok::kPunct && (t.text == "(" || t.text == "[" || t.text == "{");
}
bool IsClose(const Token& t) {
  return t.kind == Tok::kPunct && (t.text == ")" || t.text == "]" || t.text == "}");
}
bool IsPunct(const Token& t, char c) {
  return t.kind == Tok::kPunct && t.text.size() == 1 && t.text[0] == c;
}
bool IsIdent(const Token& t, std::string_view name) {
  return t.kind == Tok::kIdent && t.text == name;
}

// After these keywords an expression starts, so `/` opens a regex.
bool KeywordBeforeExpression(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "return", "typeof", "instanceof", "in", "of",   "new",   "delete",
      "void",   "throw",  "case",       "do", "else", "yield", "await"};
  for (auto w : kWords) {
    if (w == word) return true;
  }
  return false;
}

// Splits TypeScript into the tokens the parser cares about; whitespace,
// comments and regex literals vanish, strings become one token each.
class Lexer {
 public:
  explicit Lexer(std::string_view source) : s_(source) {}

  Token Next() {
    Token t = Scan();
    prev_ = t;
    return t;
  }

 private:
  Token Scan() {
    for (;;) {
      SkipSpaceAndComments();
      if (p_ >= s_.size()) return {};
      char c = s_[p_];
      if (IsIdentStart(c)) return Word(Tok::kIdent);
      if (IsDigit(c)) return Word(Tok::kNumber);
      if (c == '\'' || c == '"') return QuotedString(c);
      if (c == '`') return TemplateLiteral();
      if (c == '/' && RegexAllowed() && SkipRegex()) {
        prev_ = Token{Tok::kString, {}};  // a regex ends an expression, like a string
        continue;
      }
      return Token{Tok::kPunct, s_.substr(p_++, 1)};
    }
  }

  void SkipSpaceAndComments() {
    while (p_ < s_.size()) {
      char c = s_[p_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++p_;
      } else if (c == '/' && p_ + 1 < s_.size() && s_[p_ + 1] == '/') {
        std::size_t end = s_.find('\n', p_);
        p_ = end == std::string_view::npos ? s_.size() : end + 1;
      } else if (c == '/' && p_ + 1 < s_.size() && s_[p_ + 1] == '*') {
        std::size_t end = s_.find("*/", p_ + 2);
        p_ = end == std::string_view::npos ? s_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  Token Word(Tok kind) {
    std::size_t start = p_;
    while (p_ < s_.size() && (IsIdentPart(s_[p_]) || (kind == Tok::kNumber && s_[p_] == '.'))) {
      ++p_;
    }
    return Token{kind, s_.substr(start, p_ - start)};
  }

  // 'text' or "text"; an unterminated one ends at the line's end.
  Token QuotedString(char quote) {
    std::size_t start = ++p_;
    bool escaped = false;
    while (p_ < s_.size() && s_[p_] != quote && s_[p_] != '\n') {
      if (s_[p_] == '\\') {
        escaped = true;
        ++p_;
      }
      ++p_;
    }
    Token t{Tok::kString, s_.substr(start, std::min(p_, s_.size()) - start)};
    t.escaped = escaped;
    if (p_ < s_.size() && s_[p_] == quote) ++p_;
    return t;
  }

  // `text ${expr} text`: each ${...} is lexed as code (it may hold strings,
  // comments and templates of its own) up to its matching brace.
  Token TemplateLiteral() {
    std::size_t start = ++p_;
    Token t{Tok::kString, {}};
    while (p_ < s_.size() && s_[p_] != '`') {
      if (s_[p_] == '\\') {
        t.escaped = true;
        p_ += 2;
      } else if (s_[p_] == '$' && p_ + 1 < s_.size() && s_[p_ + 1] == '{') {
        t.substituted = true;
        p_ += 2;
        SkipSubstitution();
      } else {
        ++p_;
      }
    }
    p_ = std::min(p_, s_.size());
    t.text = s_.substr(start, p_ - start);
    if (p_ < s_.size()) ++p_;
    return t;
  }

  void SkipSubstitution() {
    prev_ = Token{Tok::kPunct, "{"};
    int depth = 1;
    for (Token t = Next(); t.kind != Tok::kEnd; t = Next()) {
      if (IsPunct(t, '{')) ++depth;
      if (IsPunct(t, '}') && --depth == 0) return;
    }
  }

  bool RegexAllowed() const {
    switch (prev_.kind) {
      case Tok::kEnd:
        return true;
      case Tok::kIdent:
        return KeywordBeforeExpression(prev_.text);
      case Tok::kPunct:
        return !IsClose(prev_);
      default:
        return false;
    }
  }

  // At a '/': skips /body/flags and returns true, or returns false (leaving
  // the position alone) when no closing '/' comes before the line's end.
  bool SkipRegex() {
    bool in_class = false;
    for (std::size_t q = p_ + 1; q < s_.size(); ++q) {
      char c = s_[q];
      if (c == '\n') return false;
      if (c == '\\') {
        ++q;
      } else if (c == '[') {
        in_class = true;
      } else if (c == ']') {
        in_class = false;
      } else if (c == '/' && !in_class) {
        p_ = q + 1;
        while (p_ < s_.size() && IsIdentPart(s_[p_])) ++p_;
        return true;
      }
    }
    return false;
  }

  std::string_view s_;
  std::size_t p_ = 0;
  Token prev_;  // kEnd at the start: a regex may open the file
};

std::string Unescape(const Token& t) {
  if (!t.escaped) return std::string(t.text);
  std::string out;
  out.reserve(t.text.size());
  for (std::size_t i = 0; i < t.text.size(); ++i) {
    if (t.text[i] == '\\' && i + 1 < t.text.size()) ++i;
    out += t.text[i];
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view source) : lex_(source) {}

  std::vector<ParsedComponent> Run() {
    std::vector<ParsedComponent> found;
    for (Token t = Next(); t.kind != Tok::kEnd; t = Next()) {
      if (!IsPunct(t, '@') || DecoratorName() != "Component" || !IsPunct(Peek(), '(')) continue;
      Next();
      ParsedComponent component;
      if (IsPunct(Peek(), '{')) {
        Next();
        ReadObject(component);
      }
      SkipToClose();
      if (auto name = ClassName()) {
        component.class_name = std::move(*name);
        found.push_back(std::move(component));
      }
    }
    return found;
  }

 private:
  Token Next() {
    if (has_peek_) {
      has_peek_ = false;
      return peek_;
    }
    return lex_.Next();
  }
  const Token& Peek() {
    if (!has_peek_) {
      peek_ = lex_.Next();
      has_peek_ = true;
    }
    return peek_;
  }

  // After '@': the decorator's name, the last part of a dotted one.
  std::string_view DecoratorName() {
    std::string_view name;
    while (Peek().kind == Tok::kIdent) {
      name = Next().text;
      if (!IsPunct(Peek(), '.')) break;
      Next();
    }
    return name;
  }

  // After '{': the properties up to the matching '}'.
  void ReadObject(ParsedComponent& component) {
    for (;;) {
      Token t = Next();
      if (t.kind == Tok::kEnd || IsPunct(t, '}')) return;
      if ((t.kind == Tok::kIdent || t.kind == Tok::kString) && IsPunct(Peek(), ':')) {
        Next();
        Token value = Next();
        bool literal = value.kind == Tok::kString && !value.substituted &&
                       (IsPunct(Peek(), ',') || IsPunct(Peek(), '}'));
        if (literal && t.text == "selector") component.selector = Unescape(value);
        if (literal && t.text == "templateUrl") component.template_url = Unescape(value);
        t = value;
      }
      if (!SkipValue(t)) return;
    }
  }

  // Skips a property value starting at `t`, through the ',' that ends it.
  // False when the object's '}' (or the end) came instead.
  bool SkipValue(Token t) {
    int depth = 0;
    for (;; t = Next()) {
      if (t.kind == Tok::kEnd) return false;
      if (depth == 0 && IsPunct(t, ',')) return true;
      if (IsOpen(t)) ++depth;
      if (IsClose(t)) {
        if (depth == 0) return false;
        --depth;
      }
      if (depth == 0 && IsPunct(Peek(), '}')) {
        Next();
        return false;
      }
    }
  }

  // Skips through the ')' closing the current parenthesis.
  void SkipToClose() {
    int depth = 0;
    for (Token t = Next(); t.kind != Tok::kEnd; t = Next()) {
      if (IsOpen(t)) ++depth;
      if (IsClose(t) && depth-- == 0) return;
    }
  }

  // After a decorator: other decorators and modifiers, then `class Name`.
  std::optional<std::string> ClassName() {
    for (;;) {
      const Token& t = Peek();
      if (IsPunct(t, '@')) {
        Next();
        DecoratorName();
        if (IsPunct(Peek(), '(')) {
          Next();
          SkipToClose();
        }
      } else if (IsIdent(t, "export") || IsIdent(t, "default") || IsIdent(t, "abstract") ||
                 IsIdent(t, "declare")) {
        Next();
      } else if (IsIdent(t, "class")) {
        Next();
        const Token& name = Peek();
        if (name.kind != Tok::kIdent || name.text == "extends" || name.text == "implements") {
          return std::nullopt;
        }
        return std::string(Next().text);
      } else {
        return std::nullopt;
      }
    }
  }

  Lexer lex_;
  Token peek_;
  bool has_peek_ = false;
};

}  // namespace

std::vector<ParsedComponent> ParseComponents(std::string_view source) {
  if (source.find("@Component") == std::string_view::npos) return {};
  return Parser(source).Run();
}

}  // namespace nga::manifest
