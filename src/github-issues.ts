/**
 * A small client for the GitHub issues the action files about dead credentials: find the open ones
 * carrying a marker, open one, comment on one, close one. Requests go through github-api.ts (retries
 * with short bounded waits for 5xx, rate limits and no answer). A refused permission or switched-off
 * issues become an `IssuesApiError` whose message names the input (`github-token`), the permission
 * (`issues: write`) and the fix.
 *
 * Finding: the issues carry no label (creating an issue with a label needs push access, and a label
 * that does not exist yet makes the request fail for a token without it), so they are found by their
 * body: the newest 100 open issues are read (an issue opened a minute ago is not searchable yet), and
 * the search API finds older ones. Two requests, whatever the number of credentials.
 */
import { createGithubRequest, GithubApiError, type GithubFailure, type GithubRequestOptions } from './github-api.js';
import { tokenKind } from './github-secrets.js';

/** An open issue as the tracker needs it. */
export interface OpenIssue {
  number: number;
  title: string;
  body: string;
  /** The issue's page, for the log. */
  url: string;
}

export interface IssuesClient {
  /** `owner/name`. */
  readonly repository: string;
  /** Every open issue (not pull request) whose body contains `marker`, oldest first. */
  findOpen(marker: string): Promise<OpenIssue[]>;
  /** Opens an issue; returns it. */
  open(title: string, body: string): Promise<OpenIssue>;
  /** Adds a comment to an issue. */
  comment(issue: number, body: string): Promise<void>;
  /** Adds a comment, then closes the issue as completed. */
  close(issue: number, comment: string): Promise<void>;
}

/** Why the issues API could not be used, in the terms of the fix. */
export type IssuesProblem = 'permission' | 'disabled' | 'unavailable' | 'rejected';

/** A request that failed for good, explained in terms of `github-token`. */
export class IssuesApiError extends Error {
  constructor(
    message: string,
    readonly problem: IssuesProblem,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'IssuesApiError';
  }
}

export interface IssuesClientOptions extends Omit<GithubRequestOptions, 'apiUrl'> {
  /** `GITHUB_API_URL`. */
  apiUrl: string;
  /** `GITHUB_REPOSITORY`, owner/name. */
  repository: string;
  /** The step's environment, to tell the workflow's own GITHUB_TOKEN from a personal token. */
  env?: NodeJS.ProcessEnv;
}

const PROBLEM: Record<GithubFailure, IssuesProblem> = {
  'bad-credentials': 'permission',
  forbidden: 'permission',
  gone: 'disabled',
  'rate-limited': 'unavailable',
  unavailable: 'unavailable',
  rejected: 'rejected',
};

/**
 * Explains a failed request to the person reading the warning: what happened, then the fix. Pure, so
 * every case is table-tested.
 */
export function explainIssuesFailure(
  error: GithubApiError,
  repository: string,
  kind: ReturnType<typeof tokenKind>,
): { problem: IssuesProblem; message: string } {
  const problem = PROBLEM[error.failure];
  const what = error.message.replace(/\.$/, '');
  if (error.failure === 'gone')
    return {
      problem,
      message: `${what}: issues are turned off in ${repository}. Turn them on (Settings → General → Features → Issues), or set \`report-issues: false\`.`,
    };
  if (error.failure === 'bad-credentials')
    return {
      problem,
      message: `${what}: GitHub refused \`github-token\` as invalid, expired or revoked. Leave \`github-token\` at its default (\`\${{ github.token }}\`) or pass a live token.`,
    };
  if (error.failure === 'forbidden') {
    const needs = error.acceptedPermissions ? ` GitHub says this request needs: ${error.acceptedPermissions}.` : '';
    const fix =
      kind === 'fine-grained' || kind === 'classic'
        ? `Give \`github-token\` a token with the repository permission "Issues: Read and write" on ${repository}.`
        : `Add \`issues: write\` to the job's \`permissions:\` (next to \`contents: read\`). In pull requests from forks and in Dependabot runs, GitHub gives the workflow a read-only token whatever it asks for: no issue can be filed there, and the run's outcome does not depend on it.`;
    return {
      problem,
      message: `${what}: \`github-token\` may not read or write issues in ${repository} (${error.status}).${needs} ${fix}`,
    };
  }
  if (problem === 'unavailable')
    return { problem, message: `${what}. GitHub's API is busy or out of reach; the next run that finds a dead credential tries again.` };
  return { problem, message: `${what}.` };
}

interface IssueData {
  number?: unknown;
  title?: unknown;
  body?: unknown;
  html_url?: unknown;
  pull_request?: unknown;
}

function toIssue(data: IssueData): OpenIssue | null {
  if (typeof data.number !== 'number' || data.pull_request !== undefined) return null;
  return {
    number: data.number,
    title: typeof data.title === 'string' ? data.title : '',
    body: typeof data.body === 'string' ? data.body : '',
    url: typeof data.html_url === 'string' ? data.html_url : '',
  };
}

/** Creates the client. Nothing is requested until a method is called. */
export function createIssuesClient(options: IssuesClientOptions): IssuesClient {
  const { repository } = options;
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new Error(`GITHUB_REPOSITORY must be owner/name, got '${repository}'.`);
  const request = createGithubRequest(options);
  const kind = tokenKind(options.token, options.env ?? {});
  const repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;

  async function call<T>(...args: Parameters<typeof request>): Promise<T> {
    try {
      return (await request<T>(...args)).data;
    } catch (error) {
      if (!(error instanceof GithubApiError)) throw error;
      const { problem, message } = explainIssuesFailure(error, repository, kind);
      throw new IssuesApiError(message, problem, error.status);
    }
  }

  return {
    repository,
    async findOpen(marker) {
      const newest = await call<IssueData[]>(
        'list the open issues',
        'GET',
        `${repoPath}/issues?state=open&sort=created&direction=desc&per_page=100`,
      );
      const query = `repo:${repository} is:issue is:open in:body "${marker.replace(/"/g, '')}"`;
      let found: IssueData[] = [];
      try {
        const result = await call<{ items?: IssueData[] }>(
          'search the issues',
          'GET',
          `/search/issues?q=${encodeURIComponent(query)}&per_page=100`,
        );
        found = Array.isArray(result?.items) ? result.items : [];
      } catch (error) {
        // The list above already covers every recent issue: a search that fails for any reason but a
        // refused permission leaves only old issues unseen, which is no reason to give up.
        if (!(error instanceof IssuesApiError) || error.problem === 'permission') throw error;
      }
      const byNumber = new Map<number, OpenIssue>();
      for (const data of [...(Array.isArray(newest) ? newest : []), ...found]) {
        const issue = toIssue(data);
        if (issue && issue.body.includes(marker)) byNumber.set(issue.number, issue);
      }
      return [...byNumber.values()].sort((a, b) => a.number - b.number);
    },
    async open(title, body) {
      const data = await call<IssueData>('open an issue', 'POST', `${repoPath}/issues`, { title, body });
      const issue = toIssue(data ?? {});
      if (!issue) throw new IssuesApiError('Could not open an issue: GitHub answered without an issue number.', 'rejected', 201);
      return issue;
    },
    async comment(issue, body) {
      await call('comment on the issue', 'POST', `${repoPath}/issues/${issue}/comments`, { body });
    },
    async close(issue, comment) {
      await call('comment on the issue', 'POST', `${repoPath}/issues/${issue}/comments`, { body: comment });
      await call('close the issue', 'PATCH', `${repoPath}/issues/${issue}`, { state: 'closed', state_reason: 'completed' });
    },
  };
}
