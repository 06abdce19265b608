// The fourth case of `npm run demo`: many jobs, one ChatGPT login. A keeper run a day refreshes the
// full login through codex and writes an access-only copy (same access token, no refresh token); five
// jobs run at once on the copy, every day for three days, and none dies: the copy has nothing codex
// could refresh, so nothing is spent. Then the same five jobs share the full login itself, its access
// token expired: the first refresh wins and the other four die with refresh-token-reused.
import { startGithubSecretsStandin } from '../test-support/github-secrets-standin.js';
import { mintJwt, startStandin } from '../test-support/openai-standin.js';
import { prepareCodexHome, realCodexEnv } from '../test-support/real-codex.js';
import { cleanup, runAction } from '../test-support/run-action.js';

const FULL = 'CODEX_AUTH_JSON';
const COPY = 'CODEX_AUTH_ACCESS';
const ENV = 'codex-login';
const RUN = 'codex exec --skip-git-repo-check "fix the failing tests"';
const DAY = 24 * 3600;
const JOBS = 5;

/** Days pass: the stored full login's access token now expires within the keeper's 5 days. */
function makeDue(gh) {
  const auth = JSON.parse(gh.secret(FULL, ENV));
  auth.tokens.access_token = mintJwt({
    exp: Math.floor(Date.now() / 1000) + 2 * DAY,
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct-standin' },
  });
  gh.setSecret(FULL, JSON.stringify(auth, null, 2), ENV);
}

/**
 * Runs the case and prints it. `ui` is the demo's rendering kit: { banner, bold, dim, cyan, green,
 * red, createLogRenderer }. Returns { ok, line } for the demo's result list.
 */
export async function manyJobsCase(bin, ui) {
  const { banner, bold, dim, cyan, green, red, createLogRenderer } = ui;
  // Access tokens that live 10 days, as ChatGPT's are reported to.
  const standin = await startStandin({ reply: 'Fixed the failing test in src/math.ts.', accessLifetimeSeconds: 10 * DAY });
  const gh = await startGithubSecretsStandin({ repository: 'octo/app', environments: [ENV] });
  const runs = [];
  const tokenRequests = () => standin.requests.filter((r) => r.url.endsWith('/oauth/token')).length;
  try {
    banner('4. Many jobs, one ChatGPT login: a keeper and an access-only copy');
    process.stdout.write(
      [
        'A scheduled keeper holds the full login (an environment secret only it reads), refreshes it when due,',
        'saves it back, and writes an access-only copy to CODEX_AUTH_ACCESS. Every other job uses the copy:',
        '',
        cyan('    # the keeper, once a day'),
        cyan('    - uses: codex-reauth/codex-reauth@v1'),
        cyan('      with:'),
        cyan('        codex-auth-json: ${{ secrets.CODEX_AUTH_JSON }}'),
        cyan('        auth-json-secret: CODEX_AUTH_JSON'),
        cyan('        auth-json-secret-environment: codex-login'),
        cyan('        access-only-secret: CODEX_AUTH_ACCESS'),
        cyan('        secrets-token: ${{ steps.secrets-writer.outputs.token }}'),
        cyan('    # five jobs at once (a matrix)'),
        cyan('    - uses: codex-reauth/codex-reauth@v1'),
        cyan('      with:'),
        cyan(`        run: ${RUN}`),
        cyan('        codex-auth-json: ${{ secrets.CODEX_AUTH_ACCESS }}'),
        '',
        dim(`GitHub's secrets API is a stand-in on ${gh.url}; the OpenAI stand-in mints access tokens that live 10 days.`),
        '',
      ].join('\n'),
    );
    const job = async (copy) => {
      const r = await runAction({
        inputs: { run: RUN, 'codex-auth-json': copy, 'retry-wait-seconds': '0' },
        env: realCodexEnv(bin, standin),
        prepare: ({ home }) => prepareCodexHome(home, standin),
      });
      runs.push(r);
      return r;
    };

    gh.setSecret(FULL, JSON.stringify(standin.chatgptAuth({ accessExpiresIn: 2 * DAY }), null, 2), ENV);
    const token = gh.token({ secrets: 'write', environments: 'write' });
    let nobodyDied = true;
    for (let day = 1; day <= 3; day++) {
      if (day > 1) makeDue(gh);
      if (day === 1) process.stdout.write(`${bold('Day 1, the keeper')} (its log):\n\n`);
      const keeper = await runAction({
        inputs: {
          'codex-auth-json': gh.secret(FULL, ENV),
          'auth-json-secret': FULL,
          'auth-json-secret-environment': ENV,
          'access-only-secret': COPY,
          'secrets-token': token,
        },
        env: { ...realCodexEnv(bin, standin), ...gh.env() },
        prepare: ({ home }) => prepareCodexHome(home, standin),
        onOutput: day === 1 ? createLogRenderer() : undefined,
      });
      runs.push(keeper);
      const refreshes = tokenRequests();
      const writes = gh.writes.length;
      const results = await Promise.all(Array.from({ length: JOBS }, () => job(gh.secret(COPY))));
      const ok = results.filter((r) => r.main.exitCode === 0).length;
      const dayOk = keeper.main.exitCode === 0 && ok === JOBS && tokenRequests() === refreshes && gh.writes.length === writes;
      nobodyDied &&= dayOk;
      process.stdout.write(
        `  ${dayOk ? green('✔') : red('✘')} day ${day}: keeper ${keeper.main.outputs['failure-kind']} (refreshed: ${keeper.main.outputs['auth-json-secret-updated']}, copy valid until ${keeper.main.outputs['access-token-expires-at']}); ` +
          `${ok} of ${JOBS} jobs succeeded, ${tokenRequests() - refreshes} refresh requests and ${gh.writes.length - writes} secret writes by them\n`,
      );
    }

    process.stdout.write(`\n${bold('The same five jobs sharing the full login')} (its access token expired, no keeper):\n\n`);
    const shared = JSON.stringify(standin.chatgptAuth({ accessExpired: true }));
    const sharing = await Promise.all(Array.from({ length: JOBS }, () => job(shared)));
    const kinds = sharing.map((r) => r.main.outputs['failure-kind']);
    for (const [i, kind] of kinds.entries()) process.stdout.write(`  ${kind === 'none' ? green('✔') : red('✘')} job ${i + 1}: ${kind}\n`);
    const died = kinds.filter((k) => k === 'refresh-token-reused').length;
    const fourDied = died === JOBS - 1 && kinds.filter((k) => k === 'none').length === 1;

    const ok = nobodyDied && fourDied;
    const line = ok
      ? `shared one login: 3 days, a keeper a day and ${JOBS} jobs at once on the copy, none died, 0 refresh requests by them; sharing the full login instead, ${died} of ${JOBS} died.`
      : 'did NOT share the login as expected.';
    return { ok, line };
  } finally {
    for (const r of runs) cleanup(r);
    await gh.close();
    await standin.close();
  }
}
