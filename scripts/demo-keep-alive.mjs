// The third case of `npm run demo`: a ChatGPT login kept alive across runs. Three workflow runs share
// one secret; between runs the stored login's access token expires (standing in for the days that
// pass), so codex refreshes and rotates the single-use refresh token every time. With write-back
// (`auth-json-secret` + `secrets-token`) each run saves the rotated login to a loopback stand-in of
// GitHub's secrets API and all three succeed; the same chain without write-back dies on its 2nd run.
import { createHash } from 'node:crypto';
import { startGithubSecretsStandin } from '../test-support/github-secrets-standin.js';
import { mintJwt } from '../test-support/openai-standin.js';
import { prepareCodexHome, realCodexEnv } from '../test-support/real-codex.js';
import { cleanup, runAction } from '../test-support/run-action.js';

const NAME = 'CODEX_AUTH_JSON';
const RUN = 'codex exec --skip-git-repo-check "fix the failing tests"';

/** A short fingerprint of a login's refresh token: enough to tell logins apart, nothing to steal. */
const fingerprint = (value) => `login ${createHash('sha256').update(JSON.parse(value).tokens.refresh_token).digest('hex').slice(0, 8)}`;

/** Days pass: the stored login's access token expires, so the next codex run must refresh. */
function expireAccessToken(gh) {
  const auth = JSON.parse(gh.secret(NAME));
  auth.tokens.access_token = mintJwt({
    exp: Math.floor(Date.now() / 1000) - 3600,
    'https://api.openai.com/auth': { chatgpt_account_id: 'acct-standin' },
  });
  gh.setSecret(NAME, JSON.stringify(auth, null, 2));
}

/**
 * Runs the case and prints it. `ui` is the demo's rendering kit: { banner, bold, dim, cyan, green,
 * red, createLogRenderer }. Returns { ok, line } for the demo's result list.
 */
export async function keepAliveCase(standin, bin, ui) {
  const { banner, bold, dim, cyan, green, red, createLogRenderer } = ui;
  const gh = await startGithubSecretsStandin({ repository: 'octo/app' });
  const runs = [];
  try {
    banner('3. A ChatGPT login kept alive across runs (write-back to the secret)');
    process.stdout.write(
      [
        'Refresh tokens are single use: codex spends the stored one and gets a new one on every refresh. With',
        'auth-json-secret, the action saves the new login to the secret it came from. The workflow step:',
        '',
        cyan('    concurrency: { group: codex-login-CODEX_AUTH_JSON, cancel-in-progress: false }'),
        cyan('    - uses: codex-reauth/codex-reauth@v1'),
        cyan('      with:'),
        cyan(`        run: ${RUN}`),
        cyan('        codex-auth-json: ${{ secrets.CODEX_AUTH_JSON }}'),
        cyan('        auth-json-secret: CODEX_AUTH_JSON'),
        cyan('        secrets-token: ${{ steps.secrets-writer.outputs.token }}'),
        '',
        dim(`GitHub's secrets API is a stand-in on ${gh.url} with a real libsodium keypair; logins are shown as fingerprints.`),
        '',
      ].join('\n'),
    );

    /** One run of the chain; the log is shown for the first one only. */
    const workflowRun = async (writeback, showLog) => {
      const given = gh.secret(NAME);
      const r = await runAction({
        inputs: {
          run: RUN,
          'retry-wait-seconds': '0',
          'codex-auth-json': given,
          ...(writeback ? { 'auth-json-secret': NAME, 'secrets-token': token } : {}),
        },
        env: { ...realCodexEnv(bin, standin), ...gh.env() },
        prepare: ({ home }) => prepareCodexHome(home, standin),
        onOutput: showLog ? createLogRenderer() : undefined,
      });
      runs.push(r);
      return { r, given };
    };

    const token = gh.token({ secrets: 'write' });
    gh.setSecret(NAME, JSON.stringify(standin.chatgptAuth({ refresh: 'rotate', accessExpired: true }), null, 2));
    let kept = true;
    process.stdout.write(`${bold('With write-back')}, three runs in a row (the log of run 1):\n\n`);
    for (let run = 1; run <= 3; run++) {
      if (run > 1) expireAccessToken(gh);
      const { r, given } = await workflowRun(true, run === 1);
      const after = gh.secret(NAME);
      const ok = r.main.exitCode === 0 && r.main.outputs['auth-json-secret-updated'] === 'true' && after !== given;
      kept &&= ok;
      process.stdout.write(
        `  ${ok ? green('✔') : red('✘')} run ${run}: ${r.main.outputs['failure-kind']}, secret updated: ${r.main.outputs['auth-json-secret-updated']} (${fingerprint(given)} → ${fingerprint(after)})\n`,
      );
    }

    process.stdout.write(`\n${bold('Without write-back')}, the same chain from a fresh login:\n\n`);
    gh.setSecret(NAME, JSON.stringify(standin.chatgptAuth({ refresh: 'rotate', accessExpired: true }), null, 2));
    const first = await workflowRun(false, false);
    expireAccessToken(gh);
    const second = await workflowRun(false, false);
    for (const [run, { r }] of [first, second].entries()) {
      process.stdout.write(`  ${r.main.exitCode === 0 ? green('✔') : red('✘')} run ${run + 1}: ${r.main.outputs['failure-kind']}\n`);
    }
    const diedWithout = first.r.main.exitCode === 0 && second.r.main.outputs['failure-kind'] === 'refresh-token-reused';

    const ok = kept && diedWithout;
    const line = ok
      ? 'kept the login alive: 3 runs, 3 rotations, each saved to the secret; without write-back run 2 died with refresh-token-reused.'
      : 'did NOT keep the login alive as expected.';
    return { ok, line };
  } finally {
    for (const r of runs) cleanup(r);
    await gh.close();
  }
}
