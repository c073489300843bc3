#include "net/proxy_headers.h"

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
  for (std::string_view name : {"host", "accept-encoding", "expect", "x-forwarded-host",
                                "x-forwarded-proto", "x-forwarded-for"}) {
    drop.emplace_back(name);
  }
  HeaderList out;
  out.emplace_back("host", upstream.host_header);
  std::string forwarded_for;
  for (const auto& [name, value] : client) {
    if (name == "x-forwarded-for") {
      forwarded_for += (forwarded_for.empty() ? "" : ", ") + value;
    }
    if (Contains(drop, name)) continue;
    if (name == "origin" && from.upgrade && EqualsNoCase(value, "http://" + from.host)) {
      out.emplace_back("origin", upstream.origin);
      continue;
    }
    out.emplace_back(name, value);
  }
  out.emplace_back("accept-encoding", "identity");
  auto original_host = FindHeader(client, "x-forwarded-host");
  out.emplace_back("x-forwarded-host", original_host ? std::string(*original_host) : from.host);
  out.emplace_back("x-forwarded-proto", "http");
  if (!from.client_ip.empty()) {
    forwarded_for += (forwarded_for.empty() ? "" : ", ") + from.client_ip;
  }
  if (!forwarded_for.empty()) out.emplace_back("x-forwarded-for", forwarded_for);
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
