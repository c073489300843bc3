// What `serve --proxy` does to what passes through it: the streaming HTML
// injector and the header rewriting (net/proxy_html.h, net/proxy_headers.h).
// Input: a flags byte (bit 0: the request is an upgrade; bit 1: the response
// switches protocols; the rest seeds where the HTML is cut into pieces), two
// bytes of upstream status, then "HTML\0HEADER LINES" (no \0: the same text
// is both). Checks the rules that must hold for any input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/proxy_headers.h"
#include "net/proxy_html.h"
#include "net/proxy_upstream.h"

namespace {

using nga::net::HeaderList;

const std::string kTag = R"(<script src="/__annotate/client.js"></script>)";
const std::string kProxyHost = "127.0.0.1:4750";

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The injector's output is its input with the tag put in at one place, and
// the same however the input is cut into pieces.
void CheckInjector(std::string_view html, std::uint8_t seed) {
  nga::net::HtmlInjector whole(kTag);
  std::string once = whole.Feed(html);
  once += whole.Finish();
  Check(once.size() == html.size() + kTag.size());
  std::size_t prefix = 0;
  while (prefix < html.size() && once[prefix] == html[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < html.size() && once[once.size() - 1 - suffix] == html[html.size() - 1 - suffix]) {
    ++suffix;
  }
  Check(prefix + suffix >= html.size());  // once == html[..q] + kTag + html[q..] for some q

  nga::net::HtmlInjector pieces(kTag);
  std::string out;
  std::uint32_t state = seed * 2654435761u + static_cast<std::uint32_t>(html.size());
  std::size_t at = 0;
  while (at < html.size()) {
    state = state * 1103515245u + 12345u;
    std::size_t length = std::min<std::size_t>((state >> 16) % 17, html.size() - at);
    out += pieces.Feed(html.substr(at, length));
    at += length;
  }
  out += pieces.Finish();
  Check(out == once);
}

HeaderList ParseLines(std::string_view text) {
  HeaderList headers;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers.emplace_back(Lower(Trim(line.substr(0, colon))),
                         std::string(Trim(line.substr(colon + 1))));
  }
  return headers;
}

std::size_t Count(const HeaderList& headers, std::string_view name) {
  return static_cast<std::size_t>(std::count_if(
      headers.begin(), headers.end(), [name](const auto& header) { return header.first == name; }));
}

// Is `part` (a header list) an in-order subsequence of `whole`?
bool InOrderWithin(const HeaderList& part, const HeaderList& whole) {
  std::size_t at = 0;
  for (const auto& header : part) {
    while (at < whole.size() && whole[at] != header) ++at;
    if (at == whole.size()) return false;
    ++at;
  }
  return true;
}

void CheckRequestHeaders(const HeaderList& client, const nga::net::Upstream& upstream,
                         bool upgrade) {
  nga::net::ForwardedFrom from{kProxyHost, "127.0.0.1", upgrade};
  HeaderList out = nga::net::UpstreamRequestHeaders(client, upstream, from);
  // Ours, exactly once each, whatever the client sent.
  Check(!out.empty() &&
        out.front() == std::pair<std::string, std::string>("host", upstream.host_header));
  for (std::string_view name : {"host", "accept-encoding", "x-forwarded-host", "x-forwarded-proto",
                                "x-forwarded-for", "forwarded"}) {
    Check(Count(out, name) == 1);
  }
  HeaderList kept;
  for (const auto& [name, value] : out) {
    if (name == "x-forwarded-host") Check(value == kProxyHost);
    if (name == "x-forwarded-proto") Check(value == "http");
    if (name == "x-forwarded-for") Check(value == "127.0.0.1");
    if (name == "forwarded") Check(value == "for=127.0.0.1;host=\"" + kProxyHost + "\";proto=http");
    if (name == "accept-encoding") Check(value == "identity");
    if (name.starts_with("x-forwarded-") || name == "forwarded" || name == "host" ||
        name == "accept-encoding") {
      continue;
    }
    // Never relayed: the client's spoofable and framing headers.
    for (std::string_view dropped : {"x-real-ip", "content-length", "transfer-encoding", "te",
                                     "trailer", "keep-alive", "proxy-connection", "expect"}) {
      Check(name != dropped);
    }
    if (name == "connection" || name == "upgrade") {
      Check(upgrade);
      if (name == "connection") Check(value == "Upgrade");
      continue;
    }
    if (name == "origin" && upgrade && value == upstream.origin) continue;  // rewritten
    kept.emplace_back(name, value);
  }
  Check(InOrderWithin(kept, client));  // the rest is the client's, in its order
}

void CheckResponseHeaders(const HeaderList& upstream_headers, const nga::net::Upstream& upstream,
                          bool switching) {
  HeaderList out =
      nga::net::DownstreamResponseHeaders(upstream_headers, upstream, kProxyHost, switching);
  HeaderList kept;
  for (const auto& [name, value] : out) {
    for (std::string_view dropped : {"content-length", "transfer-encoding", "te", "trailer",
                                     "keep-alive", "proxy-connection", "proxy-authenticate"}) {
      Check(name != dropped);
    }
    if (!switching) Check(name != "connection" && name != "upgrade");
    if (name == "location" && value.starts_with("http://" + kProxyHost)) continue;  // pointed back
    kept.emplace_back(name, value);
  }
  Check(InOrderWithin(kept, upstream_headers));
}

void CheckRefusals(const HeaderList& headers, unsigned status) {
  auto refusal = nga::net::UnforwardableRequest(headers);
  if (Count(headers, "host") > 1) Check(refusal && refusal->status == 400);
  if (refusal) Check(refusal->status == 400 || refusal->status == 501);
  auto problem = nga::net::UnrelayableResponse(status, headers);
  if (status < 100 || status > 599) Check(problem.has_value());
  if (!problem && Count(headers, "transfer-encoding") > 0) {
    // Relayed only when the codings, all fields together, are exactly "chunked".
    std::string codings;
    for (const auto& [name, value] : headers) {
      if (name == "transfer-encoding") codings += value + ",";
    }
    std::size_t chunked = 0;
    std::string_view rest = codings;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string coding = Lower(Trim(rest.substr(0, comma)));
      rest.remove_prefix(comma + 1);
      if (coding.empty()) continue;
      Check(coding == "chunked");
      ++chunked;
    }
    Check(chunked == 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::uint8_t flags = data[0];
  const unsigned status = (static_cast<unsigned>(data[1]) << 8 | data[2]) % 1000;
  std::string_view text(reinterpret_cast<const char*>(data + 3), size - 3);
  auto split = text.find('\0');
  std::string_view html = text.substr(0, split);
  std::string_view lines = split == std::string_view::npos ? text : text.substr(split + 1);

  CheckInjector(html, flags);

  static const nga::net::Upstream upstream = *nga::net::ParseUpstream("http://localhost:4200");
  HeaderList headers = ParseLines(lines);
  CheckRequestHeaders(headers, upstream, (flags & 1) != 0);
  CheckResponseHeaders(headers, upstream, (flags & 2) != 0);
  CheckRefusals(headers, status);

  // The --proxy URL parser: what it accepts is self-consistent.
  if (auto parsed = nga::net::ParseUpstream(lines.substr(0, 200))) {
    Check(parsed->origin == "http://" + parsed->host_header);
    Check(parsed->url == parsed->origin && parsed->port != 0);
  }
  return 0;
}
