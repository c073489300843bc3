// Svelte 5 keeps a component's props on no DOM node, so the overlay cannot
// show them. In dev this pure function rewrites a component's compiled client
// code (Svelte's own output, after vite-plugin-svelte) so that the component's
// root elements carry `__ngaProps` (the live `$$props` object, read only when
// the overlay describes a click). Null when the code is not a Svelte 5
// component with props.

import { applyInsertions } from './insert-map.js';

// Appended at the end and inserted on existing lines, so that no line moves;
// the insertions come with their own map (./insert-map.js), so columns stay
// right too.
const HELPER = '\nfunction __nga_expose(node, props) { for (const el of node && node.nodeType === 11 ? node.children : [node]) if (el && el.nodeType === 1) el.__ngaProps = props; }\n';

// {code, map} (`source` names the compiled module in the map), or null.
export function exposeSveltePropsWithMap(js, source) {
  // `function Name($$anchor, $$props) {` at column 0 and its closing `}` at column 0.
  const head = /^(?:export default )?function ([\w$]+)\(\$\$anchor, \$\$props\) \{$/m.exec(js);
  if (!head) return null;
  const bodyStart = head.index + head[0].length;
  const close = js.indexOf('\n}\n', bodyStart);
  const bodyEnd = close === -1 ? js.length : close;
  const body = js.slice(bodyStart, bodyEnd);
  // The component's own top-level appends (one tab in): its root nodes.
  // A single root node gets the property at once; a fragment's roots (Svelte
  // names those variables `fragment…`) through the helper, which a module
  // then carries once: most components have one root and pay ~30 bytes.
  const appends = [...body.matchAll(/^\t\$\.append\(\$\$anchor, ([\w$]+)\);$/gm)];
  if (!appends.length) return null;
  const inserts = appends.map((m) => ({
    at: bodyStart + m.index + 1,
    text: m[1].startsWith('fragment') ? `__nga_expose(${m[1]}, $$props); ` : `${m[1]}.__ngaProps = $$props; `,
  }));
  if (appends.some((m) => m[1].startsWith('fragment'))) inserts.push({ at: js.length, text: HELPER });
  return applyInsertions(js, inserts, source);
}

export const exposeSvelteProps = (js) => exposeSveltePropsWithMap(js, 'component.js')?.code ?? null;
