// MergeCodexConfig (mcp_config.h): a line-based editor for the one table
// init owns in Codex's config.toml. It rewrites only the key lines of
// [mcp_servers.ng-annotate] and leaves every other byte of the file alone,
// rather than parsing and re-serializing TOML (which would lose comments and
// layout the user wrote).
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

#include "cli/mcp_config.h"

namespace nga::cli {

namespace {

constexpr std::string_view kServer = "ng-annotate";

std::string_view Trim(std::string_view text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

// A TOML basic string: "…" with quotes, backslashes and control characters escaped.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789ABCDEF";
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// The dotted key of a table header line ("[a.b]" or "[[a.b]]"), with the
// quotes of quoted parts removed and the spaces around dots dropped; nullopt
// when the line is not a header.
std::optional<std::string> HeaderKey(std::string_view line) {
  line = Trim(line);
  if (std::size_t hash = line.find(" #"); hash != std::string_view::npos) {
    line = Trim(line.substr(0, hash));
  }
  if (line.size() < 3 || line.front() != '[' || line.back() != ']') return std::nullopt;
  bool array = line.size() > 4 && line[1] == '[' && line[line.size() - 2] == ']';
  std::string_view inner =
      array ? line.substr(2, line.size() - 4) : line.substr(1, line.size() - 2);
  std::string key;
  char quote = 0;
  for (char c : inner) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        key += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ' ' || c == '\t') {
      continue;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') {
      key += c;
    } else {
      return std::nullopt;  // "[1, 2]" and the like: a value, not a header
    }
  }
  if (quote || key.empty()) return std::nullopt;
  return array ? "[[" + key + "]]" : key;
}

// The key of a `key = value` line, unquoted and without spaces around dots.
std::string LineKey(std::string_view line) {
  line = Trim(line);
  std::size_t eq = line.find('=');
  if (eq == std::string_view::npos || line.empty() || line.front() == '#') return {};
  std::string key;
  for (char c : Trim(line.substr(0, eq))) {
    if (c != '"' && c != '\'' && c != ' ' && c != '\t') key += c;
  }
  return key;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<std::string> MergeCodexConfig(const std::optional<std::string>& existing,
                                     const McpServerEntry& entry) {
  const std::string table = "mcp_servers." + std::string(kServer);
  std::string body = "command = " + Quote(entry.command) + "\nargs = [";
  for (std::size_t i = 0; i < entry.args.size(); ++i) {
    body += (i ? ", " : "") + Quote(entry.args[i]);
  }
  body += "]\n";
  auto refuse = [](const std::string& why) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "config.toml " + why + "; edit it by hand or remove it, then run init again");
  };

  std::string text = existing.value_or("");
  if (!text.empty() && text.back() != '\n') text += '\n';
  // Split into lines, keeping their ends.
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(std::string_view(text).substr(at, end - at));
    at = end;
  }

  // Find our table, and refuse the forms we do not rewrite.
  std::optional<std::size_t> header;
  std::string current;  // the table the line is in ("" at the top)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto key = HeaderKey(lines[i])) {
      current = *key;
      if (current == table) {
        if (header) return refuse("defines [" + table + "] twice");
        header = i;
      }
      continue;
    }
    std::string key = LineKey(lines[i]);
    if (key.empty()) continue;
    std::string full = current.empty() ? key : current + "." + key;
    if (full == table ||
        (StartsWith(full, table + ".") && current != table && !StartsWith(current, table + "."))) {
      return refuse("defines " + table + " as an inline table or dotted keys");
    }
    if (full == "mcp_servers" && current.empty()) {
      return refuse("defines mcp_servers as an inline table");
    }
  }

  std::string out;
  if (!header) {
    out = text;
    if (!out.empty() && Trim(lines.back()) != "") out += '\n';
    out += "[" + table + "]\n" + body;
    return out;
  }
  // Keep the header, replace the table's command and args lines (and the
  // continuation lines of a multi-line args array) with ours, keep the rest.
  std::size_t i = 0;
  for (; i <= *header; ++i) out += lines[i];
  out += body;
  bool in_array = false;
  for (; i < lines.size(); ++i) {
    if (!in_array && HeaderKey(lines[i])) break;
    std::string key = LineKey(lines[i]);
    if (in_array) {
      if (Trim(lines[i]).find(']') != std::string_view::npos) in_array = false;
      continue;
    }
    if (key == "command" || key == "args") {
      std::string_view value = Trim(lines[i].substr(lines[i].find('=') + 1));
      if (key == "args" && !value.empty() && value.front() == '[' &&
          value.find(']') == std::string_view::npos) {
        in_array = true;
      }
      continue;
    }
    out += lines[i];
  }
  for (; i < lines.size(); ++i) out += lines[i];
  return out;
}

}  // namespace nga::cli
