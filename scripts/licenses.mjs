#!/usr/bin/env node
// Writes the licenses.txt of a bundle from ncc's webpack stats (`ncc build --stats-out`), covering
// every chunk. ncc's own `--license` writes one file per chunk under the same name, so with the
// write-back libraries in chunks of their own (loaded only when needed) it kept only the last chunk's
// packages. Output format is ncc's: for each bundled package, sorted by name, its name, its license
// field and its license file's text, blank-line separated.
//
// Used by scripts/bundle.mjs (`npm run bundle`).
import fs from 'node:fs';
import path from 'node:path';

/** Every module's source path, including the modules webpack concatenated into one. */
function* sources(modules) {
  for (const m of modules ?? []) {
    // The identifier is `loader!loader!…!/abs/path/to/file.js` (sometimes with a `|suffix`).
    const resource = (m.identifier ?? '').split('!').pop().split('|')[0];
    if (path.isAbsolute(resource)) yield resource;
    yield* sources(m.modules);
  }
}

/** The package folder a file belongs to: the folder right below its last `node_modules`. */
function packageRoot(file) {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return null;
  const depth = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + depth).join(path.sep);
}

/** Writes `outFile` for the bundle described by the webpack stats in `statsFile`; returns the package names. */
export function writeLicenses(statsFile, outFile) {
  const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8'));
  const roots = new Set();
  for (const file of sources(stats.modules)) {
    const root = packageRoot(file);
    if (root) roots.add(root);
  }
  const entries = [];
  for (const root of roots) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const licenseFile = fs.readdirSync(root).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = licenseFile ? fs.readFileSync(path.join(root, licenseFile), 'utf8').trim() : '';
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    entries.push({ name: pkg.name, text: `${pkg.name}\n${license}\n${text}\n` });
  }
  if (entries.length === 0) throw new Error(`no bundled packages found in ${statsFile}`);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  fs.writeFileSync(outFile, entries.map((e) => e.text).join('\n'));
  return entries.map((e) => e.name);
}
