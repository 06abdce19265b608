export type Behaviour =
  | 'accept'
  | 'invalid_api_key'
  | 'unauthorized'
  | 'missing_scopes'
  | 'insufficient_quota'
  | 'usage_limit'
  | 'rate_limit'
  | 'server_error'
  | 'hang';
export interface ChatgptAuth {
  auth_mode: 'chatgpt';
  OPENAI_API_KEY: null;
  tokens: { id_token: string; access_token: string; refresh_token: string; account_id: string };
  last_refresh: string;
}
export interface StandinRequest {
  method: string;
  url: string;
  authorization: string | null;
  /** The `ChatGPT-Account-Id` header (codex sends it with a workspace access token). */
  accountId: string | null;
}
export interface Standin {
  url: string;
  port: number;
  requests: StandinRequest[];
  apiKey(behaviour?: Behaviour): string;
  /**
   * A workspace access token (`at-…`). whoami `revoked`: 401 from the token check (and from the model
   * endpoint); `model`: what the model endpoint does with it when whoami accepts it; `plan`: the plan
   * whoami reports (default `team`, for which codex loads no cloud config bundle).
   */
  accessToken(options?: { whoami?: 'accept' | 'revoked'; model?: Behaviour; plan?: string }): string;
  /** An admin revokes `token`: whoami and the model endpoint refuse it from now on. */
  revokeAccessToken(token: string): void;
  /** The token checks (`GET …/v1/user-auth-credential/whoami`) received so far. */
  whoamiRequests(): StandinRequest[];
  /** The model requests (`POST …/responses`) received so far. */
  modelRequests(): StandinRequest[];
  chatgptAuth(options?: {
    refresh?: 'rotate' | 'expired' | 'reused' | 'invalidated';
    access?: Behaviour;
    accessExpired?: boolean;
    accessExpiresIn?: number;
  }): ChatgptAuth;
  failRefreshes(count: number, status?: number): void;
  issued(): string[];
  refreshState(token: string): string | null;
  configToml(): string;
  env(): Record<string, string>;
  close(): Promise<void>;
}
export const AUTHAPI_PATH: string;
export function mintJwt(claims: object): string;
export function startStandin(options?: { reply?: string; model?: string; accessLifetimeSeconds?: number }): Promise<Standin>;
