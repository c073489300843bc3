// Svelte 5 keeps a component's props on no DOM node, so the overlay cannot
// show them. In dev this pure function rewrites a component's compiled client
// code (Svelte's own output, after vite-plugin-svelte) so that the component's
// root elements carry `__ngaProps` (the live `$$props` object, read only when
// the overlay describes a click). Null when the code is not a Svelte 5
// component with props.

import { applyInsertions } from './insert-map.js';

// Appended at the end and inserted on existing lines, so that no line moves.
// A single root element (most components) gets the property at the end of
// its `$.append` line, after every token of it: no code moves, so the result
// has no map of its own (`map: null`: the map so far holds, as Rollup and
// Vite define it), which spares the dev server writing and then tracing a
// map through Svelte's for every component (~0.3 s of CPU for 1 000 at each
// start, issue 22). A fragment's roots must be read before `$.append` moves
// them out of it: that insertion moves the rest of its line, so it comes with
// its own map (./insert-map.js).
const HELPER = '\nfunction __nga_expose(node, props) { for (const el of node && node.nodeType === 11 ? node.children : [node]) if (el && el.nodeType === 1) el.__ngaProps = props; }\n';

// {code, map} (`source` names the compiled module in the map; map null when
// no code moved), or null.
export function exposeSveltePropsWithMap(js, source) {
  // `function Name($$anchor, $$props) {` at column 0 and its closing `}` at column 0.
  const head = /^(?:export default )?function ([\w$]+)\(\$\$anchor, \$\$props\) \{$/m.exec(js);
  if (!head) return null;
  const bodyStart = head.index + head[0].length;
  const close = js.indexOf('\n}\n', bodyStart);
  const bodyEnd = close === -1 ? js.length : close;
  const body = js.slice(bodyStart, bodyEnd);
  // The component's own top-level appends (one tab in): its root nodes.
  // Svelte names a fragment's variable `fragment…`; the helper that handles
  // it is carried once by a module that needs it.
  const appends = [...body.matchAll(/^\t\$\.append\(\$\$anchor, ([\w$]+)\);$/gm)];
  if (!appends.length) return null;
  const fragments = appends.some((m) => m[1].startsWith('fragment'));
  const inserts = appends.map((m) => (m[1].startsWith('fragment')
    ? { at: bodyStart + m.index + 1, text: `__nga_expose(${m[1]}, $$props); ` }
    : { at: bodyStart + m.index + m[0].length, text: ` ${m[1]}.__ngaProps = $$props;` }));
  if (fragments) inserts.push({ at: js.length, text: HELPER });
  if (fragments) return applyInsertions(js, inserts, source);
  let code = '';
  let from = 0;
  for (const { at, text } of inserts.sort((a, b) => a.at - b.at)) { code += js.slice(from, at) + text; from = at; }
  return { code: code + js.slice(from), map: null };
}

export const exposeSvelteProps = (js) => exposeSveltePropsWithMap(js, 'component.js')?.code ?? null;
