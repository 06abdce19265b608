#!/usr/bin/env node
// `npm run bundle`: builds the committed dist/ with ncc, one folder per entry point (the action's main
// step, its post step, the CLI), and each bundle's licenses.txt from ncc's webpack stats
// (scripts/licenses.mjs: ncc's `--license` misses packages that live in lazily loaded chunks).
// A script rather than a chain in package.json so that it also runs from Windows' cmd.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLicenses } from './licenses.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const ENTRIES = [
  { entry: 'src/index.ts', out: 'dist', minify: true, licenses: true },
  { entry: 'src/post-entry.ts', out: 'dist/post', minify: true, licenses: true },
  { entry: 'src/cli.ts', out: 'dist/cli', minify: false, licenses: false },
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'codex-reauth-bundle-'));
try {
  for (const { entry, out, minify, licenses } of ENTRIES) {
    const stats = path.join(work, `${path.basename(out)}-stats.json`);
    // ncc does not empty its output folder: chunks of an earlier build (their names are numbers that
    // change with the code) would linger and be committed. Sub-folders are other entries' bundles.
    const outDir = path.join(root, out);
    for (const f of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
      if (f.endsWith('.js') || f === 'licenses.txt') fs.rmSync(path.join(outDir, f));
    }
    const args = [ncc, 'build', entry, '-o', out, '--quiet'];
    if (minify) args.push('--minify');
    if (licenses) args.push('--stats-out', stats);
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (licenses) {
      const names = writeLicenses(stats, path.join(root, out, 'licenses.txt'));
      console.log(
        `${out}: ${fs
          .readdirSync(path.join(root, out))
          .filter((f) => f.endsWith('.js'))
          .join(', ')}; licenses.txt lists ${names.length} packages`,
      );
    } else {
      console.log(`${out}: built`);
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
