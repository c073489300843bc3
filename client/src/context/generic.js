// Any page, no framework: the element itself, named by its tag, located by CSS.
export function locate(target) {
  return { framework: 'html', host: target, name: target.localName, file: '' };
}
export function describe(loc, ctx) {
  ctx.selector = ctx.elementPath;
}
