/**
 * How each supported `shell` runs the `run` script, the way GitHub runs a `run:` step: the script goes
 * to a file, and the shell runs that file, failing on the first failing command where it can.
 */
import type { Shell } from './inputs.js';

export interface ShellCommand {
  command: string;
  args: string[];
}

/** The script file's extension for a shell (pwsh and cmd care). */
export function scriptExtension(shell: Shell): string {
  switch (shell) {
    case 'pwsh':
    case 'powershell':
      return '.ps1';
    case 'cmd':
      return '.cmd';
    case 'python':
      return '.py';
    default:
      return '.sh';
  }
}

/** The command line that runs `scriptPath` with `shell` (GitHub's own defaults for each shell). */
export function shellCommand(shell: Shell, scriptPath: string): ShellCommand {
  switch (shell) {
    case 'bash':
      return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', scriptPath] };
    case 'sh':
      return { command: 'sh', args: ['-e', scriptPath] };
    case 'pwsh':
      return { command: 'pwsh', args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', `. '${scriptPath.replace(/'/g, "''")}'`] };
    case 'powershell':
      return {
        command: 'powershell',
        args: [
          '-NoLogo',
          '-NoProfile',
          '-NonInteractive',
          '-ExecutionPolicy',
          'Unrestricted',
          '-Command',
          `. '${scriptPath.replace(/'/g, "''")}'`,
        ],
      };
    case 'cmd':
      return { command: 'cmd', args: ['/D', '/E:ON', '/V:OFF', '/S', '/C', `CALL "${scriptPath}"`] };
    case 'python':
      return { command: 'python', args: [scriptPath] };
  }
}

/** Script text as the shell expects it (pwsh stops on errors only when told). */
export function scriptText(shell: Shell, run: string): string {
  if (shell === 'pwsh' || shell === 'powershell') {
    return `$ErrorActionPreference = 'stop'\n${run}\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }\n`;
  }
  return run.endsWith('\n') ? run : `${run}\n`;
}
