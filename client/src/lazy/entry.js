// The lazily loaded chunk's entry (capture.js, see ../lazy.js): what the first
// chunk calls once the user starts inspecting, opens a badge or the help.
import { locate, hoverFile, describe, rectOf, buildPayload, settle } from '../context/index.js';
import { openAnnotate, openFor, toggleHelp, closePanel, panelState, startPanels } from '../panels/index.js';
import { captureElements, screenshotField } from './screenshot.js';
import { pick, pressed, unpick } from './pick.js';
import { startAfterCheck } from './after-check.js';
import { startReview } from '../panels/review.js';

// The before/after check runs from the moment this chunk is here, whether
// or not a panel is ever opened: an agent may resolve at any time.
startReview();
startAfterCheck();

globalThis[Symbol.for('ng-annotate.lazy')].ready({
  locate, hoverFile, describe, rectOf, buildPayload, settle,
  openAnnotate, openFor, toggleHelp, closePanel, panelState, startPanels,
  captureElements, screenshotField, pick, pressed, unpick,
});
