// The post step trusts the state file only where it agrees with the step's own inputs: the user's
// script could write to that file (deprecated `::save-state`), and must not steer a deletion.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { post, type PostCore } from '../../src/post.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'post-trust-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function core(state: Record<string, string>): PostCore & { infos: string[] } {
  const infos: string[] = [];
  return { infos, getState: (n) => state[n] ?? '', saveState: () => {}, info: (m) => infos.push(m), warning: () => {} };
}

describe('post step and state it did not expect', () => {
  it('removes auth.json where the state and the inputs agree on codex-home', () => {
    const codexHome = path.join(tmp, 'codex');
    fs.mkdirSync(codexHome);
    fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    post(core({ codexHome, wroteAuthFile: path.join(codexHome, 'auth.json') }), { tempRoots: [], codexHome });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(false);
  });

  it('leaves an auth.json elsewhere alone when the state names another folder than the inputs', () => {
    const planted = path.join(tmp, 'someone-elses');
    fs.mkdirSync(planted);
    fs.writeFileSync(path.join(planted, 'auth.json'), '{"keep":true}');
    post(core({ codexHome: planted, wroteAuthFile: path.join(planted, 'auth.json') }), {
      tempRoots: [],
      codexHome: path.join(tmp, 'codex'),
    });
    expect(fs.readFileSync(path.join(planted, 'auth.json'), 'utf8')).toBe('{"keep":true}');
  });

  it('removes nothing when the inputs give no valid codex-home', () => {
    const codexHome = path.join(tmp, 'codex');
    fs.mkdirSync(codexHome);
    fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    post(core({ codexHome, wroteAuthFile: path.join(codexHome, 'auth.json') }), { tempRoots: [], codexHome: null });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(true);
  });
});
