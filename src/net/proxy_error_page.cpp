#include "net/proxy_error_page.h"

#include <fmt/format.h>

namespace nga::net {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UpstreamErrorPage(unsigned status, std::string_view upstream_url,
                              std::string_view error) {
  std::string url = HtmlEscape(upstream_url);
  std::string what = status == 504 ? "did not answer in time" : "cannot be reached";
  return fmt::format(
      R"(<!doctype html>
<html><head><meta charset="utf-8"><title>{status}: dev server {what}</title>
<noscript><meta http-equiv="refresh" content="5"></noscript>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;color:#222}}code{{background:#eee;padding:0 .3em}}</style>
</head><body>
<h1>The dev server {what}</h1>
<p>ng-annotate is proxying <code>{url}</code>, and it {what}:</p>
<p><code id="nga-error">{error}</code></p>
<p>Start the dev server (or check the <code>--proxy</code> URL). <span id="nga-status">This page reloads itself once it is back.</span></p>
<script>
(function poll() {{
  fetch('/__annotate/upstream', {{cache: 'no-store'}})
    .then(function (r) {{ return r.json(); }})
    .then(function (s) {{ if (s.up) location.reload(); else setTimeout(poll, 1000); }})
    .catch(function () {{ setTimeout(poll, 1000); }});
}})();
</script>
</body></html>
)",
      fmt::arg("status", status), fmt::arg("what", what), fmt::arg("url", url),
      fmt::arg("error", HtmlEscape(error)));
}

}  // namespace nga::net
