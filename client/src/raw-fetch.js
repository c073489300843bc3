// The page's fetch as it was before page-log.js wrapped it, for the overlay's
// own requests (source maps): they are not the page's, and must not show up
// in its log.
let original = null;

export function keepOriginalFetch(fetch) {
  if (!original) original = fetch;
}

export function rawFetch(...args) {
  return (original || window.fetch)(...args);
}
