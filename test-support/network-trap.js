// A loopback trap for requests that would leave the machine. End-to-end tests give the real codex
// HTTPS_PROXY / HTTP_PROXY / ALL_PROXY pointing here and NO_PROXY for loopback: requests to the stand-in
// go straight to it, and anything bound elsewhere (a deleted base_url sending codex to api.openai.com,
// an update check, telemetry) arrives here instead. The trap records where it was going and refuses it
// (403, connection closed), so nothing leaves loopback, and it calls `onHit` at once so a test can stop
// the run and fail in seconds instead of waiting out codex's retries.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { runningWith } from './processes.js';

/** Set in every environment the trap hands out, so it can find the processes of a run (Linux /proc). */
export const TRAP_MARKER_VAR = 'CODEX_REAUTH_TEST_NETWORK_TRAP';

/**
 * Starts the trap on a free loopback port. With `stopRuns`, a hit also SIGKILLs every process whose
 * environment came from this trap's env() (the action, its shell, codex): the run then ends within
 * seconds, and the test fails on `hits`, naming the host, instead of timing out.
 * @param {{ stopRuns?: boolean, onHit?: (hit: { method: string, target: string }) => void }} [options]
 */
export async function startNetworkTrap(options = {}) {
  const hits = [];
  const marker = `${TRAP_MARKER_VAR}=${randomBytes(8).toString('hex')}`;
  const record = (method, target) => {
    const hit = { method, target };
    hits.push(hit);
    options.onHit?.(hit);
    if (options.stopRuns) {
      for (const pid of runningWith(marker)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  const server = http.createServer((req, res) => {
    req.socket.on('error', () => undefined);
    // A plain-HTTP request through a proxy names the absolute URL.
    record(req.method ?? '?', req.url ?? '?');
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('codex-reauth test network trap: this request would have left loopback\n');
  });
  // HTTPS through a proxy starts with CONNECT host:port; refuse the tunnel.
  server.on('connect', (req, socket) => {
    // The client may be killed mid-answer (stopRuns): a reset is expected, not a test failure.
    socket.on('error', () => undefined);
    record('CONNECT', req.url ?? '?');
    socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    hits,
    /** Proxy variables (both spellings: tools differ in which they read) that route non-loopback traffic here. */
    env() {
      const noProxy = '127.0.0.1,localhost,::1';
      return {
        [TRAP_MARKER_VAR]: marker.slice(TRAP_MARKER_VAR.length + 1),
        HTTPS_PROXY: url,
        https_proxy: url,
        HTTP_PROXY: url,
        http_proxy: url,
        ALL_PROXY: url,
        all_proxy: url,
        NO_PROXY: noProxy,
        no_proxy: noProxy,
      };
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
