export type IssuesLevel = 'none' | 'read' | 'write';
export interface StandinIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  comments: string[];
}
export interface GithubIssuesStandin {
  url: string;
  repository: string;
  requests: Array<{ method: string; path: string; query: Record<string, string>; status: number | 'reset'; body: unknown }>;
  token(grant?: { issues?: IssuesLevel; kind?: 'app' | 'pat' }): string;
  issues(): StandinIssue[];
  addIssue(issue?: { title?: string; body?: string; state?: 'open' | 'closed'; pullRequest?: boolean }): number;
  indexSearch(): void;
  setIssuesEnabled(enabled: boolean): void;
  failNext(
    count: number,
    options?: {
      method?: string | null;
      path?: string | null;
      status?: number | 'reset' | 'rate-limit';
      retryAfter?: number;
      resetSeconds?: number;
    },
  ): void;
  env(): { GITHUB_API_URL: string; GITHUB_REPOSITORY: string };
  issued(): string[];
  close(): Promise<void>;
}
export function startGithubIssuesStandin(options?: {
  repository?: string;
  searchLag?: boolean;
  issuesEnabled?: boolean;
}): Promise<GithubIssuesStandin>;
