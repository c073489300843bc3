// The page origins the Vite plugin registers (packages/vite-plugin/src/origins.js),
// from Vite's resolved server config and the port it listens on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { devServerOrigins } from '../../packages/vite-plugin/src/origins.js';

const LOOPBACK = ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://[::1]:5173'];

test('loopback names with the real port by default', () => {
  assert.deepEqual(devServerOrigins({}, 5173), LOOPBACK);
  assert.deepEqual(devServerOrigins({ host: 'localhost' }, 5173), LOOPBACK);
});

test('https, server.host, allowedHosts names and server.origin', () => {
  const origins = devServerOrigins({
    https: { key: 'k', cert: 'c' }, host: 'MyBox.local', allowedHosts: ['app.test', '.wild.test'], origin: 'https://cdn.example:8443',
  }, 5174);
  assert.deepEqual(origins, [
    'https://localhost:5174', 'https://127.0.0.1:5174', 'https://[::1]:5174', 'https://mybox.local:5174',
    'https://app.test:5174', 'https://cdn.example:8443',
  ]);
  assert.ok(devServerOrigins({ host: '::1' }, 1).includes('http://[::1]:1'));
  assert.ok(devServerOrigins({ host: 'fd00::5' }, 1).includes('http://[fd00::5]:1'));
});

test('listening on every interface: every interface address (but link-local IPv6)', () => {
  const ipv4 = Object.values(networkInterfaces()).flat().filter((a) => a.family === 'IPv4' || a.family === 4);
  for (const host of [true, '0.0.0.0', '::']) {
    const origins = devServerOrigins({ host }, 3000);
    for (const a of ipv4) assert.ok(origins.includes(`http://${a.address}:3000`), `${host}: ${a.address}`);
    assert.ok(origins.every((o) => !/\[fe80/i.test(o)), origins.join(' '));
  }
});
