export const ROOT: string;
export const DIST: string;
/** action.yml's `runs.main` and `runs.post`, as absolute paths. */
export function actionEntries(): { main: string; post: string };
/** How long a step may run before it is stopped and the run fails naming it. */
export const STEP_BOUND_MS: number;
/** Runs one entry point as the runner runs it; rejects naming `label` if it runs past `timeoutMs`. */
export function runNode(
  entry: string,
  env: Record<string, string | undefined>,
  timeoutMs: number,
  onOutput?: (text: string, stream: string) => void,
  label?: string,
): Promise<StepResult>;
export interface StepResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  commands: Array<{ command: string; properties: Record<string, string>; message: string }>;
}
export interface MainResult extends StepResult {
  outputs: Record<string, string>;
  summary: string;
}
export interface ActionRun {
  main: MainResult;
  post: StepResult | null;
  state: Record<string, string>;
  home: string;
  runnerTemp: string;
  workspace: string;
  base: string;
  files: { output: string; state: string; summary: string };
}
export function actionDefaults(): Record<string, string>;
export function prepareRunner(options?: {
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  home?: string;
  prepare?: (dirs: { home: string; runnerTemp: string; workspace: string; base: string }) => void;
}): { base: string; home: string; runnerTemp: string; workspace: string; files: ActionRun['files']; mainEnv: Record<string, string> };
export function parseCommandFile(file: string): Record<string, string>;
export function parseWorkflowCommands(stdout: string): StepResult['commands'];
export function runAction(options?: {
  inputs?: Record<string, string>;
  env?: Record<string, string | undefined>;
  home?: string;
  timeoutMs?: number;
  onOutput?: (text: string, stream: string) => void;
  skipPost?: boolean;
  /** Another build of the action (e.g. a copy of dist/) instead of action.yml's entry points. */
  entries?: { main: string; post: string };
  prepare?: (dirs: { home: string; runnerTemp: string; workspace: string; base: string }) => void;
}): Promise<ActionRun>;
export function readTree(dir: string): Array<{ path: string; text: string }>;
export function findSecretLeaks(run: ActionRun, secrets: string[]): Array<{ where: string; secret: string }>;
export function stripMaskCommands(stdout: string): string;
export function cleanup(run: ActionRun): void;
