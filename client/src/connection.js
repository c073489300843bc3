// The WebSocket to `serve` (SPEC §4, protocol revision 2 of contract C2) and
// the queue that makes sure a submission is never silently lost: messages made
// while disconnected wait in the outbox; creates stay "in flight" (shown as
// queued badges) until the server confirms them, and are matched against the
// next sync after a reconnect so a lost answer doesn't create them twice.
import { SID_KEY } from './config.js';
import { state, emit } from './state.js';
import { connDot, showError } from './ui.js';

let wsUrl = '';
let ws = null;
let ready = false; // handshake done (first annotations:sync seen) on the current socket
let backoff = 500;
let nextLocal = 1;
let stopped = false; // disconnect() was called: no socket, no reconnect
const outbox = []; // non-create messages made while disconnected
export const inflight = []; // {localId, message, element, anchor, sentOn}
export const elementOf = new Map(); // annotation id -> the element it was made on (this page load)

export const connected = () => !!(ws && ready);
export const queuedCount = () => outbox.length + inflight.filter((e) => !e.sentOn || e.sentOn !== ws).length;
export const serverUrl = () => wsUrl;

export function sessionIdStored() {
  try { return sessionStorage.getItem(SID_KEY); } catch { return null; }
}
function storeSessionId(id) {
  try { sessionStorage.setItem(SID_KEY, id); } catch { /* storage may be disabled */ }
}

export function connect(url) {
  if (stopped) return;
  if (url) wsUrl = url;
  const sid = sessionIdStored();
  const query = [sid ? 'sessionId=' + encodeURIComponent(sid) : '', state.proto >= 2 ? 'proto=2' : ''].filter(Boolean).join('&');
  let sock;
  try { sock = new WebSocket(query ? wsUrl + '?' + query : wsUrl); } catch { scheduleReconnect(); return; }
  ws = sock;
  ready = false;
  sock.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch { return; }
    if (sock === ws && msg && typeof msg === 'object') handle(msg);
  };
  sock.onclose = () => {
    if (sock !== ws) return;
    ws = null;
    ready = false;
    connDot.classList.remove('up');
    emit('connection', false);
    scheduleReconnect();
  };
  sock.onerror = () => {};
}
// Closes the socket for good (the overlay stepped aside for another one).
export function disconnect() {
  stopped = true;
  const sock = ws;
  ws = null;
  ready = false;
  if (sock) try { sock.close(1000); } catch { /* closing already */ }
}

function scheduleReconnect() {
  if (stopped) return;
  const delay = backoff;
  backoff = Math.min(backoff * 2, 5000);
  setTimeout(connect, delay);
}

const open = () => ws && ready && ws.readyState === 1;

export function send(message) {
  if (open()) { ws.send(JSON.stringify(message)); return true; }
  outbox.push(message);
  return false;
}

// Queues a create; it shows at once as a queued badge (see badges.js).
export function sendCreate(payload, element) {
  const entry = { localId: 'queued-' + nextLocal++, message: { type: 'annotation:create', payload }, element };
  inflight.push(entry);
  if (open()) { entry.sentOn = ws; ws.send(JSON.stringify(entry.message)); }
  emit('annotations', new Set([entry.localId]));
  return entry;
}

const sameRequest = (a, p) => a.annotationText === p.annotationText && (a.elementPath || '') === (p.elementPath || '') &&
  a.componentName === p.componentName;

// After a (re)connect's first sync: creates whose answer got lost are found in
// the sync, the rest are sent (again); then the outbox is flushed.
function flushAfterSync(list) {
  ready = true;
  backoff = 500;
  const confirmed = [];
  for (const entry of inflight.slice()) {
    if (entry.sentOn && entry.sentOn !== ws) {
      const found = list.find((a) => !elementOf.has(a.id) && sameRequest(a, entry.message.payload));
      if (found) { confirmed.push(confirmCreate(found)); continue; }
    }
    entry.sentOn = ws;
    ws.send(JSON.stringify(entry.message));
  }
  while (outbox.length && ws && ws.readyState === 1) ws.send(JSON.stringify(outbox.shift()));
  emit('connection', true);
  return confirmed.filter(Boolean);
}
function confirmCreate(annotation) {
  const i = inflight.findIndex((e) => sameRequest(annotation, e.message.payload));
  if (i < 0) return null;
  const [entry] = inflight.splice(i, 1);
  if (entry.element) elementOf.set(annotation.id, entry.element);
  return entry.localId;
}

// Replaces the known annotations with a sync's list; returns the ids that changed.
function applySync(list) {
  const changed = new Set();
  const next = new Map();
  for (const a of list) {
    if (!a || typeof a.id !== 'string') continue;
    const old = state.annotations.get(a.id);
    if (!old || JSON.stringify(old) !== JSON.stringify(a)) changed.add(a.id);
    next.set(a.id, old && !changed.has(a.id) ? old : a);
  }
  for (const id of state.annotations.keys()) if (!next.has(id)) changed.add(id);
  for (const id of elementOf.keys()) if (!next.has(id)) elementOf.delete(id);
  state.annotations = next;
  return changed;
}

function handle(msg) {
  let changed = null;
  if (typeof msg.type === 'string') state.frames[msg.type] = (state.frames[msg.type] || 0) + 1;
  switch (msg.type) {
    case 'session:created':
      state.session = msg.session || null;
      if (msg.session && msg.session.id) storeSessionId(msg.session.id);
      connDot.classList.add('up');
      emit('session');
      return;
    case 'session:updated':
      state.session = msg.session || state.session;
      emit('session');
      return;
    case 'manifest:update':
      state.manifest = msg.manifest || {};
      emit('manifest');
      return;
    case 'annotations:sync': {
      const list = Array.isArray(msg.annotations) ? msg.annotations : [];
      if ('lastAgentHeartbeat' in msg) state.heartbeat = msg.lastAgentHeartbeat;
      const first = !ready;
      state.syncs++;
      const confirmed = first ? flushAfterSync(list) : [];
      const sameVersion = !first && msg.version != null && msg.version === state.version;
      if (msg.version != null) state.version = msg.version;
      if (typeof msg.more === 'number') state.more = msg.more;
      emit('heartbeat');
      if (sameVersion) return;
      changed = applySync(list);
      for (const localId of confirmed) changed.add(localId);
      break;
    }
    case 'annotations:unchanged':
      state.syncs++;
      if ('lastAgentHeartbeat' in msg) state.heartbeat = msg.lastAgentHeartbeat;
      if (msg.version != null) state.version = msg.version;
      if (!ready) flushAfterSync([...state.annotations.values()]);
      emit('heartbeat');
      return;
    case 'annotation:created':
    case 'annotation:updated': {
      const a = msg.annotation;
      if (!a || typeof a.id !== 'string') return;
      changed = new Set([a.id]);
      if (!elementOf.has(a.id)) {
        const localId = confirmCreate(a);
        if (localId) changed.add(localId);
      }
      state.annotations.set(a.id, a);
      break;
    }
    case 'annotation:reply': {
      const a = state.annotations.get(msg.id);
      if (!a || !msg.reply) return; // unknown here: the next sync brings it
      const replies = Array.isArray(a.replies) ? a.replies.slice() : [];
      if (!replies.some((r) => r.id && r.id === msg.reply.id)) replies.push(msg.reply);
      const next = { ...a, replies };
      if (msg.status) next.status = msg.status;
      if (msg.updatedAt) next.updatedAt = msg.updatedAt;
      state.annotations.set(a.id, next);
      changed = new Set([a.id]);
      break;
    }
    case 'annotations:page': {
      const list = Array.isArray(msg.annotations) ? msg.annotations : [];
      emit('page', list, msg.nextCursor ?? null);
      return;
    }
    case 'error':
      if (msg.requestType === 'annotation:create' && inflight.length) {
        const i = inflight.findIndex((e) => e.sentOn === ws);
        const [entry] = inflight.splice(i >= 0 ? i : 0, 1);
        changed = new Set([entry.localId]);
      }
      showError(msg.message || msg.code || 'error');
      break;
    default:
      return;
  }
  if (changed && changed.size) emit('annotations', changed);
}

// Every 30 s while connected: keeps the session's lastSeenAt fresh.
export function startPing() {
  setInterval(() => { if (open()) send({ type: 'session:ping' }); }, 30000);
}
