// A throwaway PostgreSQL cluster for a node test file, by the same script the
// unit tests use (scripts/pg-test-cluster.sh: initdb + pg_ctl as the
// `postgres` user when run as root, a unix socket in a temp dir, every
// start and stop bounded). One cluster per file, started in `before` and
// stopped in `after`; each test takes a project of its own. A file only some
// of whose tests need PostgreSQL passes {lazy: true}: the cluster then
// starts on the first `await cluster.ready()`.
import { before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/pg-test-cluster.sh', import.meta.url));

function script(args, ms = 60000) {
  return new Promise((resolve, reject) => {
    execFile(SCRIPT, args, { timeout: ms, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pg-test-cluster.sh ${args.join(' ')}: ${error.message} ${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

// Registers the file's cluster: {url, project(), restart(mode), ready()}; url
// is set once `before` has run (or, lazy, once ready() has resolved).
export function useCluster({ lazy = false } = {}) {
  let starting = null;
  const cluster = {
    dir: mkdtempSync('/tmp/nga-pg-'),
    url: '',
    // A fresh project key: the test's rows are its own.
    project: () => `t-${randomUUID().slice(0, 8)}`,
    // pg_ctl restart -m fast | immediate (bounded).
    restart: (mode = 'fast') => script(['restart', cluster.dir, mode]),
    // The server down (data kept) and up again.
    halt: () => script(['halt', cluster.dir]),
    start: () => script(['start', cluster.dir]),
    // Resolves with the URL once the cluster is up (started on first call).
    ready: () => {
      starting ??= script(['start', cluster.dir]).then((url) => { cluster.url = url; return url; });
      return starting;
    },
  };
  if (!lazy) before(() => cluster.ready());
  after(() => script(['stop', cluster.dir]));  // (removes the dir even when never started)
  return cluster;
}
