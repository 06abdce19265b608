// The two things a newcomer and the repository's own workflow run, kept from rotting:
// `npm run demo` (scripts/demo.mjs) and the stand-in service the CI workflow starts (scripts/standin.mjs).
import { describe, expect, it, jest } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runningWith } from '../../test-support/processes.js';

// The demo runs the real codex several times.
jest.setTimeout(90_000);

describe('npm run demo', () => {
  it('shows a recovery and a clear failure, and exits 0', () => {
    const r = spawnSync(process.execPath, ['scripts/demo.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 80_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('✔ Case 1 recovered');
    expect(r.stdout).toContain('⚠ Warning annotation: codex-reauth recovered: Codex refresh token already used (refresh-token-reused)');
    expect(r.stdout).toContain('✖ Error annotation: codex-reauth: OpenAI API key rejected (api-key-invalid)');
    expect(r.stdout).toContain('✔ Case 2 failed clearly');
    expect(r.stdout).not.toContain('::add-mask::');
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
      for (let i = 0; i < 100 && !fs.existsSync(state); i++) await new Promise((r) => setTimeout(r, 50));
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
    expect(runningWith('scripts/standin.mjs')).toEqual([]);
  });
});
