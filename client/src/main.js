// ng-annotate overlay (SPEC §8): entry point. Wires the modules together and
// exposes `window.__ngAnnotate` for tests and the curious.
import { serverFromScript } from './config.js';
import { state } from './state.js';
import { host, fab, mount } from './ui.js';
import { connect, disconnect, send, connected, queuedCount, inflight, startPing } from './connection.js';
import { fetchRoot } from './context/paths.js';
import { describe, buildPayload, settle } from './context/index.js';
import { setInspecting, startInspect, placeHighlight } from './inspect.js';
import { startShortcuts } from './shortcuts.js';
import { startBadges, scheduleLayout, onBadgeClick, onLayout, layoutNow } from './badges.js';
import { startPanels, openFor, toggleHelp, closePanel, panelState } from './panels/index.js';
import {
  afterAppStart, foreignOverlayPresent, watchForForeignOverlay, stepAsideMessage, reportToServer,
} from './coexist.js';
import { installPageLog } from './page-log.js';

function start() {
  if (window.__ngAnnotate) return;
  installPageLog(); // first: what the page says from now on
  const server = serverFromScript(document.currentScript);
  state.proto = server.proto;

  function setHidden(hidden) {
    state.hidden = hidden;
    host.style.display = hidden ? 'none' : 'block';
    if (hidden) setInspecting(false);
    else scheduleLayout(true);
  }

  mount();
  fab.addEventListener('click', toggleHelp);
  startInspect();
  startShortcuts({
    toggleInspect: () => { if (state.hidden) setHidden(false); setInspecting(!state.inspecting); },
    toggleHidden: () => setHidden(!state.hidden),
    clear: () => send({ type: 'annotations:clear' }),
    hasBack: () => !!panelState.mode,
    back: () => { if (panelState.mode) closePanel(); else setInspecting(false); },
  });
  onBadgeClick(openFor);
  onLayout(placeHighlight);
  startBadges();
  startPanels({ inspect: setInspecting, hide: setHidden });

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
      const ctx = describe(el);
      await settle(ctx);
      return buildPayload(ctx, text, '');
    },
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
  // Connect once the app has started, so that a page whose app brings the
  // other overlay never gets a session of ours.
  afterAppStart(() => {
    if (foreignOverlayPresent()) return stepAside();
    watchForForeignOverlay(stepAside);
    connect(server.ws);
    startPing();
  });
}

start();
