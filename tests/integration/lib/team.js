// Team mode (issue 20) for the tests: tokens made by the real CLI, and the
// official MCP SDK client with its Bearer header.
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { run } from './cli.js';
import { withDeadline } from './serve.js';

// `ng-annotate token create` for a root (SQLite) or `--store URL --project P`;
// resolves with the printed token.
export function createToken(where, role, name, extra = []) {
  const result = run(['token', 'create', ...where, '--role', role, '--name', name, ...extra]);
  if (result.status !== 0) throw new Error(`token create: ${result.status} ${result.stderr}`);
  const token = result.stdout.trim();
  if (!/^nga_[0-9a-f]{16}_[0-9a-f]{64}$/.test(token)) throw new Error(`not a token: ${token}`);
  return token;
}

// The token's id: what `token list` shows and `token revoke` takes.
export const tokenId = (token) => token.slice(4, 20);

export function revokeToken(where, idOrName) {
  const result = run(['token', 'revoke', ...where, idOrName]);
  if (result.status !== 0) throw new Error(`token revoke: ${result.status} ${result.stderr}`);
  return result;
}

// The SDK client on http://127.0.0.1:PORT/mcp with Authorization: Bearer;
// rejects as the SDK does when the server refuses. Closed after the test.
export async function connectAgent(t, port, token, name = 'team-agent') {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), {
    requestInit: { headers },
  });
  const client = new McpClient({ name, version: '1.0.0' });
  t.after(() => client.close().catch(() => {}));
  await withDeadline(client.connect(transport), 'the MCP initialize handshake');
  return { client, transport };
}

export const bearer = (token) => ({ Authorization: `Bearer ${token}` });
