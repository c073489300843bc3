// ng-annotate overlay (SPEC §8): entry point. Wires the modules together and
// exposes `window.__ngAnnotate` for tests and the curious.
import { serverFromScript } from './config.js';
import { state, on } from './state.js';
import { host, fab, mount } from './ui.js';
import { connect, disconnect, send, connected, queuedCount, inflight, startPing } from './connection.js';
import { fetchRoot } from './context/paths.js';
import { setInspecting, startInspect, placeHighlight } from './inspect.js';
import { startShortcuts } from './shortcuts.js';
import { startBadges, scheduleLayout, onBadgeClick, onLayout, layoutNow } from './badges.js';
import { configureLazy, loadLazy, lazyModule, withLazy } from './lazy.js';
import {
  afterAppStart, foreignOverlayPresent, watchForForeignOverlay, stepAsideMessage, reportToServer,
} from './coexist.js';
import { installPageLog } from './page-log.js';
import { watchAstroSources } from './astro-source.js';

function start() {
  if (window.__ngAnnotate) return;
  installPageLog(); // first: what the page says from now on
  watchAstroSources(); // before Astro's dev toolbar takes its source attributes off
  const server = serverFromScript(document.currentScript);
  state.proto = server.proto;

  function setHidden(hidden) {
    state.hidden = hidden;
    host.style.display = hidden ? 'none' : 'block';
    if (hidden) setInspecting(false);
    else scheduleLayout(true);
  }

  // Panels and context come with capture.js, on first use.
  configureLazy(server.origin, (lazy) => lazy.startPanels({ inspect: setInspecting, hide: setHidden }));
  const panelMode = () => { const lazy = lazyModule(); return lazy ? lazy.panelState.mode : ''; };
  const closePanel = () => { const lazy = lazyModule(); if (lazy) lazy.closePanel(); };

  // On a preview build (issue 20) nothing more reaches the page (no element,
  // no socket, no capture.js) until the reviewer presses the shortcut.
  state.build = server.build;
  let begun = false;
  const begin = () => {
    if (begun) return;
    begun = true;
    mount();
    // Connect once the app has started, so that a page whose app brings the
    // other overlay never gets a session of ours.
    afterAppStart(() => {
      if (foreignOverlayPresent()) return stepAside();
      watchForForeignOverlay(stepAside);
      connect(server.ws);
      startPing();
    });
  };
  fab.addEventListener('click', () => withLazy((lazy) => lazy.toggleHelp()));
  startInspect();
  startShortcuts({
    toggleInspect: () => { begin(); if (state.hidden) setHidden(false); setInspecting(!state.inspecting); },
    toggleHidden: () => setHidden(!state.hidden),
    clear: () => send({ type: 'annotations:clear' }),
    hasBack: () => !!panelMode(),
    back: () => { if (panelMode()) closePanel(); else setInspecting(false); },
  });
  onBadgeClick((id, badge) => withLazy((lazy) => lazy.openFor(id, badge)));
  onLayout(placeHighlight);
  startBadges();

  window.__ngAnnotate = {
    version: 2,
    get state() { return state; },
    get connected() { return connected(); },
    queued: queuedCount,
    pending: () => inflight.length,
    inspect: setInspecting,
    layoutNow, // one badge layout, synchronously (bench/overlay_badges.mjs)
    // The payload a click on `el` would send (for debugging and tests).
    describe: async (el, text = '(describe)') => {
      const { describe, settle, buildPayload } = await loadLazy();
      const ctx = describe(el);
      await settle(ctx);
      return buildPayload(ctx, text, '');
    },
    // The screenshot the annotate panel would send of `el` ({mimeType, width, height, data}; bench/capture.mjs).
    capture: async (el) => {
      const { captureElements, screenshotField } = await loadLazy();
      const shot = await captureElements([el]);
      return shot && { width: shot.width, height: shot.height, ...(await screenshotField(shot)) };
    },
    loadLazy, // capture.js now rather than on first use
    get lazyLoaded() { return !!lazyModule(); },
  };
  // ng-annotate-mcp's overlay on the page: leave the page to it.
  function stepAside() {
    if (state.aside) return;
    state.aside = true;
    setInspecting(false);
    closePanel();
    disconnect();
    host.remove();
    console.info(stepAsideMessage());
    reportToServer(server.origin);
  }

  fetchRoot(server.origin);
  if (!server.build) begin();
  // capture.js also comes when the page is next idle after the first
  // connection and after the page's load event (off the app's load path:
  // an app of 1 000 modules in a dev server is idle between modules long
  // before it is up, and capture.js then competed with it, issue 22), so that
  // annotating still works if the server goes away before the user first
  // needs it: the submission is then queued until it is back (SPEC §8).
  let prefetched = false;
  on('connection', (up) => {
    if (!up || prefetched) return;
    prefetched = true;
    afterLoad(() => {
      const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
      idle(() => { if (!state.aside) loadLazy({ quiet: true }).catch(() => {}); }, { timeout: 2000 });
    });
  });
}

// Runs `fn` once the page's load event has passed (at once if it has).
function afterLoad(fn) {
  if (document.readyState === 'complete') fn();
  else window.addEventListener('load', () => fn(), { once: true });
}

start();
