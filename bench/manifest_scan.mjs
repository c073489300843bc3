// The manifest scan figure of SPEC §7: 5 000 component files scanned cold in
// under 300 ms. Generates a project (components with templates, specs, plain
// services, and a node_modules the scan must skip) in a temp dir, then times
// `ng-annotate manifest --root DIR`: a fresh process each run, so the figure
// includes process start and printing the JSON. "Cold" means a new process
// with no previous results; the OS page cache is warm (dropping it needs root
// and would disturb the machine).
//   node bench/manifest_scan.mjs /abs/path/to/ng-annotate
// Knobs: BENCH_COMPONENTS (5000), BENCH_RUNS (7). A figure, not a test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PER_FEATURE = 50;

function component(i) {
  return `import { Component, Input, Output, EventEmitter, OnInit } from '@angular/core';
import { CommonModule } from '@angular/common';
import { Item${i}Service } from './item-${i}.service';

/**
 * Shows item ${i}. Mentions @Component in a comment, which must not count.
 */
@Component({
  selector: 'app-item-${i}',
  standalone: true,
  imports: [CommonModule],
  templateUrl: './item-${i}.component.html',
  styles: [\`:host { display: block; } .title { font-weight: \${600}; }\`],
})
export class Item${i}Component implements OnInit {
  @Input() label = 'Item ${i}';
  @Output() picked = new EventEmitter<string>();
  private readonly pattern = /[{}()'"\`]/g;
  items: string[] = [];

  constructor(private readonly service: Item${i}Service) {}

  ngOnInit(): void {
    this.items = this.service.load().filter((x) => !this.pattern.test(x));
  }

  pick(value: string): void {
    this.picked.emit(\`\${this.label}: \${value}\`);
  }
}
`;
}

function service(i) {
  return `import { Injectable } from '@angular/core';

@Injectable({ providedIn: 'root' })
export class Item${i}Service {
  load(): string[] { return ['a', 'b', 'c'].map((x) => x + ${i}); }
}
`;
}

// before_after.mjs times the same project with two binaries: both import these.
export function generate(root, components) {
  for (let i = 0; i < components; i++) {
    const dir = join(root, 'src/app', `feature-${Math.floor(i / PER_FEATURE)}`, `item-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `item-${i}.component.ts`), component(i));
    writeFileSync(join(dir, `item-${i}.component.html`), `<p class="title">{{ label }}</p>\n`);
    writeFileSync(join(dir, `item-${i}.component.spec.ts`), `describe('Item${i}', () => {});\n`);
    writeFileSync(join(dir, `item-${i}.service.ts`), service(i));
  }
  const vendored = join(root, 'node_modules/@vendor/ui');
  mkdirSync(vendored, { recursive: true });
  for (let i = 0; i < 1000; i++) writeFileSync(join(vendored, `v${i}.component.ts`), component(i));
}

export function timeOnce(bin, root, components) {
  const start = process.hrtime.bigint();
  const result = spawnSync(bin, ['manifest', '--root', root], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`manifest failed: ${result.stderr}`);
  const found = Object.keys(JSON.parse(result.stdout)).length;
  if (found !== components) throw new Error(`expected ${components} components, got ${found}`);
  return elapsed;
}

async function main() {
  const BIN = process.argv[2];
  if (!BIN) {
    console.error('usage: node bench/manifest_scan.mjs /abs/path/to/ng-annotate');
    process.exit(2);
  }
  const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 5000);
  const RUNS = Number(process.env.BENCH_RUNS ?? 7);
  const root = mkdtempSync(join(tmpdir(), 'nga-bench-manifest-'));
  try {
    console.error(`manifest bench: generating ${COMPONENTS} components in ${root}`);
    generate(root, COMPONENTS);
    const first = timeOnce(BIN, root, COMPONENTS);
    const runs = Array.from({ length: RUNS }, () => timeOnce(BIN, root, COMPONENTS)).sort((a, b) => a - b);
    const median = runs[Math.floor(runs.length / 2)];
    console.log(`manifest scan, ${COMPONENTS} component files (+ ${COMPONENTS * 2} other .ts/.html, ` +
      `${COMPONENTS} specs, 1000 in node_modules), whole process: ` +
      `first ${first.toFixed(1)} ms, median of ${RUNS} ${median.toFixed(1)} ms, ` +
      `min ${runs[0].toFixed(1)} ms, max ${runs[runs.length - 1].toFixed(1)} ms (target < 300 ms)`);
  } finally {
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
