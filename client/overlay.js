// ng-annotate overlay (SPEC §8): plain JavaScript, no dependencies, no build step.
// Lives in a Shadow DOM root so the app's CSS and ours never mix; talks to
// `ng-annotate serve` over the browser protocol (SPEC §4).
(() => {
  'use strict';
  if (window.__ngAnnotate) return;

  // ---- where the server is: the origin this script was loaded from ------------
  const script = document.currentScript;
  const scriptUrl = new URL(script && script.src ? script.src : '/__annotate/client.js', location.href);
  const WS_URL = (scriptUrl.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + scriptUrl.host + '/__annotate';
  const SID_KEY = 'ng-annotate:sessionId';
  const COLORS = {
    pending: '#3b82f6', acknowledged: '#f59e0b', diff_proposed: '#8b5cf6',
    resolved: '#22c55e', dismissed: '#94a3b8',
  };
  const AGENT_FRESH_MS = 40000;
  const SNAPSHOT_MAX = 5000;

  const state = {
    session: null,
    manifest: {},
    annotations: new Map(), // id -> annotation, in arrival order
    heartbeat: null,
    inspecting: false,
    hidden: false,
  };
  const elementOf = new Map(); // annotation id -> Element its badge sits on

  // ---- small DOM helpers (textContent only: page data never becomes markup) ----
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'style') el.style.cssText = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c == null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  // ---- the shadow host ---------------------------------------------------------
  const host = document.createElement('ng-annotate-overlay');
  host.style.cssText = 'position:fixed;inset:0;z-index:2147483647;pointer-events:none;display:block;' +
    'margin:0;padding:0;border:0;background:none;width:auto;height:auto;';
  const root = host.attachShadow({ mode: 'open' });
  root.append(h('style', null, `
    :host { all: initial; }
    * { box-sizing: border-box; font-family: system-ui, -apple-system, Segoe UI, sans-serif; }
    .hl { position: fixed; border: 2px solid #3b82f6; background: rgba(59,130,246,.12); pointer-events: none; display: none; border-radius: 2px; }
    .hl-label { position: fixed; background: #1e293b; color: #fff; font-size: 12px; padding: 2px 6px; border-radius: 3px; pointer-events: none; display: none; white-space: nowrap; max-width: 90vw; overflow: hidden; text-overflow: ellipsis; }
    .hl-label small { color: #cbd5e1; margin-left: 6px; }
    .badge { position: fixed; width: 20px; height: 20px; border-radius: 10px; color: #fff; font-size: 11px; font-weight: 600; display: flex; align-items: center; justify-content: center; pointer-events: auto; cursor: pointer; box-shadow: 0 1px 3px rgba(0,0,0,.4); border: 2px solid #fff; }
    .panel { position: fixed; right: 16px; bottom: 64px; width: 380px; max-height: 70vh; overflow: auto; background: #fff; color: #0f172a; border-radius: 8px; box-shadow: 0 8px 30px rgba(0,0,0,.3); padding: 12px; font-size: 13px; pointer-events: auto; }
    .panel h3 { margin: 0 0 6px; font-size: 15px; }
    .muted { color: #64748b; font-size: 12px; word-break: break-all; }
    .row { margin: 6px 0; }
    textarea { width: 100%; min-height: 70px; font-size: 13px; padding: 6px; border: 1px solid #cbd5e1; border-radius: 4px; resize: vertical; }
    button { font-size: 12px; padding: 4px 10px; margin: 4px 4px 0 0; border-radius: 4px; border: 1px solid #cbd5e1; background: #f8fafc; cursor: pointer; }
    button.primary { background: #3b82f6; color: #fff; border-color: #3b82f6; }
    .status { display: inline-block; padding: 1px 6px; border-radius: 8px; color: #fff; font-size: 11px; }
    .reply { margin: 4px 0; padding: 4px 6px; border-radius: 4px; background: #f1f5f9; white-space: pre-wrap; }
    .reply.agent { background: #ede9fe; }
    pre.diff { font-family: ui-monospace, monospace; font-size: 12px; background: #0f172a; color: #e2e8f0; padding: 6px; border-radius: 4px; overflow: auto; margin: 6px 0; }
    pre.diff span { display: block; white-space: pre; }
    .add { color: #86efac; } .del { color: #fca5a5; } .hunk { color: #c4b5fd; } .meta { color: #94a3b8; }
    .fab { position: fixed; right: 16px; bottom: 16px; width: 36px; height: 36px; border-radius: 18px; background: #0f172a; color: #fff; display: flex; align-items: center; justify-content: center; pointer-events: auto; cursor: pointer; font-size: 16px; box-shadow: 0 2px 8px rgba(0,0,0,.3); }
    .fab.inspecting { background: #3b82f6; }
    .dot { display: inline-block; width: 8px; height: 8px; border-radius: 4px; margin-right: 6px; }
    .toast { position: fixed; left: 50%; transform: translateX(-50%); bottom: 16px; background: #b91c1c; color: #fff; padding: 8px 12px; border-radius: 6px; font-size: 13px; pointer-events: auto; display: none; max-width: 80vw; }
    .conn { position: absolute; right: -2px; top: -2px; width: 10px; height: 10px; border-radius: 5px; background: #ef4444; border: 2px solid #fff; }
    .conn.up { background: #22c55e; }
    ul { margin: 4px 0; padding-left: 18px; }
    kbd { font-family: ui-monospace, monospace; background: #f1f5f9; border: 1px solid #cbd5e1; border-radius: 3px; padding: 0 3px; font-size: 11px; }
  `));
  const hl = h('div', { class: 'hl', part: 'highlight' });
  const hlLabel = h('div', { class: 'hl-label' });
  const badgeLayer = h('div', { class: 'badges' });
  const panel = h('div', { class: 'panel', style: 'display:none' });
  const toast = h('div', { class: 'toast', role: 'alert' });
  const connDot = h('span', { class: 'conn' });
  const fab = h('div', { class: 'fab', title: 'ng-annotate (Alt+Shift+A to inspect)', onclick: () => togglePanel('help') }, '✎', connDot);
  root.append(hl, hlLabel, badgeLayer, panel, toast, fab);

  // Keystrokes typed into our panel are ours: the app's global shortcuts never see them.
  for (const type of ['keydown', 'keyup', 'keypress']) host.addEventListener(type, (e) => e.stopPropagation());

  function mount() {
    (document.documentElement || document.body).appendChild(host);
  }
  if (document.documentElement) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // ---- connection ------------------------------------------------------------
  let ws = null;
  let ready = false; // handshake done (annotations:sync seen) on the current socket
  let backoff = 500;
  const outbox = []; // messages made while disconnected, sent on reconnect
  const inflight = []; // creates sent but not yet confirmed: {message, element, sentOn}

  function connect() {
    const sid = safeStorage('get');
    const url = sid ? WS_URL + '?sessionId=' + encodeURIComponent(sid) : WS_URL;
    let sock;
    try { sock = new WebSocket(url); } catch (err) { scheduleReconnect(); return; }
    ws = sock;
    ready = false;
    sock.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (sock === ws) handle(msg);
    };
    sock.onclose = () => {
      if (sock !== ws) return;
      ws = null;
      ready = false;
      connDot.classList.remove('up');
      scheduleReconnect();
    };
    sock.onerror = () => {};
  }
  function scheduleReconnect() {
    const delay = backoff;
    backoff = Math.min(backoff * 2, 5000);
    setTimeout(connect, delay);
  }
  function safeStorage(op, value) {
    try {
      if (op === 'get') return localStorage.getItem(SID_KEY);
      localStorage.setItem(SID_KEY, value);
    } catch { /* storage may be disabled */ }
    return null;
  }
  function send(message) {
    if (ws && ready && ws.readyState === 1) {
      ws.send(JSON.stringify(message));
      return true;
    }
    outbox.push(message);
    return false;
  }
  function sendCreate(message, element) {
    const entry = { message, element };
    inflight.push(entry);
    if (ws && ready && ws.readyState === 1) {
      entry.sentOn = ws;
      ws.send(JSON.stringify(message));
    }
  }
  const sameRequest = (a, p) => a.annotationText === p.annotationText && (a.elementPath || '') === (p.elementPath || '') &&
    a.componentName === p.componentName;

  // After a (re)connect's annotations:sync: creates whose answer got lost are
  // found in the sync, the rest are sent again; then the queue is flushed.
  function flushAfterSync(list) {
    ready = true;
    backoff = 500;
    for (const entry of inflight.slice()) {
      if (entry.sentOn && entry.sentOn !== ws) {
        const found = list.find((a) => !elementOf.has(a.id) && sameRequest(a, entry.message.payload));
        if (found) { confirmCreate(found); continue; }
      }
      entry.sentOn = ws;
      ws.send(JSON.stringify(entry.message));
    }
    while (outbox.length && ws && ws.readyState === 1) ws.send(JSON.stringify(outbox.shift()));
  }
  function confirmCreate(annotation) {
    const i = inflight.findIndex((e) => sameRequest(annotation, e.message.payload));
    if (i >= 0) {
      const [entry] = inflight.splice(i, 1);
      if (entry.element) elementOf.set(annotation.id, entry.element);
    }
  }

  function handle(msg) {
    switch (msg.type) {
      case 'session:created':
        state.session = msg.session;
        if (msg.session && msg.session.id) safeStorage('set', msg.session.id);
        connDot.classList.add('up');
        break;
      case 'session:updated':
        state.session = msg.session;
        break;
      case 'manifest:update':
        state.manifest = msg.manifest || {};
        break;
      case 'annotations:sync': {
        const list = Array.isArray(msg.annotations) ? msg.annotations : [];
        if ('lastAgentHeartbeat' in msg) state.heartbeat = msg.lastAgentHeartbeat;
        if (!ready) flushAfterSync(list);
        const next = new Map();
        for (const a of list) next.set(a.id, a);
        for (const id of elementOf.keys()) if (!next.has(id)) elementOf.delete(id);
        state.annotations = next;
        break;
      }
      case 'annotation:created':
        if (msg.annotation) {
          if (!elementOf.has(msg.annotation.id)) confirmCreate(msg.annotation);
          state.annotations.set(msg.annotation.id, msg.annotation);
        }
        break;
      case 'annotation:updated':
        if (msg.annotation) state.annotations.set(msg.annotation.id, msg.annotation);
        break;
      case 'error':
        if (msg.requestType === 'annotation:create' && inflight.length) inflight.shift();
        showError(msg.message || msg.code || 'error');
        break;
      default:
        return;
    }
    scheduleLayout();
    refreshPanel();
  }

  let toastTimer = 0;
  function showError(text) {
    toast.textContent = 'ng-annotate: ' + text;
    toast.style.display = 'block';
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { toast.style.display = 'none'; }, 6000);
  }

  // ---- framework detection -----------------------------------------------------
  const ngApi = () => {
    const ng = window.ng;
    return ng && typeof ng.getComponent === 'function' ? ng : null;
  };
  function ngComponentOf(el, ng) {
    try { return ng.getComponent(el) || null; } catch { return null; }
  }
  function reactFiberOf(el) {
    for (const k in el) if (k.startsWith('__reactFiber$') || k.startsWith('__reactInternalInstance$')) return el[k];
    return null;
  }
  const reactName = (type) => type && (type.displayName || type.name ||
    (type.render && (type.render.displayName || type.render.name)) || (type.type && reactName(type.type))) || null;
  function reactComponentFiber(fiber) {
    for (let f = fiber; f; f = f.return) {
      if (typeof f.type === 'function' || (f.type && typeof f.type === 'object' && reactName(f.type))) return f;
    }
    return null;
  }
  function firstHostNode(fiber) {
    for (let f = fiber; f; f = f.child) if (f.stateNode instanceof Element) return f.stateNode;
    return null;
  }
  const baseName = (file) => String(file || '').split(/[\\/]/).pop().replace(/\.[^.]+$/, '');

  // Cheap: what hovering needs (host element, name, file). No outerHTML, no scans.
  function locate(target) {
    const ng = ngApi();
    if (ng) {
      for (let n = target; n && n.nodeType === 1; n = n.parentElement) {
        const comp = ngComponentOf(n, ng);
        if (comp) {
          const name = comp.constructor && comp.constructor.name || n.tagName.toLowerCase();
          const entry = state.manifest[name] || {};
          return { framework: 'angular', host: n, name, file: entry.component || '', comp };
        }
      }
    }
    for (let n = target, depth = 0; n && n.nodeType === 1 && depth < 50; n = n.parentElement, depth++) {
      const fiber = reactFiberOf(n);
      if (fiber) {
        const cf = reactComponentFiber(fiber);
        if (!cf) break;
        const src = cf._debugSource || null;
        return {
          framework: 'react', host: firstHostNode(cf) || n, name: reactName(cf.type) || 'Anonymous',
          file: src ? src.fileName : '', fiber: cf, source: src,
        };
      }
      const vue = n.__vueParentComponent;
      if (vue) {
        const type = vue.type || {};
        const name = type.name || type.__name || baseName(type.__file) || 'Anonymous';
        const el = vue.subTree && vue.subTree.el instanceof Element ? vue.subTree.el : n;
        return { framework: 'vue', host: el, name, file: type.__file || '', vue };
      }
      const meta = n.__svelte_meta;
      if (meta && meta.loc) {
        return { framework: 'svelte', host: n, name: baseName(meta.loc.file) || n.tagName.toLowerCase(),
          file: meta.loc.file || '', source: meta.loc };
      }
    }
    return { framework: 'html', host: target, name: target.tagName.toLowerCase(), file: '' };
  }

  // ---- full context, computed on click / submit only --------------------------------
  function cssPath(el) {
    const parts = [];
    for (let n = el; n && n.nodeType === 1 && n !== document.documentElement; n = n.parentElement) {
      let part = n.localName;
      if (n.id && /^[A-Za-z][\w-]*$/.test(n.id)) {
        parts.unshift(part + '#' + n.id);
        break;
      }
      const parent = n.parentElement;
      if (parent) {
        let index = 0, count = 0;
        for (const sib of parent.children) {
          if (sib.localName === n.localName) { count++; if (sib === n) index = count; }
        }
        if (count > 1) part += ':nth-of-type(' + index + ')';
      }
      parts.unshift(part);
    }
    return parts.join(' > ');
  }

  function angularSelector(def, hostEl) {
    const sels = def && Array.isArray(def.selectors) ? def.selectors : null;
    if (!sels || !sels.length) return hostEl.localName;
    const out = [];
    for (const sel of sels) {
      if (!Array.isArray(sel)) continue;
      let s = typeof sel[0] === 'string' ? sel[0] : '';
      for (let i = 1; i < sel.length; i += 2) {
        if (typeof sel[i] !== 'string') break; // class / :not() flags: stop at plain attributes
        s += sel[i + 1] ? `[${sel[i]}=${JSON.stringify(String(sel[i + 1]))}]` : `[${sel[i]}]`;
      }
      if (s) out.push(s);
    }
    return out.join(', ') || hostEl.localName;
  }

  const isSignal = (v) => typeof v === 'function' &&
    Object.getOwnPropertySymbols(v).some((s) => s.description === 'SIGNAL');

  // JSON-safe copy with bounded depth and size (the server caps inputs at 64 KiB).
  function toData(value, depth = 0, seen = new WeakSet()) {
    if (value == null || typeof value === 'boolean' || typeof value === 'number') return value ?? null;
    if (typeof value === 'string') return value.length > 500 ? value.slice(0, 500) + '…' : value;
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'function') return isSignal(value) ? toData(safeCall(value), depth, seen) : '[Function]';
    if (typeof value !== 'object') return String(value);
    if (value instanceof Element) return `<${value.localName}>`;
    if (seen.has(value)) return '[Circular]';
    if (depth >= 3) return Array.isArray(value) ? `[Array(${value.length})]` : '[Object]';
    seen.add(value);
    if (Array.isArray(value)) return value.slice(0, 20).map((v) => toData(v, depth + 1, seen));
    const out = {};
    let n = 0;
    for (const k of Object.keys(value)) {
      if (n++ >= 20) break;
      out[k] = toData(value[k], depth + 1, seen);
    }
    return out;
  }
  function safeCall(fn) { try { return fn(); } catch { return undefined; } }

  function angularInputs(comp) {
    const def = comp.constructor && comp.constructor.ɵcmp;
    const inputs = {};
    const map = def && def.inputs;
    if (!map) return inputs;
    for (const publicName of Object.keys(map)) {
      const spec = map[publicName];
      const names = (Array.isArray(spec) ? spec : [spec]).filter((x) => typeof x === 'string');
      const prop = names.find((x) => x in comp) || (publicName in comp ? publicName : null);
      if (!prop) continue;
      let v = comp[prop];
      if (isSignal(v)) v = safeCall(v);
      inputs[publicName] = toData(v);
    }
    let size = JSON.stringify(inputs).length;
    for (const k of Object.keys(inputs).reverse()) {
      if (size <= 60000) break;
      size -= JSON.stringify(inputs[k]).length;
      inputs[k] = '[truncated]';
    }
    return inputs;
  }

  function describe(target) {
    const loc = locate(target);
    const el = loc.host;
    const ctx = {
      framework: loc.framework,
      componentName: loc.name,
      componentFilePath: loc.file || '',
      selector: el.localName,
      inputs: {},
      componentTreePath: [],
      element: el,
    };
    if (loc.framework === 'angular') {
      const ng = ngApi();
      const def = loc.comp.constructor && loc.comp.constructor.ɵcmp;
      const entry = state.manifest[loc.name] || {};
      ctx.selector = entry.selector || angularSelector(def, el);
      if (entry.template) ctx.templateFilePath = entry.template;
      ctx.inputs = angularInputs(loc.comp);
      for (let n = el.parentElement; n; n = n.parentElement) {
        const c = ngComponentOf(n, ng);
        if (c && c.constructor) ctx.componentTreePath.unshift(c.constructor.name);
      }
    } else if (loc.framework === 'react') {
      const props = loc.fiber.memoizedProps || {};
      const inputs = {};
      for (const k of Object.keys(props)) if (k !== 'children') inputs[k] = toData(props[k]);
      ctx.inputs = inputs;
      if (loc.source) ctx.sourceLocation = `${loc.source.fileName}:${loc.source.lineNumber}` +
        (loc.source.columnNumber != null ? `:${loc.source.columnNumber}` : '');
      for (let f = loc.fiber.return; f; f = f.return) {
        if (typeof f.type === 'function' || (f.type && typeof f.type === 'object' && reactName(f.type))) {
          ctx.componentTreePath.unshift(reactName(f.type) || 'Anonymous');
        }
      }
    } else if (loc.framework === 'vue') {
      ctx.inputs = toData(loc.vue.props || {}) || {};
      for (let p = loc.vue.parent; p; p = p.parent) {
        const t = p.type || {};
        ctx.componentTreePath.unshift(t.name || t.__name || baseName(t.__file) || 'Anonymous');
      }
    } else if (loc.framework === 'svelte') {
      ctx.sourceLocation = `${loc.source.file}:${loc.source.line}` + (loc.source.column != null ? `:${loc.source.column}` : '');
    }
    ctx.elementPath = cssPath(el);
    if (loc.framework === 'html') ctx.selector = ctx.elementPath;
    return ctx;
  }

  function rectOf(el) {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) };
  }

  function buildPayload(ctx, text, selectionText) {
    const el = ctx.element;
    let snapshot = '';
    try { snapshot = el.outerHTML || ''; } catch { /* detached */ }
    if (snapshot.length > SNAPSHOT_MAX) snapshot = snapshot.slice(0, SNAPSHOT_MAX - 20) + '<!-- truncated -->';
    const payload = {
      componentName: ctx.componentName,
      componentFilePath: ctx.componentFilePath,
      selector: ctx.selector,
      inputs: ctx.inputs,
      domSnapshot: snapshot,
      componentTreePath: ctx.componentTreePath,
      annotationText: text,
      pageUrl: location.href,
      framework: ctx.framework,
      boundingBox: el.isConnected ? rectOf(el) : ctx.boundingBox,
      viewport: { width: window.innerWidth, height: window.innerHeight },
      elementPath: ctx.elementPath,
    };
    if (ctx.templateFilePath) payload.templateFilePath = ctx.templateFilePath;
    if (selectionText) payload.selectionText = selectionText;
    if (ctx.sourceLocation) payload.sourceLocation = ctx.sourceLocation;
    return payload;
  }

  // ---- inspect mode --------------------------------------------------------------
  let hoverTarget = null;
  let hoverHost = null;

  function setInspecting(on) {
    state.inspecting = on && !state.hidden;
    fab.classList.toggle('inspecting', state.inspecting);
    if (!state.inspecting) hideHighlight();
  }
  function hideHighlight() {
    hoverTarget = hoverHost = null;
    hl.style.display = 'none';
    hlLabel.style.display = 'none';
  }
  function placeHighlight() {
    if (!hoverHost || !hoverHost.isConnected) return hideHighlight();
    const r = hoverHost.getBoundingClientRect();
    const s = hl.style;
    s.display = 'block';
    s.left = r.left + 'px'; s.top = r.top + 'px'; s.width = r.width + 'px'; s.height = r.height + 'px';
    const ls = hlLabel.style;
    ls.display = 'block';
    ls.left = Math.max(0, r.left) + 'px';
    ls.top = (r.top > 22 ? r.top - 22 : r.bottom + 2) + 'px';
  }
  const isOurs = (e) => e.composedPath().includes(host);

  function onMouseMove(e) {
    if (!state.inspecting) return;
    const t = e.target;
    if (t === hoverTarget || !(t instanceof Element) || t === host) return;
    hoverTarget = t;
    const loc = locate(t);
    if (loc.host === hoverHost) return;
    hoverHost = loc.host;
    hlLabel.replaceChildren(loc.name, loc.file ? h('small', null, loc.file) : '');
    placeHighlight();
  }

  // While inspecting, the press and the click belong to us: the app's handlers never run.
  function swallow(e) {
    if (!state.inspecting || isOurs(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
  }
  function onClick(e) {
    if (!state.inspecting || isOurs(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    const selectionText = String(window.getSelection ? window.getSelection() : '').trim().slice(0, 5000);
    const ctx = describe(t);
    ctx.boundingBox = rectOf(ctx.element);
    setInspecting(false);
    openAnnotate(ctx, selectionText);
  }

  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'dblclick', 'auxclick', 'contextmenu']) {
    window.addEventListener(type, swallow, true);
  }
  window.addEventListener('click', onClick, true);
  window.addEventListener('mousemove', onMouseMove, { capture: true, passive: true });

  // ---- shortcuts -------------------------------------------------------------------
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
  function onKeyDown(e) {
    if (inAppField(e) || e.isComposing) return;
    const ours = isOurs(e);
    const altShift = e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey;
    let done = true;
    if (altShift && e.code === 'KeyA' && !ours) {
      if (state.hidden) setHidden(false);
      setInspecting(!state.inspecting);
    } else if (altShift && e.code === 'KeyH' && !ours) {
      setHidden(!state.hidden);
    } else if (altShift && e.code === 'KeyX' && !ours) {
      send({ type: 'annotations:clear' });
    } else if (e.code === 'Escape' && !e.altKey && !e.ctrlKey && !e.metaKey && (panelMode || state.inspecting)) {
      if (panelMode) closePanel(); else setInspecting(false);
    } else {
      done = false;
    }
    if (done) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }
  window.addEventListener('keydown', onKeyDown, true);
  const isSubmitKey = (e) => (e.code === 'Enter' || e.code === 'NumpadEnter' || e.key === 'Enter') &&
    ((e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) || e.ctrlKey || e.metaKey);

  function setHidden(hidden) {
    state.hidden = hidden;
    host.style.display = hidden ? 'none' : 'block';
    if (hidden) setInspecting(false);
    else scheduleLayout();
  }

  // ---- panels --------------------------------------------------------------------
  let panelMode = null; // 'annotate' | 'thread' | 'diff' | 'help'
  let panelId = null;

  function showPanel(mode, id, content) {
    panelMode = mode;
    panelId = id || null;
    panel.dataset.mode = mode;
    panel.replaceChildren(...content.flat(2).filter((c) => c != null && c !== false));
    panel.style.display = 'block';
  }
  function closePanel() {
    panelMode = panelId = null;
    panel.style.display = 'none';
    panel.replaceChildren();
  }
  function togglePanel(mode) {
    if (panelMode === mode) closePanel(); else if (mode === 'help') renderHelp();
  }

  function openAnnotate(ctx, selectionText) {
    const area = h('textarea', { placeholder: 'Describe the change… (Ctrl/⌘+Enter or Shift+Enter to send)', 'aria-label': 'annotation' });
    const submit = () => {
      const text = area.value.trim();
      if (!text) { showError('type a change request first'); return; }
      sendCreate({ type: 'annotation:create', payload: buildPayload(ctx, text, selectionText) }, ctx.element);
      closePanel();
      scheduleLayout();
    };
    area.addEventListener('keydown', (e) => { if (isSubmitKey(e)) { e.preventDefault(); submit(); } });
    const inputs = Object.entries(ctx.inputs || {}).slice(0, 5);
    showPanel('annotate', null, [
      h('h3', null, ctx.componentName),
      h('div', { class: 'muted row', 'data-field': 'file' }, ctx.componentFilePath || ctx.sourceLocation || ctx.elementPath),
      ctx.componentTreePath.length ? h('div', { class: 'muted row', 'data-field': 'ancestry' },
        [...ctx.componentTreePath, ctx.componentName].join(' › ')) : null,
      inputs.length ? h('ul', { class: 'row', 'data-field': 'inputs' },
        inputs.map(([k, v]) => h('li', null, h('b', null, k), ': ', JSON.stringify(v)))) : null,
      selectionText ? h('div', { class: 'row muted', 'data-field': 'selection' }, '“' + selectionText.slice(0, 300) + '”') : null,
      area,
      h('div', null,
        h('button', { class: 'primary', 'data-action': 'submit', onclick: submit }, 'Send'),
        h('button', { onclick: closePanel }, 'Cancel')),
    ]);
    area.focus();
  }

  function statusPill(status) {
    return h('span', { class: 'status', style: `background:${COLORS[status] || '#64748b'}` }, status);
  }

  function renderThread(id) {
    const a = state.annotations.get(id);
    if (!a) return closePanel();
    const old = panelMode === 'thread' && panelId === id ? panel.querySelector('textarea') : null;
    const draft = old ? old.value : '';
    const hadFocus = old && root.activeElement === old;
    const area = h('textarea', { placeholder: 'Reply… (Ctrl/⌘+Enter)', 'aria-label': 'reply' });
    area.value = draft;
    const sendReply = () => {
      const message = area.value.trim();
      if (!message) return;
      send({ type: 'annotation:reply', id, message });
      area.value = '';
    };
    area.addEventListener('keydown', (e) => { if (isSubmitKey(e)) { e.preventDefault(); sendReply(); } });
    showPanel('thread', id, [
      h('h3', null, a.componentName || 'Annotation'),
      h('div', { class: 'row' }, statusPill(a.status)),
      h('div', { class: 'muted row' }, a.componentFilePath || a.elementPath || ''),
      h('div', { class: 'reply' }, a.annotationText),
      (a.replies || []).map((r) => h('div', { class: 'reply ' + (r.author === 'agent' ? 'agent' : 'user') },
        h('b', null, r.author === 'agent' ? 'Agent: ' : 'You: '), r.message)),
      a.status === 'resolved' || a.status === 'dismissed' ? null : area,
      h('div', null,
        a.status === 'resolved' || a.status === 'dismissed' ? null : h('button', { class: 'primary', 'data-action': 'reply', onclick: sendReply }, 'Reply'),
        a.diff ? h('button', { 'data-action': 'show-diff', onclick: () => renderDiff(id) }, 'View diff') : null,
        a.status === 'pending' ? h('button', { 'data-action': 'delete', onclick: () => send({ type: 'annotation:delete', id }) }, 'Delete') : null,
        h('button', { onclick: closePanel }, 'Close')),
    ]);
    if (hadFocus) area.focus();
  }

  function renderDiff(id) {
    const a = state.annotations.get(id);
    if (!a || !a.diff) return renderThread(id);
    const lines = String(a.diff).split('\n').map((line) => {
      const cls = line.startsWith('+++') || line.startsWith('---') ? 'meta'
        : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
      return h('span', { class: cls }, line || ' ');
    });
    const canAnswer = a.status === 'diff_proposed';
    showPanel('diff', id, [
      h('h3', null, 'Proposed change — ' + (a.componentName || '')),
      h('div', { class: 'row' }, statusPill(a.status), a.diffResponse ? ' ' + a.diffResponse : ''),
      h('pre', { class: 'diff' }, lines),
      h('div', null,
        canAnswer ? h('button', { class: 'primary', 'data-action': 'apply', onclick: () => send({ type: 'diff:approved', id }) }, 'Apply') : null,
        canAnswer ? h('button', { 'data-action': 'reject', onclick: () => send({ type: 'diff:rejected', id }) }, 'Reject') : null,
        h('button', { onclick: () => renderThread(id) }, 'Thread'),
        h('button', { onclick: closePanel }, 'Close')),
    ]);
  }

  function agentActive() {
    const t = state.heartbeat ? Date.parse(state.heartbeat) : NaN;
    return Number.isFinite(t) && Date.now() - t < AGENT_FRESH_MS;
  }

  function renderHelp() {
    const active = agentActive();
    const yolo = !!(state.session && state.session.yoloMode);
    const key = (k, what) => h('li', null, h('kbd', null, k), ' ', what);
    showPanel('help', null, [
      h('h3', null, 'ng-annotate'),
      h('div', { class: 'row', 'data-field': 'agent', 'data-active': String(active) },
        h('span', { class: 'dot', style: `background:${active ? '#22c55e' : '#94a3b8'}` }),
        active ? 'Agent connected' : 'No agent activity in the last 40 s'),
      h('div', { class: 'row muted' }, ws && ready ? 'Connected to ' + WS_URL : 'Reconnecting to ' + WS_URL + '…'),
      h('ul', null,
        key('Alt+Shift+A', 'inspect on/off'), key('Esc', 'back'), key('Alt+Shift+H', 'hide/show'),
        key('Alt+Shift+X', 'clear this session'), key('Ctrl/⌘+Enter', 'send')),
      h('label', { class: 'row', style: 'display:block' },
        h('input', { type: 'checkbox', 'data-action': 'yolo', checked: yolo, onchange: () => send({ type: 'session:yolo-toggle' }) }),
        ' Yolo mode (diffs are applied without asking)'),
      h('div', null,
        h('button', { class: 'primary', onclick: () => { closePanel(); setInspecting(true); } }, 'Inspect'),
        h('button', { onclick: () => { closePanel(); setHidden(true); } }, 'Hide'),
        h('button', { onclick: closePanel }, 'Close')),
    ]);
  }

  function refreshPanel() {
    if (panelMode === 'thread') renderThread(panelId);
    else if (panelMode === 'diff') renderDiff(panelId);
    else if (panelMode === 'help' && !panel.contains(root.activeElement)) renderHelp();
  }
  setInterval(() => { if (panelMode === 'help') refreshPanel(); }, 5000);

  // ---- badges --------------------------------------------------------------------
  const badges = new Map(); // id -> badge element
  let layoutQueued = false;
  function scheduleLayout() {
    if (layoutQueued) return;
    layoutQueued = true;
    requestAnimationFrame(layout);
  }
  function findElement(a) {
    let el = elementOf.get(a.id);
    if (el && el.isConnected) return el;
    el = null;
    try { if (a.elementPath) el = document.querySelector(a.elementPath); } catch { /* invalid path */ }
    if (!el && a.selector) {
      try { el = document.querySelector(a.selector); } catch { /* not a CSS selector */ }
    }
    if (el && !host.contains(el)) elementOf.set(a.id, el);
    return el;
  }
  function layout() {
    layoutQueued = false;
    if (state.hidden) return;
    let n = 0;
    const seen = new Set();
    for (const a of state.annotations.values()) {
      n++;
      const el = findElement(a);
      let b = badges.get(a.id);
      if (!el) { if (b) b.style.display = 'none'; continue; }
      seen.add(a.id);
      if (!b) {
        b = h('div', { class: 'badge', 'data-id': a.id, onclick: (e) => { e.stopPropagation(); openFor(a.id); } });
        badges.set(a.id, b);
        badgeLayer.append(b);
      }
      b.textContent = String(n);
      b.dataset.status = a.status;
      b.title = `${a.status}: ${a.annotationText}`;
      b.style.background = COLORS[a.status] || '#64748b';
      const r = el.getBoundingClientRect();
      b.style.display = r.width || r.height ? 'flex' : 'none';
      b.style.left = Math.max(0, Math.min(window.innerWidth - 20, r.right - 10)) + 'px';
      b.style.top = Math.max(0, r.top - 10) + 'px';
    }
    for (const [id, b] of badges) {
      if (!state.annotations.has(id)) { b.remove(); badges.delete(id); } else if (!seen.has(id)) b.style.display = 'none';
    }
    if (hoverHost) placeHighlight();
  }
  function openFor(id) {
    const a = state.annotations.get(id);
    if (a && a.status === 'diff_proposed' && a.diff) renderDiff(id); else renderThread(id);
  }

  window.addEventListener('scroll', scheduleLayout, { capture: true, passive: true });
  window.addEventListener('resize', scheduleLayout, { passive: true });
  const observe = () => new MutationObserver(() => { if (badges.size || state.annotations.size) scheduleLayout(); })
    .observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
  if (document.documentElement) observe();

  setInterval(() => { if (ws && ready) send({ type: 'session:ping' }); }, 30000);

  window.__ngAnnotate = {
    version: 1,
    get state() { return state; },
    get connected() { return !!(ws && ready); },
    queued: () => outbox.length + inflight.filter((e) => !e.sentOn || e.sentOn !== ws).length,
    inspect: setInspecting,
  };
  connect();
})();
