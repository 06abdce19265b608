// The docs match the code: one canonical repository name, a module table that lists every module,
// figures that match bench/results.md, `engines` that fits the dependencies and `runs.using`, npm
// scripts that exist, and no file pointing outside the repository. Each check is a function of text,
// so it is also shown failing on a bad example.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml } from 'js-yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const README = read('README.md');
const PACKAGE = JSON.parse(read('package.json'));

/** The repository's files as git sees them (tracked and new, not ignored): what a clone would hold. */
function repositoryFiles(): string[] {
  const r = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .filter((f) => fs.existsSync(path.join(ROOT, f)));
}

const TEXT_FILE = /\.(?:md|ya?ml|json|[cm]?[jt]s|sh|toml)$|(?:^|\/)run$/;
// Built and locked files repeat what their sources say; fixtures are captured output.
const GENERATED = /^(?:dist\/|package-lock\.json$|__fixtures__\/)/;

/** `owner/name` from package.json's repository URL. */
export function canonicalName(pkg: { repository?: { url?: string } | string }): string {
  const url = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
  const m = /github\.com[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url);
  if (!m) throw new Error(`package.json "repository" is not a GitHub URL: '${url}'`);
  return m[1];
}

/** Every `<owner>/codex-reauth` a user would copy (uses:, github:, github.com/) that is not `canonical`. */
export function wrongNames(text: string, canonical: string): string[] {
  const refs = [...text.matchAll(/(?:uses:\s*|github:|github\.com\/)([\w.-]+\/codex-reauth)\b/g)].map((m) => m[1]);
  return refs.filter((ref) => ref !== canonical);
}

/** Figures with a unit (`367 ms`, `6.56 s`, `17.9×`, `66%`, `507 MiB/s`). */
const FIGURE = /\d+(?:\.\d+)?\s?(?:ms|s|×|%|MiB\/s|MiB|GiB|MB)(?![\w/])/g;

/** Figures quoted in paragraphs that cite bench/results.md but missing from it. */
export function figuresNotInResults(markdown: string, results: string): string[] {
  const paragraphs = markdown.split(/\n\s*\n|\n(?=\s*(?:[-*]|\d+\.)\s)/);
  return paragraphs
    .filter((p) => p.includes('bench/results.md'))
    .flatMap((p) => [...p.matchAll(FIGURE)].map((m) => m[0]))
    .filter((figure) => !results.includes(figure));
}

/** The lowest Node.js major a semver range allows (`>=22`, `>= 20`, `^18.17`, `a || b`). */
export function minNodeMajor(range: string): number {
  return Math.min(
    ...range.split('||').map((alternative) => {
      const m = />=?\s*v?(\d+)/.exec(alternative) ?? /^\s*[\^~]?v?(\d+)/.exec(alternative);
      return m ? Number(m[1]) : 0;
    }),
  );
}

describe('one canonical repository name', () => {
  const canonical = canonicalName(PACKAGE);

  it('package.json names it in repository, homepage and bugs', () => {
    expect(canonical).toBe('codex-reauth/codex-reauth');
    expect(PACKAGE.homepage).toBe(`https://github.com/${canonical}#readme`);
    expect(PACKAGE.bugs.url).toBe(`https://github.com/${canonical}/issues`);
  });

  it('every file a user reads or copies uses it (no placeholder owner)', () => {
    const wrong = repositoryFiles()
      .filter((f) => TEXT_FILE.test(f) && !GENERATED.test(f))
      .flatMap((f) => wrongNames(read(f), canonical).map((ref) => `${f}: ${ref}`));
    expect(wrong).toEqual([]);
    expect(wrongNames(README, canonical)).toEqual([]);
    expect(README).toContain(`uses: ${canonical}@v1`);
    expect(README).toContain(`npx --yes github:${canonical} `);
  });

  it('the check finds a placeholder owner', () => {
    const placeholder = ['oc', 'to'].join('');
    expect(wrongNames(`- uses: ${placeholder}/codex-reauth@v1\nnpx github:${placeholder}/codex-reauth classify`, canonical)).toEqual([
      `${placeholder}/codex-reauth`,
      `${placeholder}/codex-reauth`,
    ]);
  });

  it('action.yml names the same owner as its author', () => {
    const action = loadYaml(read('action.yml')) as { author: string };
    expect(action.author).toBe(canonical.split('/')[0]);
  });
});

describe('README matches the code', () => {
  it('the module table lists every module in src/, and only those', () => {
    const start = README.indexOf('One module, one job');
    expect(start).toBeGreaterThan(0);
    const table = README.slice(start).split('\n\n')[1] ?? '';
    const listed = [...table.matchAll(/^\|\s*([^|]+)\|/gm)].flatMap((row) => [...row[1].matchAll(/src\/[\w-]+\.ts/g)].map((m) => m[0]));
    const modules = fs
      .readdirSync(path.join(ROOT, 'src'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `src/${f}`);
    expect([...new Set(listed)].sort()).toEqual(modules.sort());
  });

  it('every figure quoted beside bench/results.md is in bench/results.md', () => {
    expect(README).toContain('bench/results.md');
    expect(figuresNotInResults(README, read('bench/results.md'))).toEqual([]);
  });

  it('the figure check finds a stale figure', () => {
    const results = '| Revoked key | 367 ms vs 6.56 s | speed-up 17.9× |';
    expect(figuresNotInResults('Bare codex took 6.56 s, the action 367 ms (`bench/results.md`).', results)).toEqual([]);
    expect(figuresNotInResults('Bare codex took 6.5 s, the action 400 ms (`bench/results.md`).', results)).toEqual(['6.5 s', '400 ms']);
    expect(figuresNotInResults('Unrelated: 12 ms.', results)).toEqual([]);
  });

  it('every `npm run X` in the docs, CI and workflows is a script in package.json', () => {
    const files = ['README.md', '.ci/run', ...fs.readdirSync(path.join(ROOT, '.github', 'workflows')).map((f) => `.github/workflows/${f}`)];
    const missing = files.flatMap((f) =>
      [...read(f).matchAll(/npm run ([\w:-]+)/g)]
        .map((m) => m[1])
        .filter((script) => !(script in PACKAGE.scripts))
        .map((s) => `${f}: ${s}`),
    );
    expect(missing).toEqual([]);
    expect(PACKAGE.scripts.build).toBeUndefined(); // it only type-checked: `typecheck` says so
    expect(PACKAGE.scripts.typecheck).toBe('tsc --noEmit');
  });
});

describe('engines', () => {
  const engines: string = PACKAGE.engines.node;
  const action = loadYaml(read('action.yml')) as { runs: { using: string } };

  it('runs.using runs a Node.js that engines allows', () => {
    const using = /^node(\d+)$/.exec(action.runs.using);
    expect(using).not.toBeNull();
    expect(Number(using![1])).toBeGreaterThanOrEqual(minNodeMajor(engines));
  });

  it('engines asks for at least what every runtime dependency requires', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean; engines?: { node?: string } }> };
    const tooNew = Object.entries(lock.packages)
      .filter(([name, p]) => name !== '' && !p.dev && p.engines?.node)
      .filter(([, p]) => minNodeMajor(p.engines!.node!) > minNodeMajor(engines))
      .map(([name, p]) => `${name} needs ${p.engines!.node}`);
    expect(tooNew).toEqual([]);
  });

  it('minNodeMajor reads the ranges found in lock files', () => {
    expect(minNodeMajor('>=22')).toBe(22);
    expect(minNodeMajor('>= 20')).toBe(20);
    expect(minNodeMajor('^18.17.0')).toBe(18);
    expect(minNodeMajor('>=0.6.11 <=0.7.0 || >=0.7.3')).toBe(0);
  });
});

describe('no file points outside the repository', () => {
  it('relative links and ../ paths in Markdown resolve to files in the repository', () => {
    const broken: string[] = [];
    for (const file of repositoryFiles().filter((f) => f.endsWith('.md') && !f.startsWith('node_modules/'))) {
      const text = read(file);
      const targets = [
        ...[...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^(?:[a-z]+:|#)/i.test(t)),
        ...[...text.matchAll(/(?:^|[\s`(])((?:\.\.\/)+[\w./-]+)/g)].map((m) => m[1]),
      ];
      for (const target of targets) {
        const resolved = path.resolve(ROOT, path.dirname(file), target.split('#')[0]);
        const inside = resolved === ROOT || resolved.startsWith(ROOT + path.sep);
        if (!inside || !fs.existsSync(resolved)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
