// The post step removes what the main step wrote, and only that: the auth.json it wrote, and its own
// work folder directly in a temp root. Any other path in the state (a runner re-used by another job,
// state planted by a script) is left alone.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { post, POST_FIX, type PostCore, run } from '../../src/post.js';

let tmp: string;
let runnerTemp: string;
let codexHome: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'post-'));
  runnerTemp = path.join(tmp, 'rt');
  codexHome = path.join(tmp, 'home', '.codex');
  fs.mkdirSync(runnerTemp, { recursive: true });
  fs.mkdirSync(codexHome, { recursive: true });
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeCore(state: Record<string, string>) {
  const warnings: Array<{ message: string; title?: string }> = [];
  const infos: string[] = [];
  const core: PostCore = {
    getState: (name) => state[name] ?? '',
    saveState: () => undefined,
    info: (message) => infos.push(message),
    warning: (message, properties) => warnings.push({ message, title: properties?.title }),
  };
  return { core, warnings, infos };
}

/** A folder with a file in it, as the main step leaves its work folder (script, shim). */
function folder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'run-1234.sh'), 'codex exec "x"\n');
  return dir;
}

describe('post: the credentials', () => {
  it('removes the auth.json main wrote, says so, and keeps the rest of codex-home', () => {
    const authFile = path.join(codexHome, 'auth.json');
    fs.writeFileSync(authFile, '{}');
    fs.writeFileSync(path.join(codexHome, 'config.toml'), 'x');
    const { core, warnings, infos } = fakeCore({ wroteAuthFile: authFile, codexHome });
    post(core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(authFile)).toBe(false);
    expect(fs.readFileSync(path.join(codexHome, 'config.toml'), 'utf8')).toBe('x');
    expect(infos).toEqual([`Removed the credentials codex-reauth wrote: ${authFile}`]);
    expect(warnings).toEqual([]);
  });

  it('leaves credentials it did not write (no wroteAuthFile state)', () => {
    fs.writeFileSync(path.join(codexHome, 'auth.json'), '{}');
    const { core, infos } = fakeCore({ codexHome });
    post(core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(true);
    expect(infos).toEqual([]);
  });

  it('says nothing when the file it wrote is already gone', () => {
    const { core, infos, warnings } = fakeCore({ wroteAuthFile: path.join(codexHome, 'auth.json'), codexHome });
    post(core, { tempRoots: [runnerTemp] });
    expect(infos).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a file other than auth.json in codex-home', (home: string) => path.join(home, 'config.toml')],
    ['an auth.json in another folder', () => path.join(tmp, 'victim', 'auth.json')],
  ])('refuses a wroteAuthFile that is %s', (_label, wrote) => {
    const victim = path.join(tmp, 'victim');
    fs.mkdirSync(victim);
    for (const dir of [codexHome, victim]) {
      fs.writeFileSync(path.join(dir, 'auth.json'), 'keep');
      fs.writeFileSync(path.join(dir, 'config.toml'), 'keep');
    }
    post(fakeCore({ wroteAuthFile: wrote(codexHome), codexHome }).core, { tempRoots: [runnerTemp] });
    for (const dir of [codexHome, victim]) {
      expect(fs.readFileSync(path.join(dir, 'auth.json'), 'utf8')).toBe('keep');
      expect(fs.readFileSync(path.join(dir, 'config.toml'), 'utf8')).toBe('keep');
    }
  });

  it('needs the codex-home state too: a wroteAuthFile alone removes nothing', () => {
    fs.writeFileSync(path.join(codexHome, 'auth.json'), 'keep');
    post(fakeCore({ wroteAuthFile: path.join(codexHome, 'auth.json') }).core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(path.join(codexHome, 'auth.json'))).toBe(true);
  });
});

describe('post: the work folder', () => {
  it("removes main's codex-reauth-* folder directly in RUNNER_TEMP, and nothing beside it", () => {
    const workDir = folder(path.join(runnerTemp, 'codex-reauth-abc123'));
    fs.writeFileSync(path.join(runnerTemp, 'other-step-file'), 'x');
    const { core, warnings } = fakeCore({ workDir });
    post(core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(workDir)).toBe(false);
    expect(fs.readdirSync(runnerTemp)).toEqual(['other-step-file']);
    expect(warnings).toEqual([]);
  });

  it('removes it from the second temp root too (RUNNER_TEMP unset: the system temp folder)', () => {
    const systemTemp = path.join(tmp, 'systemp');
    const workDir = folder(path.join(systemTemp, 'codex-reauth-xyz'));
    post(fakeCore({ workDir }).core, { tempRoots: [runnerTemp, systemTemp] });
    expect(fs.existsSync(workDir)).toBe(false);
  });

  it.each([
    ['without the codex-reauth- prefix', (rt: string) => path.join(rt, 'my-build-output')],
    ['named like ours but one level deeper', (rt: string) => path.join(rt, 'project', 'codex-reauth-abc')],
    ['named like ours but outside every temp root', () => path.join(tmp, 'codex-reauth-abc')],
    ['a temp root itself', (rt: string) => rt],
    ['with the prefix only in a parent folder', (rt: string) => path.join(rt, 'codex-reauth-abc', 'inner')],
  ])('leaves a folder %s', (_label, where) => {
    const dir = folder(where(runnerTemp));
    post(fakeCore({ workDir: dir }).core, { tempRoots: [runnerTemp] });
    expect(fs.existsSync(path.join(dir, 'run-1234.sh'))).toBe(true);
  });
});

describe('post: failures', () => {
  it('turns a failure into a warning with its cause, never an exception', () => {
    const warnings: Array<{ message: string; title?: string }> = [];
    const core: PostCore = {
      getState: () => {
        throw new Error('state unreadable');
      },
      saveState: () => undefined,
      info: () => undefined,
      warning: (message, properties) => warnings.push({ message, title: properties?.title }),
    };
    expect(() => post(core, { tempRoots: [runnerTemp] })).not.toThrow();
    expect(warnings).toEqual([
      { message: `Cleaning up failed: state unreadable${POST_FIX}`, title: 'codex-reauth post step: cleaning up failed' },
    ]);
  });

  it('names a thrown non-Error too', () => {
    const warnings: string[] = [];
    const core: PostCore = {
      getState: () => {
        throw 'disk on fire';
      },
      saveState: () => undefined,
      info: () => undefined,
      warning: (message) => warnings.push(message),
    };
    post(core, { tempRoots: [runnerTemp] });
    expect(warnings).toEqual([`Cleaning up failed: disk on fire${POST_FIX}`]);
  });
});

describe('post: run() on a runner', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('reads the state GitHub passes as STATE_* and cleans RUNNER_TEMP', async () => {
    const workDir = folder(path.join(runnerTemp, 'codex-reauth-run1'));
    const authFile = path.join(codexHome, 'auth.json');
    fs.writeFileSync(authFile, '{}');
    process.env.RUNNER_TEMP = runnerTemp;
    process.env.STATE_workDir = workDir;
    process.env.STATE_codexHome = codexHome;
    process.env.STATE_wroteAuthFile = authFile;
    // The runner gives post the step's inputs too: post checks the state against them.
    process.env['INPUT_CODEX-HOME'] = codexHome;
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await run();
    } finally {
      process.stdout.write = write;
    }
    expect(fs.existsSync(workDir)).toBe(false);
    expect(fs.existsSync(authFile)).toBe(false);
  });

  it('without RUNNER_TEMP, cleans its folder in the system temp folder', async () => {
    const workDir = folder(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-reauth-')));
    delete process.env.RUNNER_TEMP;
    process.env.STATE_workDir = workDir;
    await run();
    expect(fs.existsSync(workDir)).toBe(false);
  });
});
