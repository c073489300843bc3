// The copy of the page log (../page-log.js) that goes with an annotation:
// errors source-mapped where a map allows, the whole bounded in bytes. Runs at
// submit only, so it lives in the lazily loaded chunk.
import { originalPosition } from '../context/sourcemap.js';
import { rootRelative } from '../context/paths.js';
import { pageLogEntries, ours, cut, SHORT_CHARS } from '../page-log.js';

// What a payload's log may weigh as JSON: under the server's 64 KiB bound
// (store/page_context.h), so a noisy page never costs the user the request.
const LOG_BYTES = 60 * 1024;

// `url:line:col` of the first frame of `stack` that a source map of the same
// origin maps back, as `root/relative/file:line:col`; '' when none does.
async function sourceOf(stack) {
  const frames = String(stack || '').matchAll(/(https?:\/\/[^\s()]+?):(\d+):(\d+)/g);
  let tried = 0;
  for (const [, url, line, column] of frames) {
    if (ours(url) || ++tried > 3) continue;
    const hit = await originalPosition(url, Number(line), Number(column)).catch(() => null);
    if (hit && hit.source) {
      // A map's sources are URLs, absolute paths, or relative to the module.
      const src = String(hit.source);
      const file = rootRelative(/^([a-z][\w+.-]*:|\/)/i.test(src) ? src : new URL(src, url).href);
      if (file) return `${file}:${hit.line}:${hit.column}`;
    }
  }
  return '';
}

// A copy of the log for a payload, its errors source-mapped where a map allows
// (bounded: at most `ms` in total, as settle() bounds the location), or null
// when the page said nothing.
export async function pageLogSnapshot(ms = 1500) {
  const { lists, dropped } = pageLogEntries();
  if (!lists.console.length && !lists.errors.length && !lists.requests.length) return null;
  const log = {
    console: lists.console.map((e) => ({ ...e })),
    errors: lists.errors.map((e) => ({ ...e })),
    requests: lists.requests.map((e) => ({ ...e })),
  };
  if (dropped.console || dropped.errors || dropped.requests) log.dropped = { ...dropped };
  let late = false; // a map that lands after the bound changes nothing already sent
  const mapping = Promise.all(log.errors.map(async (e) => {
    const source = await sourceOf(e.stack);
    if (source && !late) e.source = cut(source, SHORT_CHARS);
  }));
  await Promise.race([mapping, new Promise((r) => setTimeout(r, ms))]);
  late = true;
  return withinBytes(log);
}

// Drops the oldest entries of the longest list until the log fits LOG_BYTES.
function withinBytes(log) {
  const size = (value) => new TextEncoder().encode(JSON.stringify(value)).length;
  let bytes = size(log);
  while (bytes > LOG_BYTES) {
    const name = ['console', 'errors', 'requests'].reduce((a, b) => (log[b].length > log[a].length ? b : a));
    if (!log[name].length) break;
    bytes -= size(log[name].shift()) + 1;
    log.dropped = log.dropped || { console: 0, errors: 0, requests: 0 };
    log.dropped[name]++;
  }
  return log;
}
