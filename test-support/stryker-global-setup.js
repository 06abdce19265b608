// Jest globalSetup for the mutation run only (stryker.jest.config.js). Stryker copies the repository
// into a sandbox without file modes, so scripts that tests run directly (the fake codex behind a
// symlink on PATH) lose their executable bit there. Give it back to every script with a shebang.
import fs from 'node:fs';
import path from 'node:path';

export default function restoreExecutableBits() {
  const dir = path.join(process.cwd(), 'test-support');
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(2);
    fs.readSync(fd, head, 0, 2, 0);
    fs.closeSync(fd);
    if (head.toString() === '#!') fs.chmodSync(file, 0o755);
  }
}
