// The origins a Vite dev server's pages are served from, once it listens:
// loopback names, server.host (or every interface address when it listens on
// all of them), allowedHosts names and server.origin, with the real port and
// http or https.
import { networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

function interfaceAddresses() {
  const out = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      if (entry.family === 'IPv4' || entry.family === 4) out.push(entry.address);
      else if (!entry.address.toLowerCase().startsWith('fe80') && !entry.address.includes('%')) out.push(`[${entry.address}]`);
    }
  }
  return out;
}

export function devServerOrigins(serverConfig, port) {
  const scheme = serverConfig?.https ? 'https' : 'http';
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  const host = serverConfig?.host;
  if (host === true || (typeof host === 'string' && WILDCARDS.has(host))) {
    for (const address of interfaceAddresses()) names.add(address);
  } else if (typeof host === 'string') {
    names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  }
  const allowed = serverConfig?.allowedHosts;
  for (const name of Array.isArray(allowed) ? allowed : []) {
    if (typeof name === 'string' && name && !name.startsWith('.')) names.add(name);
  }
  const origins = [...names].map((name) => `${scheme}://${name.toLowerCase()}:${port}`);
  if (serverConfig?.origin) {
    try { origins.push(new URL(serverConfig.origin).origin); } catch { /* Vite reports it */ }
  }
  return [...new Set(origins)];
}
