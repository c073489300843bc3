#include "net/proxy_headers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace nga::net {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

constexpr std::array<std::string_view, 9> kHopByHop{
    "connection", "keep-alive", "proxy-connection",  "proxy-authenticate", "te",
    "trailer",    "upgrade",    "transfer-encoding", "content-length"};

// The hop-by-hop set for this message: the fixed ones plus those that
// Connection names.
std::vector<std::string> HopByHop(const HeaderList& headers) {
  std::vector<std::string> names(kHopByHop.begin(), kHopByHop.end());
  for (const auto& [name, value] : headers) {
    if (name != "connection") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string token = Lower(Trim(rest.substr(0, comma)));
      if (!token.empty()) names.push_back(std::move(token));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return names;
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && Lower(a) == Lower(b);
}

// Set by the client, trusted by apps behind proxies: replaced, never relayed.
bool IsForwardingHeader(std::string_view name) {
  return name.starts_with("x-forwarded-") || name == "forwarded" || name == "x-real-ip";
}

// Every Transfer-Encoding field's codings, in order, lowercased ("gzip",
// "chunked"); an empty element of the list is skipped. Parameters stay on
// their coding, so "chunked;x=1" is not chunked.
std::vector<std::string> TransferCodings(const HeaderList& headers, bool& present) {
  std::vector<std::string> codings;
  present = false;
  for (const auto& [name, value] : headers) {
    if (name != "transfer-encoding") continue;
    present = true;
    std::string_view rest = value;
    for (;;) {
      auto comma = rest.find(',');
      std::string coding = Lower(Trim(rest.substr(0, comma)));
      if (!coding.empty()) codings.push_back(std::move(coding));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return codings;
}

std::string Joined(const std::vector<std::string>& codings) {
  std::string out;
  for (const auto& coding : codings) out += (out.empty() ? "" : ", ") + coding;
  return out;
}

// A Forwarded (RFC 7239) value: a token as is, anything else quoted.
std::string ForwardedValue(std::string_view value) {
  bool token = !value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (token) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

}  // namespace

std::optional<std::string_view> FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

HeaderList UpstreamRequestHeaders(const HeaderList& client, const Upstream& upstream,
                                  const ForwardedFrom& from) {
  std::vector<std::string> drop = HopByHop(client);
  for (std::string_view name : {"host", "accept-encoding", "expect"}) drop.emplace_back(name);
  HeaderList out;
  out.emplace_back("host", upstream.host_header);
  for (const auto& [name, value] : client) {
    if (Contains(drop, name) || IsForwardingHeader(name)) continue;
    if (name == "origin" && from.upgrade && EqualsNoCase(value, "http://" + from.host)) {
      out.emplace_back("origin", upstream.origin);
      continue;
    }
    out.emplace_back(name, value);
  }
  out.emplace_back("accept-encoding", "identity");
  std::string forwarded;
  if (!from.client_ip.empty()) {
    bool v6 = from.client_ip.find(':') != std::string::npos;
    forwarded = "for=" + ForwardedValue(v6 ? "[" + from.client_ip + "]" : from.client_ip) + ";";
  }
  forwarded += "host=" + ForwardedValue(from.host) + ";proto=http";
  out.emplace_back("forwarded", forwarded);
  out.emplace_back("x-forwarded-host", from.host);
  out.emplace_back("x-forwarded-proto", "http");
  if (!from.client_ip.empty()) out.emplace_back("x-forwarded-for", from.client_ip);
  if (from.upgrade) {
    if (auto protocol = FindHeader(client, "upgrade")) {
      out.emplace_back("connection", "Upgrade");
      out.emplace_back("upgrade", std::string(*protocol));
    }
  }
  return out;
}

HeaderList DownstreamResponseHeaders(const HeaderList& upstream_headers, const Upstream& upstream,
                                     std::string_view proxy_host, bool switching_protocols) {
  std::vector<std::string> drop = HopByHop(upstream_headers);
  HeaderList out;
  for (const auto& [name, value] : upstream_headers) {
    if (switching_protocols && (name == "connection" || name == "upgrade")) {
      out.emplace_back(name, value);
      continue;
    }
    if (Contains(drop, name)) continue;
    if (name == "location" && value.size() >= upstream.origin.size() &&
        EqualsNoCase(std::string_view(value).substr(0, upstream.origin.size()), upstream.origin) &&
        (value.size() == upstream.origin.size() || value[upstream.origin.size()] == '/' ||
         value[upstream.origin.size()] == '?')) {
      out.emplace_back(name,
                       "http://" + std::string(proxy_host) + value.substr(upstream.origin.size()));
      continue;
    }
    out.emplace_back(name, value);
  }
  return out;
}

bool IsOwnPath(std::string_view path) {
  if (path.starts_with("/__annotate")) return true;
  return path.starts_with("/mcp") && (path.size() == 4 || path[4] == '/');
}

std::optional<AbsoluteTarget> ParseAbsoluteTarget(std::string_view target) {
  auto scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  std::string scheme = Lower(target.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = target.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?");
  AbsoluteTarget out{std::string(rest.substr(0, path_start)), "/"};
  if (out.authority.empty()) return std::nullopt;
  if (path_start != std::string_view::npos) {
    std::string_view path = rest.substr(path_start);
    out.origin_form = path.front() == '?' ? "/" + std::string(path) : std::string(path);
  }
  return out;
}

std::optional<Refusal> UnforwardableRequest(const HeaderList& client) {
  auto hosts = std::count_if(client.begin(), client.end(),
                             [](const auto& header) { return header.first == "host"; });
  if (hosts > 1) return Refusal{400, "more than one Host header"};
  bool present = false;
  std::vector<std::string> codings = TransferCodings(client, present);
  if (!present || (codings.size() == 1 && codings[0] == "chunked")) return std::nullopt;
  if (codings.empty() || codings.back() != "chunked") {
    return Refusal{400, "Transfer-Encoding '" + Joined(codings) +
                            "' does not end in chunked: the body's length cannot be told"};
  }
  return Refusal{501, "Transfer-Encoding '" + Joined(codings) +
                          "': the proxy forwards only plain chunked request bodies"};
}

std::optional<std::string> UnrelayableResponse(unsigned status,
                                               const HeaderList& upstream_headers) {
  if (status < 100 || status > 599) {
    return fmt::format("sent the invalid status {:03} (a status is 100-599)", status);
  }
  bool present = false;
  std::vector<std::string> codings = TransferCodings(upstream_headers, present);
  if (!present || (codings.size() == 1 && codings[0] == "chunked")) return std::nullopt;
  return fmt::format("sent Transfer-Encoding '{}'; the proxy relays only plain chunked bodies",
                     Joined(codings));
}

bool IsHtml(std::optional<std::string_view> content_type) {
  if (!content_type) return false;
  std::string type = Lower(Trim(content_type->substr(0, content_type->find(';'))));
  return type == "text/html";
}

bool IsIdentityEncoding(std::optional<std::string_view> content_encoding) {
  if (!content_encoding) return true;
  std::string value = Lower(Trim(*content_encoding));
  return value.empty() || value == "identity";
}

}  // namespace nga::net
