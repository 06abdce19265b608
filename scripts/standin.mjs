#!/usr/bin/env node
// Starts the loopback OpenAI stand-in as a background service for a workflow (see
// .github/workflows/ci.yml) and sets up a scenario for the action to meet:
//   node scripts/standin.mjs --codex-home DIR --state FILE [--scenario stale-cache|revoked-key] [--max-seconds N]
// It writes DIR/config.toml (codex pointed at the stand-in), plants what the scenario needs, writes
// {"url", "apiKey", "env"} to FILE once it listens, and stops by itself after --max-seconds (600).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStandin } from '../test-support/openai-standin.js';

const { values } = parseArgs({
  options: {
    'codex-home': { type: 'string' },
    state: { type: 'string' },
    scenario: { type: 'string', default: 'stale-cache' },
    'max-seconds': { type: 'string', default: '600' },
  },
});
if (!values['codex-home'] || !values.state) {
  console.error('usage: node scripts/standin.mjs --codex-home DIR --state FILE [--scenario stale-cache|revoked-key] [--max-seconds N]');
  process.exit(2);
}

const standin = await startStandin({ reply: 'codex-reauth CI: hello from the stand-in' });
const codexHome = path.resolve(values['codex-home']);
fs.mkdirSync(codexHome, { recursive: true });
fs.writeFileSync(path.join(codexHome, 'config.toml'), standin.configToml());
let apiKey;
if (values.scenario === 'revoked-key') {
  apiKey = standin.apiKey('invalid_api_key');
} else {
  // A self-hosted runner's leftover: a ChatGPT login whose refresh token was already used.
  fs.writeFileSync(path.join(codexHome, 'auth.json'), JSON.stringify(standin.chatgptAuth({ refresh: 'reused' })), { mode: 0o600 });
  apiKey = standin.apiKey('accept');
}
fs.writeFileSync(values.state, JSON.stringify({ url: standin.url, apiKey, env: standin.env() }));
console.log(`stand-in listening on ${standin.url} (scenario ${values.scenario})`);

const stop = async () => {
  await standin.close();
  process.exit(0);
};
setTimeout(stop, Number(values['max-seconds']) * 1000).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Keep running until told to stop or the time is up.
setInterval(() => {}, 60_000);
