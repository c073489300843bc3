// The JSX stamp with no edit to the source at all. In dev, the JSX compilers
// behind @vitejs/plugin-react (oxc, Babel, SWC) already pass every element's
// position to the automatic runtime: `jsxDEV(type, props, key, isStatic,
// {fileName, lineNumber, columnNumber}, self)`, 1-based, the column of its
// `<`. React 19 ignores it. A small module standing in for
// `<pkg>/jsx-dev-runtime` (for the project's own modules only) turns it into
// the same `data-nga-src` attribute on host elements: nothing to parse,
// nothing added to the modules the browser loads.

// `react/jsx-dev-runtime`, `preact/jsx-dev-runtime`, `@emotion/react/jsx-dev-runtime`…
export const JSX_DEV_RUNTIME = /^((?:@[\w.-]+\/)?\w[\w.-]*(?:\/[\w.-]+)*)\/jsx-dev-runtime$/;

// The source of the stand-in for `runtime` (the real module's specifier).
// `root` is the project root (forward slashes): files under it, outside
// node_modules, get `<root-relative file>:<line>:<column>`.
export function jsxDevRuntimeShim(runtime, root, attr) {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return `import * as runtime from ${JSON.stringify(runtime)};
const real = runtime.jsxDEV ?? runtime.default?.jsxDEV;
export const Fragment = runtime.Fragment ?? runtime.default?.Fragment;
const ROOT = ${JSON.stringify(prefix)};
const ATTR = ${JSON.stringify(attr)};
export function jsxDEV(type, props, key, isStatic, source, self) {
  if (typeof type === 'string' && props && source && typeof source.fileName === 'string' && props[ATTR] === undefined) {
    const file = source.fileName.replace(/\\\\/g, '/');
    if (file.startsWith(ROOT) && !file.includes('/node_modules/')) {
      props = { ...props, [ATTR]: file.slice(ROOT.length) + ':' + source.lineNumber + ':' + source.columnNumber };
    }
  }
  return real(type, props, key, isStatic, source, self);
}
`;
}
