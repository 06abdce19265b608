// How each `shell` runs the script: GitHub's command lines, with Windows quoting checked as text
// (no Windows here) and the POSIX shells run for real.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultShell, powershellQuote, scriptExtension, scriptText, shellCommand } from '../../src/shell.js';

const tmps: string[] = [];
afterEach(() => {
  for (const t of tmps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

/** What PowerShell makes of a single-quoted string: doubled quote characters (any of ' ‘ ’ ‚ ‛) stand for one. */
function readPowershellSingleQuoted(literal: string): string {
  const quote = /['\u2018\u2019\u201A\u201B]/;
  expect(quote.test(literal[0])).toBe(true);
  let out = '';
  for (let i = 1; i < literal.length; i++) {
    if (quote.test(literal[i])) {
      if (i + 1 < literal.length && quote.test(literal[i + 1])) {
        out += literal[i + 1];
        i += 1;
        continue;
      }
      expect(i).toBe(literal.length - 1); // the string must end exactly at the last character
      return out;
    }
    out += literal[i];
  }
  throw new Error('unterminated');
}

describe('defaultShell', () => {
  it.each([
    ['win32', 'pwsh'],
    ['linux', 'bash'],
    ['darwin', 'bash'],
  ] as const)('%s → %s (what a run: step uses)', (platform, shell) => {
    expect(defaultShell(platform)).toBe(shell);
  });
});

describe('shellCommand', () => {
  it.each([
    ['bash', '/t/run.sh', 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', '/t/run.sh']],
    ['sh', '/t/run.sh', 'sh', ['-e', '/t/run.sh']],
    ['python', '/t/run.py', 'python', ['/t/run.py']],
  ] as const)('%s runs the script file like a run: step', (shell, script, command, args) => {
    expect(shellCommand(shell, script)).toEqual({ command, args: [...args] });
  });

  it.each([
    'D:\\a\\_temp\\codex-reauth-x\\run-1.ps1',
    "C:\\Users\\O'Brien\\temp\\run.ps1",
    'C:\\Users\\O\u2019Brien\\temp\\run.ps1',
    'C:\\Users\\a\u2018b\u201Ac\u201Bd\\run.ps1',
    'C:\\Program Files (x86)\\$env:x `n $(calc)\\run.ps1',
  ])('pwsh and powershell dot-source %s as one literal path', (script) => {
    for (const shell of ['pwsh', 'powershell'] as const) {
      const { command, args } = shellCommand(shell, script);
      expect(command).toBe(shell);
      expect(args).toEqual(expect.arrayContaining(['-NoProfile', '-NonInteractive', '-Command']));
      const last = args.at(-1)!;
      expect(last.startsWith('. ')).toBe(true);
      expect(readPowershellSingleQuoted(last.slice(2))).toBe(script);
    }
    expect(shellCommand('powershell', script).args).toEqual(expect.arrayContaining(['-ExecutionPolicy', 'Unrestricted']));
  });

  it.each([
    ['pwsh', ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', ". 'D:\\a\\_temp\\run.ps1'"]],
    [
      'powershell',
      ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Unrestricted', '-Command', ". 'D:\\a\\_temp\\run.ps1'"],
    ],
  ] as const)('%s gets no banner, no profile, no prompt, and no other argument', (shell, args) => {
    expect(shellCommand(shell, 'D:\\a\\_temp\\run.ps1')).toEqual({ command: shell, args: [...args] });
  });

  it('powershellQuote doubles every kind of single quote and nothing else', () => {
    expect(powershellQuote("a'b\u2019c")).toBe("'a''b\u2019\u2019c'");
    expect(powershellQuote('$x "y"')).toBe('\'$x "y"\'');
  });

  it.each(['D:\\a\\_temp\\codex-reauth-x\\run-1.cmd', 'C:\\Users\\A&B (x)\\Temp\\codex-reauth-x\\run.cmd', 'C:\\bang!\\run.cmd'])(
    'cmd runs %s through CALL with its command line passed verbatim',
    (script) => {
      expect(shellCommand('cmd', script)).toEqual({
        command: 'cmd',
        args: ['/D', '/E:ON', '/V:OFF', '/S', '/C', `"CALL "${script}""`],
        windowsVerbatimArguments: true,
      });
    },
  );

  it.each(['C:\\100%\\run.cmd', 'C:\\x^y\\run.cmd', 'C:\\a"b\\run.cmd'])(
    'cmd refuses %s clearly instead of running another file',
    (script) => {
      expect(() => shellCommand('cmd', script)).toThrow(/cmd cannot run a script whose path contains/);
    },
  );

  it('bash and sh, run for real on a path with spaces and quotes: stop at the first failing command, pass its exit code', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shell 'q' $x "));
    tmps.push(dir);
    for (const shell of ['bash', 'sh'] as const) {
      const script = path.join(dir, `run ${shell}${scriptExtension(shell)}`);
      const marker = path.join(dir, `after-${shell}`);
      fs.writeFileSync(script, scriptText(shell, `echo one\n(exit 3)\ntouch '${marker}'`));
      const { command, args } = shellCommand(shell, script);
      const r = spawnSync(command, args, { encoding: 'utf8' });
      expect(r.stdout).toBe('one\n');
      expect(r.status).toBe(3);
      expect(fs.existsSync(marker)).toBe(false);
    }
    // bash's pipefail: a failing command inside a pipe fails the step too
    const script = path.join(dir, 'pipe.sh');
    fs.writeFileSync(script, scriptText('bash', 'false | cat\necho not reached'));
    const r = spawnSync('bash', shellCommand('bash', script).args, { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });
});

describe('scriptExtension and scriptText', () => {
  it.each([
    ['bash', '.sh'],
    ['sh', '.sh'],
    ['pwsh', '.ps1'],
    ['powershell', '.ps1'],
    ['cmd', '.cmd'],
    ['python', '.py'],
  ] as const)('%s scripts end in %s', (shell, ext) => expect(scriptExtension(shell)).toBe(ext));

  it('pwsh: stops on errors and passes the last exit code; no byte order mark', () => {
    const text = scriptText('pwsh', 'codex exec "x"');
    expect(text).toBe(
      '$ErrorActionPreference = \'stop\'\ncodex exec "x"\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }\n',
    );
  });

  it('Windows PowerShell 5.1: the same, after a UTF-8 byte order mark (else non-ASCII text is read as ANSI)', () => {
    const text = scriptText('powershell', 'Write-Output "héllo ✓"');
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.slice(1)).toBe(scriptText('pwsh', 'Write-Output "héllo ✓"'));
  });

  it('cmd: CRLF line ends, no byte order mark (cmd would try to run it as a command)', () => {
    expect(scriptText('cmd', 'echo a\ncodex exec x\r\necho b')).toBe('echo a\r\ncodex exec x\r\necho b\r\n');
  });

  it('bash, sh, python: the text as given, ending in a newline', () => {
    expect(scriptText('bash', 'a\nb')).toBe('a\nb\n');
    expect(scriptText('sh', 'a\n')).toBe('a\n');
    expect(scriptText('python', 'print(1)')).toBe('print(1)\n');
  });
});
