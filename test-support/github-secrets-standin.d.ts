export type Level = 'none' | 'read' | 'write';
export type Visibility = 'all' | 'private' | 'selected';
export interface GithubSecretsStandin {
  url: string;
  repository: string;
  /** `fields`: the JSON body's field names, for a PUT. */
  requests: Array<{ method: string; path: string; status: number | 'reset'; fields?: string[] }>;
  writes: Array<{ scope: string; name: string; value: string; visibility?: Visibility; selected?: number[] }>;
  token(grant?: { secrets?: Level; environments?: Level; organizationSecrets?: Level; kind?: 'app' | 'pat' }): string;
  setOrgSecret(name: string, value: string, access?: { visibility?: Visibility; repositories?: number[]; hidden?: number[] }): void;
  orgSecret(name: string): { value: string; visibility: Visibility; selectedRepositoryIds: number[] } | undefined;
  repositoryId: number;
  setSecret(name: string, value: string, environment?: string | null): void;
  secret(name: string, environment?: string | null): string | undefined;
  secretNames(environment?: string | null): string[];
  rotateKey(environment?: string | null): void;
  failNext(count: number, options?: { method?: string | null; name?: string | null; status?: number | 'reset' }): void;
  env(): { GITHUB_API_URL: string; GITHUB_REPOSITORY: string; GITHUB_REPOSITORY_ID: string };
  issued(): string[];
  close(): Promise<void>;
}
export function startGithubSecretsStandin(options?: {
  repository?: string;
  repositoryId?: number;
  environments?: string[];
  organization?: string;
}): Promise<GithubSecretsStandin>;
