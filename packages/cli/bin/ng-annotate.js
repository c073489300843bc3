#!/usr/bin/env node
// `npx ng-annotate ...`: runs the native binary with the same arguments,
// stdio and exit status (signals sent to this shim are passed on).
import { spawn } from 'node:child_process';
import { findBinary } from '../lib/daemon.js';

const found = findBinary();
if (found.error) {
  process.stderr.write(`ng-annotate: ${found.error}\n`);
  process.exit(1);
}
const child = spawn(found.file, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { if (child.exitCode === null) child.kill(signal); });
}
child.once('error', (error) => {
  process.stderr.write(`ng-annotate: could not run ${found.file}: ${error.message}\n`);
  process.exit(1);
});
child.once('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
