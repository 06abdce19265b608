// The two things a newcomer and the repository's own workflow run, kept from rotting:
// `npm run demo` (scripts/demo.mjs) and the stand-in service the CI workflow starts (scripts/standin.mjs).
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin } from '../../test-support/openai-standin.js';
import { runningWith } from '../../test-support/processes.js';

// The demo runs the real codex several times.
jest.setTimeout(90_000);

describe('npm run demo', () => {
  // Run once, looked at twice.
  let r: SpawnSyncReturns<string>;
  beforeAll(() => {
    r = spawnSync(process.execPath, ['scripts/demo.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 80_000,
    });
  });

  it('shows a recovery and a clear failure, and exits 0', () => {
    // With what it printed on stderr, so that a failure (a step that hung, say) names itself.
    expect({ status: r.status, signal: r.signal, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.stdout).toContain('✔ Case 1 recovered');
    expect(r.stdout).toContain('⚠ Warning annotation: codex-reauth recovered: Codex refresh token already used (refresh-token-reused)');
    expect(r.stdout).toContain('✖ Error annotation: codex-reauth: 2 credentials rejected (refresh-token-expired, api-key-invalid)');
    expect(r.stdout).toContain('✔ Case 2 failed clearly');
    expect(r.stdout).not.toContain('::add-mask::');
  });

  it('is quiet: every warning codex prints is one the demo explains, and nothing 404s', () => {
    const note = r.stdout.split('\n').find((line) => line.startsWith('Expected from codex here, not problems:')) ?? '';
    expect(note).toContain('PATH aliases');
    expect(note).toContain('bubblewrap');
    // The log lines codex printed (the demo renders them after `│`).
    const codexLines = r.stdout
      .split('\n')
      .filter((line) => line.startsWith('  │ '))
      .map((line) => line.slice(4));
    const warnings = codexLines.filter((line) => /^(WARNING|warning):/.test(line));
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) expect(line).toMatch(/could not create PATH aliases|could not find bubblewrap/);
    // Tracing errors are only codex logging the dead login the demo planted.
    for (const line of codexLines.filter((l) => /^\d{4}-\d\d-\d\dT\S+\s+ERROR /.test(l))) {
      expect(line).toMatch(/ERROR codex_login::auth::manager: Failed to refresh token/);
    }
    expect(r.stdout).not.toMatch(/no route for|rmcp::|Model metadata for/);
  });
});

describe('the stand-in serves what codex probes', () => {
  it('answers MCP initialize and tools/list, and acknowledges notifications', async () => {
    const s = await startStandin();
    try {
      const post = (body: object) =>
        fetch(`${s.url}/backend-api/ps/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const init = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18' } });
      expect(init.status).toBe(200);
      expect(await init.json()).toMatchObject({
        jsonrpc: '2.0',
        id: 0,
        result: { protocolVersion: '2025-06-18', serverInfo: { name: 'openai-standin' } },
      });
      expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
      expect(await (await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' })).json()).toMatchObject({ id: 1, result: { tools: [] } });
    } finally {
      await s.close();
    }
  });
});

describe("scripts/standin.mjs (the CI workflow's stand-in)", () => {
  it('plants the scenario, reports where it listens, and stops when told', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-cli-'));
    const state = path.join(dir, 'state.json');
    const child = spawn(
      process.execPath,
      ['scripts/standin.mjs', '--codex-home', path.join(dir, 'codex'), '--state', state, '--max-seconds', '30'],
      {
        stdio: 'ignore',
      },
    );
    try {
      // Until the stand-in has written its state; room for a busy machine, then the read below fails.
      for (const until = Date.now() + 30_000; !fs.existsSync(state) && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
      const info = JSON.parse(fs.readFileSync(state, 'utf8'));
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.env.CODEX_REFRESH_TOKEN_URL_OVERRIDE).toBe(`${info.url}/oauth/token`);
      expect(fs.readFileSync(path.join(dir, 'codex', 'config.toml'), 'utf8')).toContain(`base_url = "${info.url}/v1"`);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'codex', 'auth.json'), 'utf8')).auth_mode).toBe('chatgpt');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.on('close', r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // This stand-in by its own folder: another suite on the machine may run a stand-in of its own.
    expect(runningWith(dir)).toEqual([]);
  });
});
