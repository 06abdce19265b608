#!/usr/bin/env node
// `npm run demo`: the action end to end on this machine, with the real codex CLI against a loopback
// stand-in of the OpenAI API. No secrets, no network. It shows what a user sees on GitHub (the log,
// the annotations, the job summary), rendered for a terminal, in three cases:
//   1. a self-hosted runner whose cached ChatGPT login is dead, with an API key secret: recovers;
//   2. nothing that can work (an expired ChatGPT login and a revoked key): fails with one annotation;
//   3. a ChatGPT login kept alive across runs by writing it back to its secret (demo-keep-alive.mjs);
//   4. many jobs sharing one ChatGPT login through a keeper and an access-only copy (demo-many-jobs.mjs).
// Exits 0 when all behaved as expected.
import fs from 'node:fs';
import path from 'node:path';
import { startStandin } from '../test-support/openai-standin.js';
import { codexVersion, prepareCodexHome, REAL_CODEX, realCodexBin, realCodexEnv } from '../test-support/real-codex.js';
import { cleanup, DIST, runAction } from '../test-support/run-action.js';
import { keepAliveCase } from './demo-keep-alive.mjs';
import { manyJobsCase } from './demo-many-jobs.mjs';

// What codex itself prints here that is not a problem, said once so nobody goes looking. The stand-in
// serves the routes codex probes (models, MCP), so these are the only such lines left.
const NOISE_NOTE =
  'Expected from codex here, not problems: "could not create PATH aliases" (this demo\'s CODEX_HOME is under /tmp), ' +
  '"could not find bubblewrap" (not installed on this machine), and "ERROR codex_login… Failed to refresh token" (codex logging the dead login the demo planted).';

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint('1');
const dim = paint('2');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const cyan = paint('36');

const unescape = (s) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** Renders the step's stdout as the GitHub log viewer would, workflow commands included. */
function createLogRenderer() {
  let partial = '';
  return (text) => {
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop();
    for (const line of lines) {
      const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
      if (!m) {
        process.stdout.write(`  ${dim('│')} ${line}\n`);
        continue;
      }
      const [, command, props = '', message] = m;
      const title = /title=([^,]*)/.exec(props)?.[1];
      switch (command) {
        case 'group':
          process.stdout.write(`  ${cyan('▼')} ${bold(unescape(message))}\n`);
          break;
        case 'warning':
          process.stdout.write(
            `\n  ${yellow('⚠ Warning annotation:')} ${bold(unescape(title ?? ''))}\n    ${unescape(message).replace(/\n/g, '\n    ')}\n\n`,
          );
          break;
        case 'error':
          process.stdout.write(
            `\n  ${red('✖ Error annotation:')} ${bold(unescape(title ?? ''))}\n    ${unescape(message).replace(/\n/g, '\n    ')}\n\n`,
          );
          break;
        case 'add-mask':
          break; // the runner swallows these: secrets are masked from here on
        case 'debug':
        case 'endgroup':
          break;
        default:
          process.stdout.write(`  ${dim(`[${command}]`)} ${unescape(message)}\n`);
      }
    }
  };
}

/** The job summary (Markdown with a little HTML) as plain terminal text. */
function renderSummary(markdown) {
  const entities = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#124;': '|', '&#96;': '`' };
  return markdown
    .replace(/<details><summary>(.*?)<\/summary>/g, '$1:')
    .replace(/<\/?(pre|details)>/g, '')
    .replace(/&(lt|gt|amp|quot|#124|#96);/g, (e) => entities[e])
    .replace(/\*\*(.*?)\*\*/g, (_, t) => bold(t))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `  ${line}`)
    .join('\n');
}

function banner(text) {
  process.stdout.write(`\n${bold('━'.repeat(78))}\n${bold(text)}\n${bold('━'.repeat(78))}\n`);
}

if (!fs.existsSync(REAL_CODEX) || !fs.existsSync(DIST)) {
  console.error('Run `npm install` first: the demo needs the pinned codex CLI and the built dist/.');
  process.exit(2);
}

const standin = await startStandin({ reply: 'Fixed the failing test in src/math.ts.' });
const bin = realCodexBin();
const results = [];
try {
  process.stdout.write(
    `${bold('codex-reauth demo')}: the built action (dist/index.js), the real codex CLI ${codexVersion()}, and a stand-in of the OpenAI API on ${standin.url}.\n`,
  );
  process.stdout.write(dim('Nothing leaves this machine. The keys and tokens below are made up by the stand-in.\n'));
  process.stdout.write(dim(`${NOISE_NOTE}\n`));

  // ── 1 ─────────────────────────────────────────────────────────────────────────────────────────
  banner('1. A self-hosted runner with a dead cached ChatGPT login, and an API key secret');
  const stale = standin.chatgptAuth({ refresh: 'reused' });
  process.stdout.write(
    [
      'The runner still holds ~/.codex/auth.json from an earlier job. Its refresh token was already used',
      'elsewhere, so it can never refresh again. The workflow step:',
      '',
      cyan('    - uses: codex-reauth/codex-reauth@v1'),
      cyan('      with:'),
      cyan('        run: codex exec --skip-git-repo-check "fix the failing tests"'),
      cyan('        openai-api-key: ${{ secrets.OPENAI_API_KEY }}'),
      '',
      bold('The job log:'),
      '',
    ].join('\n'),
  );
  let codexHome1 = '';
  const first = await runAction({
    inputs: {
      run: 'codex exec --skip-git-repo-check "fix the failing tests"',
      'openai-api-key': standin.apiKey('accept'),
      'retry-wait-seconds': '0',
    },
    env: realCodexEnv(bin, standin),
    prepare: ({ home }) => {
      codexHome1 = prepareCodexHome(home, standin, stale);
    },
    onOutput: (() => {
      const render = createLogRenderer();
      return (text, stream) => (stream === 'stdout' ? render(text) : render(text));
    })(),
  });
  results.push(first);
  process.stdout.write(`\n${bold('Job summary:')}\n${renderSummary(first.main.summary)}\n`);
  process.stdout.write(`\n${bold('Step outputs:')} ${JSON.stringify(first.main.outputs)}\n`);
  const configKept = fs.existsSync(path.join(codexHome1, 'config.toml'));
  const credsGone = !fs.existsSync(path.join(codexHome1, 'auth.json'));
  process.stdout.write(
    `${bold('After the post step:')} the user's config.toml ${configKept ? 'is still there' : 'IS GONE'}; the credentials the action wrote ${credsGone ? 'were removed' : 'ARE STILL THERE'}.\n`,
  );
  const recovered = first.main.exitCode === 0 && first.main.outputs.recovered === 'true' && configKept && credsGone;

  // ── 2 ─────────────────────────────────────────────────────────────────────────────────────────
  banner('2. Nothing that can work: an expired ChatGPT login and a revoked API key');
  process.stdout.write(
    'Both secrets are dead. The action tries each once, then stops with one error annotation.\n\n' + bold('The job log:') + '\n\n',
  );
  const second = await runAction({
    inputs: {
      run: 'codex exec --skip-git-repo-check "fix the failing tests"',
      'codex-auth-json': JSON.stringify(standin.chatgptAuth({ refresh: 'expired' })),
      'openai-api-key': standin.apiKey('invalid_api_key'),
      'retry-wait-seconds': '0',
    },
    env: realCodexEnv(bin, standin),
    prepare: ({ home }) => prepareCodexHome(home, standin),
    onOutput: createLogRenderer(),
  });
  results.push(second);
  process.stdout.write(`\n${bold('Job summary:')}\n${renderSummary(second.main.summary)}\n`);
  process.stdout.write(`\n${bold('Step outputs:')} ${JSON.stringify(second.main.outputs)}\n`);
  const failedClearly =
    second.main.exitCode === 1 &&
    second.main.outputs['failure-kind'] === 'api-key-invalid' &&
    second.main.commands.filter((c) => c.command === 'error').length === 1;

  // ── 3 ─────────────────────────────────────────────────────────────────────────────────────────
  const third = await keepAliveCase(standin, bin, { banner, bold, dim, cyan, green, red, createLogRenderer });

  // ── 4 ─────────────────────────────────────────────────────────────────────────────────────────
  const fourth = await manyJobsCase(bin, { banner, bold, dim, cyan, green, red, createLogRenderer });

  banner('Result');
  process.stdout.write(
    `${recovered ? green('✔') : red('✘')} Case 1 ${recovered ? `recovered: the dead cached login was cleared, codex signed in with the API key, and attempt ${first.main.outputs.attempts} succeeded.` : 'did NOT recover as expected.'}\n`,
  );
  process.stdout.write(
    `${failedClearly ? green('✔') : red('✘')} Case 2 ${failedClearly ? `failed clearly: ${second.main.outputs.attempts} attempts, one error annotation (${second.main.outputs['failure-kind']}) saying what to fix.` : 'did NOT fail as expected.'}\n`,
  );
  process.stdout.write(`${third.ok ? green('✔') : red('✘')} Case 3 ${third.line}\n`);
  process.stdout.write(`${fourth.ok ? green('✔') : red('✘')} Case 4 ${fourth.line}\n`);
  process.exitCode = recovered && failedClearly && third.ok && fourth.ok ? 0 : 1;
} finally {
  for (const r of results) cleanup(r);
  fs.rmSync(bin, { recursive: true, force: true });
  await standin.close();
}
