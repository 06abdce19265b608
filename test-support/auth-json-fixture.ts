// The ChatGPT login the codex-auth-json tests parse, and the error a value gets. Every secret-looking
// part contains SECRET, so a test can check that no error ever repeats it.
import { parseAuthJson } from '../src/auth-json.js';
import { InputError } from '../src/input-error.js';

export const AUTH = {
  auth_mode: 'chatgpt',
  OPENAI_API_KEY: null,
  tokens: {
    id_token: 'eyJhbGciOiJub25lIn0.eyJTECRETIN.SECRETsig',
    access_token: 'eyJhbGciOiJub25lIn0.eyJTECRETAC.SECRETsig',
    refresh_token: 'rt-SECRET-refresh-0001',
    account_id: 'acct-1',
  },
  last_refresh: '2026-11-24T09:50:49Z',
};
export const RAW = JSON.stringify(AUTH, null, 2);
export const b64 = (text: string | Buffer): string => Buffer.from(text).toString('base64');

/** The message parseAuthJson rejects `value` with; fails the test if it is accepted or not an InputError for the input. */
export function problemOf(value: string): string {
  try {
    parseAuthJson(value);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    if (error.input !== 'codex-auth-json') throw new Error(`the error names input '${error.input}'`);
    return error.message;
  }
  throw new Error('parseAuthJson accepted the value');
}
