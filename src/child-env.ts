/**
 * The environment of the user's script, codex and `codex login`: what a plain `run:` step would get,
 * plus what the action adds (CODEX_HOME, the shim on PATH). Pure: no I/O.
 *
 * An action's node process receives more than a `run:` step does: every input as `INPUT_*` (the API
 * key, the whole `codex-auth-json`, `run` with any secret expanded in it), the main step's `STATE_*`,
 * and the runner's internal credentials (`ACTIONS_RUNTIME_TOKEN`, the OIDC request token, cache and
 * results service URLs). Codex copies its environment to disk (shell snapshots under CODEX_HOME), and
 * an agent hands it to every command it starts, so none of that may reach a child.
 */

/** Runner variables that only actions receive and that a child has no business with. */
const ACTION_ONLY = new Set(
  [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_CACHE_SERVICE_V2',
    // The main step's state file: the script is no action, and must not plant state for the post step.
    'GITHUB_STATE',
  ].map((name) => name.toUpperCase()),
);

/**
 * Whether a variable is the action's own. Matched without regard to case: Windows environment names
 * are case-insensitive, so `Input_Openai-Api-Key` is the same variable there.
 */
export function isActionOnlyVariable(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.startsWith('INPUT_') || upper.startsWith('STATE_')) return true;
  if (ACTION_ONLY.has(upper)) return true;
  // The runner's other internal service variables (`ACTIONS_*_URL`, `ACTIONS_*_TOKEN`); the debug
  // switches (ACTIONS_STEP_DEBUG, ACTIONS_RUNNER_DEBUG) are no secret and scripts read them.
  return upper.startsWith('ACTIONS_') && (upper.endsWith('_TOKEN') || upper.endsWith('_URL'));
}

/** `env` without the action's own variables, with `extra` set on top. */
export function childEnvironment(env: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const child: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isActionOnlyVariable(name)) child[name] = value;
  }
  return { ...child, ...extra };
}
