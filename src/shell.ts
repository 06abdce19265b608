/**
 * How each supported `shell` runs the `run` script, the way GitHub runs a `run:` step: the script goes
 * to a file, and the shell runs that file, failing on the first failing command where it can. Pure:
 * the platform is a parameter, so the Windows command lines are tested on any machine.
 */
import type { Shell } from './inputs.js';

export interface ShellCommand {
  command: string;
  args: string[];
  /**
   * Pass `args` to Windows exactly as written. cmd.exe does not parse its command line the way C
   * programs do: the `\"` that Node would otherwise put around inner quotes breaks `/C "CALL "…""`.
   */
  windowsVerbatimArguments?: boolean;
}

/** The shell a `run:` step uses when none is named: pwsh on Windows, bash elsewhere (GitHub's defaults). */
export function defaultShell(platform: NodeJS.Platform): Shell {
  return platform === 'win32' ? 'pwsh' : 'bash';
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

/**
 * A PowerShell single-quoted string. PowerShell takes the typographic quotes ‘ ’ ‚ ‛ as single quotes
 * too, so each of them ends the string unless doubled like `'` (doubling keeps the character itself).
 */
export function powershellQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (quote) => quote + quote)}'`;
}

/**
 * Characters cmd.exe changes in a script path even inside quotes on a `CALL` line: `%` is expanded
 * (twice under CALL), CALL doubles every `^`, and a `"` or line break cannot be quoted at all.
 */
const CMD_UNSAFE = /[%^"\r\n]/;

/** The command line that runs `scriptPath` with `shell` (GitHub's own command line for each shell). */
export function shellCommand(shell: Shell, scriptPath: string): ShellCommand {
  switch (shell) {
    case 'bash':
      return { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', scriptPath] };
    case 'sh':
      return { command: 'sh', args: ['-e', scriptPath] };
    case 'pwsh':
      return { command: 'pwsh', args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', `. ${powershellQuote(scriptPath)}`] };
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
          `. ${powershellQuote(scriptPath)}`,
        ],
      };
    case 'cmd':
      if (CMD_UNSAFE.test(scriptPath)) {
        throw new Error(
          `cmd cannot run a script whose path contains %, ^ or a double quote: '${scriptPath}'. Use another \`shell\`, or a RUNNER_TEMP without these characters.`,
        );
      }
      // `/S /C "…"`: cmd strips the outer quotes and runs the rest as written; CALL returns the
      // script's own exit code. Both need the line handed over verbatim.
      return { command: 'cmd', args: ['/D', '/E:ON', '/V:OFF', '/S', '/C', `"CALL "${scriptPath}""`], windowsVerbatimArguments: true };
    case 'python':
      return { command: 'python', args: [scriptPath] };
  }
}

/**
 * Script text as the shell expects it: pwsh stops on errors only when told; Windows PowerShell 5.1
 * reads a file without a byte order mark as the ANSI code page (any non-ASCII text in `run` would be
 * garbled), so its script starts with one; cmd mis-parses labels and blocks in a file with bare LF
 * line ends, so its script gets CRLF.
 */
export function scriptText(shell: Shell, run: string): string {
  const text = run.endsWith('\n') ? run : `${run}\n`;
  if (shell === 'pwsh' || shell === 'powershell') {
    const body = `$ErrorActionPreference = 'stop'\n${run}\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }\n`;
    return shell === 'powershell' ? `\uFEFF${body}` : body;
  }
  if (shell === 'cmd') return text.replace(/\r?\n/g, '\r\n');
  return text;
}
