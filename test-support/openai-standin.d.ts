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
export interface Standin {
  url: string;
  port: number;
  requests: Array<{ method: string; url: string; authorization: string | null }>;
  apiKey(behaviour?: Behaviour): string;
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
export function mintJwt(claims: object): string;
export function startStandin(options?: { reply?: string; model?: string; accessLifetimeSeconds?: number }): Promise<Standin>;
