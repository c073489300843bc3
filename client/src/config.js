// Constants shared by the overlay's modules, and where the server is.

// Tab-scoped (sessionStorage): one session per tab, a reload keeps the tab's own.
export const SID_KEY = 'ng-annotate:sessionId';

// Badge and pill colours by status (SPEC §8).
export const COLORS = {
  pending: '#3b82f6', acknowledged: '#f59e0b', diff_proposed: '#8b5cf6',
  resolved: '#22c55e', dismissed: '#94a3b8',
};
export const QUEUED_COLOR = '#64748b';

export const AGENT_FRESH_MS = 40000; // agent indicator green while its heartbeat is younger
export const SNAPSHOT_MAX = 5000; // domSnapshot cap (the server enforces it too)
export const PANEL_INPUTS = 5; // inputs listed in the annotate panel before "N more"

// The server is the origin this script was loaded from (the daemon, or a dev
// server forwarding /__annotate to it). `build`: the preview build the page
// is (data-nga-build on the tag, issue 20), which waits for the shortcut.
export function serverFromScript(script) {
  const src = script && script.src ? script.src : '/__annotate/client.js';
  const url = new URL(src, location.href);
  return {
    // `client.js?proto=1` asks for the original full frames (what an older server sends anyway).
    proto: url.searchParams.get('proto') === '1' ? 1 : 2,
    origin: url.origin,
    ws: (url.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + url.host + '/__annotate',
    build: (script && script.dataset.ngaBuild) || '',
  };
}
