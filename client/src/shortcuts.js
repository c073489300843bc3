// Keyboard shortcuts (SPEC §8), matched on event.code so macOS Option works.
// Only ours are taken from the app, and none fire while the user types in a
// field of the app.
import { state } from './state.js';
import { isOurs } from './ui.js';

function inAppField(e) {
  if (isOurs(e)) return false;
  const t = e.composedPath()[0];
  if (!(t instanceof Element)) return false;
  if (t.isContentEditable) return true;
  const tag = t.localName;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') return !/^(button|submit|reset|checkbox|radio|range|color|file|image)$/i.test(t.type);
  return false;
}

// actions: {toggleInspect, toggleHidden, clear, back, hasBack}
export function startShortcuts(actions) {
  window.addEventListener('keydown', (e) => {
    if (state.aside || inAppField(e) || e.isComposing) return;
    const ours = isOurs(e);
    const altShift = e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey;
    let done = true;
    if (altShift && e.code === 'KeyA' && !ours) actions.toggleInspect();
    else if (altShift && e.code === 'KeyH' && !ours) actions.toggleHidden();
    else if (altShift && e.code === 'KeyX' && !ours) actions.clear();
    else if (e.code === 'Escape' && !e.altKey && !e.ctrlKey && !e.metaKey && (actions.hasBack() || state.inspecting)) actions.back();
    else done = false;
    if (done) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
}
