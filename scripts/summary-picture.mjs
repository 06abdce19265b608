#!/usr/bin/env node
// `npm run picture:summary`: the job summary pictures in the README, made from real runs. The built
// action (dist/) runs the real codex CLI against the loopback OpenAI stand-in, twice: a run that a
// dead ChatGPT login would have failed and the API key saved (recovered), and a run in which both
// credentials are dead (failed). Each run's job summary is rendered as GitHub renders Markdown
// (micromark with GFM, the tests' renderer) in GitHub's Markdown style (github-markdown-css), and
// headless Chromium takes the picture. Needs Debian's `chromium` (`apt-get install chromium`) or
// CHROMIUM=/path/to/chrome. Writes docs/summary-recovered.png and docs/summary-failed.png.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startStandin } from '../test-support/openai-standin.js';
import { prepareCodexHome, REAL_CODEX, realCodexBin, realCodexEnv } from '../test-support/real-codex.js';
import { cleanup, DIST, ROOT, runAction } from '../test-support/run-action.js';
import { renderGfm } from '../test-support/render-gfm.js';

const WIDTH = 1012; // GitHub's job summary box on a 1280 px wide window
const OUT = path.join(ROOT, 'docs');

function findChromium() {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter(Boolean);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}

const chromiumFlags = (profile) => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--hide-scrollbars',
  '--force-device-scale-factor=1',
  '--no-first-run',
  '--disable-extensions',
  `--user-data-dir=${profile}`,
];

/** A page that shows `markdown` as GitHub shows a job summary. */
function page(markdown, title) {
  const require = createRequire(import.meta.url);
  const css = fs.readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>${css}
body { margin: 0; background: #fff; }
.box { box-sizing: border-box; width: ${WIDTH}px; padding: 24px 32px; border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px; }
.caption { font: 600 14px -apple-system, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif; color: #59636e; margin-bottom: 12px; }
</style></head><body><div class="box" id="box"><div class="caption">${title}</div><article class="markdown-body">${renderGfm(markdown)}</article></div>
<script>document.title = 'height=' + Math.ceil(document.getElementById('box').getBoundingClientRect().bottom + 16);</script>
</body></html>`;
}

/** Screenshot of `html`, as tall as its content. */
function screenshot(chromium, html, file) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-picture-'));
  try {
    const htmlFile = path.join(dir, 'page.html');
    fs.writeFileSync(htmlFile, html);
    const url = `file://${htmlFile}`;
    // First pass: the page measures itself and says its height in its title.
    const dom = execFileSync(chromium, [...chromiumFlags(path.join(dir, 'p1')), `--window-size=${WIDTH + 32},800`, '--dump-dom', url], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    });
    const height = Number(/<title>height=(\d+)<\/title>/.exec(dom)?.[1] ?? 900);
    execFileSync(chromium, [...chromiumFlags(path.join(dir, 'p2')), `--window-size=${WIDTH + 32},${height}`, `--screenshot=${file}`, url], {
      stdio: 'ignore',
      timeout: 60_000,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const chromium = findChromium();
if (!chromium) {
  console.error('No Chromium found: `apt-get install chromium`, or set CHROMIUM to a Chrome or Chromium binary.');
  process.exit(2);
}
if (!fs.existsSync(REAL_CODEX) || !fs.existsSync(DIST)) {
  console.error('Run `npm install` and `npm run bundle` first: the pictures come from the built action and the pinned codex CLI.');
  process.exit(2);
}

const RUN = 'codex exec --skip-git-repo-check "fix the failing tests"';
const standin = await startStandin({ reply: 'Fixed the failing test in src/math.ts.' });
const bin = realCodexBin();
const runs = [];
try {
  fs.mkdirSync(OUT, { recursive: true });
  const cases = [
    {
      file: 'summary-recovered.png',
      title: 'Job summary of a recovered run',
      inputs: {
        'codex-auth-json': JSON.stringify(standin.chatgptAuth({ refresh: 'reused', accessExpired: true })),
        'openai-api-key': standin.apiKey('accept'),
      },
      expect: 'none',
    },
    {
      file: 'summary-failed.png',
      title: 'Job summary of a failed run (both credentials dead)',
      inputs: {
        'codex-auth-json': JSON.stringify(standin.chatgptAuth({ refresh: 'expired', accessExpired: true })),
        'openai-api-key': standin.apiKey('invalid_api_key'),
      },
      expect: 'api-key-invalid',
    },
  ];
  for (const c of cases) {
    const run = await runAction({
      inputs: { run: RUN, 'retry-wait-seconds': '0', ...c.inputs },
      env: realCodexEnv(bin, standin),
      prepare: ({ home }) => prepareCodexHome(home, standin),
    });
    runs.push(run);
    const kind = run.main.outputs['failure-kind'];
    if (kind !== c.expect) throw new Error(`${c.file}: the run ended with ${kind}, not ${c.expect}:\n${run.main.stdout}`);
    const file = path.join(OUT, c.file);
    screenshot(chromium, page(run.main.summary, c.title), file);
    console.log(`${path.relative(ROOT, file)}: ${fs.statSync(file).size} bytes (failure-kind ${kind})`);
  }
} finally {
  for (const r of runs) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  await standin.close();
}
