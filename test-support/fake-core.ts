// A recording stand-in for @actions/core, for tests of main.ts.
import type { ActionCore } from '../src/main.js';

export interface CoreCall {
  fn: string;
  args: unknown[];
}

export class FakeCore implements ActionCore {
  readonly calls: CoreCall[] = [];
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  readonly secrets: string[] = [];
  summary = '';

  constructor(private readonly inputs: Record<string, string>) {}

  private record(fn: string, ...args: unknown[]): void {
    this.calls.push({ fn, args });
  }
  getInput(name: string): string {
    return this.inputs[name] ?? '';
  }
  setOutput(name: string, value: string | number): void {
    this.record('setOutput', name, value);
    this.outputs[name] = String(value);
  }
  setSecret(value: string): void {
    this.record('setSecret');
    this.secrets.push(value);
  }
  saveState(name: string, value: string): void {
    this.state[name] = value;
  }
  getState(name: string): string {
    return this.state[name] ?? '';
  }
  info(message: string): void {
    this.record('info', message);
  }
  debug(message: string): void {
    this.record('debug', message);
  }
  warning(message: string, properties?: { title?: string }): void {
    this.record('warning', message, properties?.title);
  }
  error(message: string, properties?: { title?: string }): void {
    this.record('error', message, properties?.title);
  }
  startGroup(name: string): void {
    this.record('startGroup', name);
  }
  endGroup(): void {
    this.record('endGroup');
  }
  async writeSummary(markdown: string): Promise<void> {
    this.summary += markdown;
  }
  /** Messages and titles of calls to `fn`. */
  of(fn: string): Array<{ message: string; title?: string }> {
    return this.calls.filter((c) => c.fn === fn).map((c) => ({ message: String(c.args[0]), title: c.args[1] as string | undefined }));
  }
}
