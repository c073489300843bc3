// The browser-side entry of @ng-annotate/angular: what `import … from
// '@ng-annotate/angular'` in an app's code reaches (the builder and the
// schematic are found through builders.json and collection.json instead).
//
// provideNgAnnotate() is a no-op, kept so that an app written for
// ng-annotate-mcp (whose Angular package has the same name) still compiles
// after the switch: here the dev-server builder (or the Vite plugin, or
// `serve --proxy`) puts the overlay on the page, not a provider. It returns
// an empty provider list, which Angular accepts wherever its providers go.
export function provideNgAnnotate() {
  return [];
}
