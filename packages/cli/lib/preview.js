// Preview mode (issue 20): the overlay on a deployed build, opt-in per build.
// Helpers shared by the build integrations (@ng-annotate/vite-plugin's
// preview plugin, @ng-annotate/angular:application, @ng-annotate/next):
//
// * on only with BOTH the explicit option (`preview: { server, project }`)
//   and NG_ANNOTATE_PREVIEW=1 in the build's environment, so a preview
//   option left in a config never reaches a production deploy by itself;
// * elements get `data-nga-id="<short id>"` instead of a path: the id is a
//   hash of the element's `file:line:col`, so it is stable while that line is;
// * the build id is `preview.build`, else NG_ANNOTATE_BUILD_ID, else a hash
//   of the whole manifest (the same sources give the same id);
// * the manifest ({version, project, build, ids: {id: "file:line:col"}}, no
//   source text) goes to <root>/.ng-annotate/builds/<build>.json, outside the
//   build output, where `ng-annotate manifest push` finds it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE_ID_ATTR = 'data-nga-id';
export const PREVIEW_ENV = 'NG_ANNOTATE_PREVIEW';
export const BUILD_ID_ENV = 'NG_ANNOTATE_BUILD_ID';
const ID_CHARS = 8;
const BUILD_ID = /^[A-Za-z0-9._-]{1,128}$/;

// {enabled, server, project, build, message}: `message` is the one line to
// log when the option and the environment disagree (never silent).
export function previewSettings(preview, env = process.env) {
  const asked = env[PREVIEW_ENV] === '1';
  if (!preview) {
    return { enabled: false, message: asked ? `${PREVIEW_ENV}=1 is set, but this build has no \`preview: { server, project }\` option: preview mode stays off.` : '' };
  }
  if (typeof preview !== 'object' || typeof preview.server !== 'string' || typeof preview.project !== 'string' ||
      !/^https?:\/\/[^/]+/.test(preview.server) || !preview.project) {
    throw new Error('[ng-annotate] preview: expected { server: "https://annotate.example.com", project: "name" }');
  }
  const build = preview.build ?? env[BUILD_ID_ENV] ?? null;
  if (build != null && !BUILD_ID.test(build)) {
    throw new Error(`[ng-annotate] preview build id ${JSON.stringify(build)}: 1 to 128 letters, digits, '.', '_' or '-'`);
  }
  if (!asked) {
    return { enabled: false, message: `preview mode is configured but off: set ${PREVIEW_ENV}=1 for a preview build (this build is a normal one).` };
  }
  return { enabled: true, server: preview.server.replace(/\/+$/, ''), project: preview.project, build, message: '' };
}

// The short id of a source location: what every build process computes alike.
export const sourceIdOf = (location) => createHash('sha256').update(location).digest('hex').slice(0, ID_CHARS);

// Short stable ids for source locations, unique within one build.
export class SourceIds {
  constructor() { this.byLocation = new Map(); this.locations = new Map(); }
  idFor(location) {
    const known = this.byLocation.get(location);
    if (known) return known;
    const hash = createHash('sha256').update(location).digest('hex');
    // A clash (two locations, one prefix) lengthens the newer id (sourceIdOf otherwise).
    let n = ID_CHARS;
    while (this.locations.has(hash.slice(0, n)) && n < hash.length) n += 2;
    const id = hash.slice(0, n);
    this.byLocation.set(location, id);
    this.locations.set(id, location);
    return id;
  }
  get size() { return this.locations.size; }
  // {id: location}, sorted by id (the same sources, the same bytes).
  toJSON() {
    return Object.fromEntries([...this.locations].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  // The attribute maker for ./stamp.js.
  get attribute() { return (location) => [SOURCE_ID_ATTR, this.idFor(location)]; }
}

export function defaultBuildId(ids) {
  return createHash('sha256').update(JSON.stringify(ids.toJSON())).digest('hex').slice(0, 12);
}

export function manifestPath(root, build) {
  return join(root, '.ng-annotate', 'builds', `${build}.json`);
}

// Writes the manifest; returns its path.
export function writeManifest(root, { project, build, ids }) {
  const file = manifestPath(root, build);
  mkdirSync(join(root, '.ng-annotate', 'builds'), { recursive: true });
  writeFileSync(file, JSON.stringify({ version: 1, project, build, ids: ids.toJSON() }, null, 1) + '\n');
  return file;
}

// Builds whose modules are compiled in several processes (Next.js) write one
// part per module (ids of that module only) and merge them at the end.
export function partsDir(root, build) {
  return join(root, '.ng-annotate', 'builds', `${build}.parts`);
}
export function writePart(root, build, rel, ids) {
  const dir = partsDir(root, build);
  mkdirSync(dir, { recursive: true });
  const name = createHash('sha256').update(rel).digest('hex').slice(0, 16);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(ids));
}
// Merges the parts into the manifest (they stay, under .ng-annotate/). Returns {file, count,
// clashes}: `clashes` lists ids that two locations share (then no manifest).
export function mergeParts(root, { project, build }) {
  const dir = partsDir(root, build);
  const ids = new Map();
  const clashes = [];
  let names = [];
  try { names = readdirSync(dir); } catch { return { file: null, count: 0, clashes }; }
  for (const name of names) {
    for (const [id, location] of Object.entries(JSON.parse(readFileSync(join(dir, name), 'utf8')))) {
      if (ids.has(id) && ids.get(id) !== location) clashes.push(`${id}: ${ids.get(id)} and ${location}`);
      ids.set(id, location);
    }
  }
  if (clashes.length) return { file: null, count: ids.size, clashes };
  const sorted = { toJSON: () => Object.fromEntries([...ids].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  return { file: writeManifest(root, { project, build, ids: sorted }), count: ids.size, clashes };
}

// The overlay's tag for a built page: loaded from the team server, async
// (it never holds the page up), naming the project and the build.
export function previewScriptAttrs({ server, project, build }) {
  return { src: `${server}/__annotate/client.js`, async: true, 'data-nga-project': project, 'data-nga-build': build };
}

export function previewScriptTag(settings) {
  const attrs = previewScriptAttrs(settings);
  const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<script src="${esc(attrs.src)}" async data-nga-project="${esc(attrs['data-nga-project'])}" data-nga-build="${esc(attrs['data-nga-build'])}"></script>`;
}

// What to say once the build is done: the manifest and the push command.
export function pushHint(file, { project, build, server }) {
  return `[ng-annotate] preview build ${build}: manifest of source ids written to ${file} (not part of the build output). `
    + `Send it to the team server: ng-annotate manifest push --project ${project} --build ${build} --server ${server}`;
}
