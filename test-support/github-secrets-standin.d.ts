export type Level = 'none' | 'read' | 'write';
export interface GithubSecretsStandin {
  url: string;
  repository: string;
  requests: Array<{ method: string; path: string; status: number | 'reset' }>;
  writes: Array<{ scope: string; name: string; value: string }>;
  token(grant?: { secrets?: Level; environments?: Level; kind?: 'app' | 'pat' }): string;
  setSecret(name: string, value: string, environment?: string | null): void;
  secret(name: string, environment?: string | null): string | undefined;
  secretNames(environment?: string | null): string[];
  rotateKey(environment?: string | null): void;
  failNext(count: number, options?: { method?: string | null; name?: string | null; status?: number | 'reset' }): void;
  env(): { GITHUB_API_URL: string; GITHUB_REPOSITORY: string };
  issued(): string[];
  close(): Promise<void>;
}
export function startGithubSecretsStandin(options?: { repository?: string; environments?: string[] }): Promise<GithubSecretsStandin>;
