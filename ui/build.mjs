// Builds the front-end bundle: every ui/src/*.js and ui/src/*.css is an entry, bundled and
// minified by esbuild (tree-shaken: only the functions used end up in the bundle) into
// internal/web/static/dist/ under content-hashed names, which the Go server embeds and
// serves with long cache lifetimes. dist/manifest.json maps entry names to the hashed files
// and records the hash of the sources built from, which a Go test recomputes
// (internal/web/assets_test.go) so the committed bundle cannot drift from ui/src.
//
//   cd ui && npm ci && npm run build
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ui = dirname(fileURLToPath(import.meta.url));
const out = join(ui, '..', 'internal', 'web', 'static', 'dist');

// sourceHash hashes the files that determine the bundle: build.mjs, package.json,
// package-lock.json and everything under src/. Each file contributes
// "<path relative to ui/>\n<sha256 of its bytes>\n", in byte order of the paths.
export function sourceHash() {
  const files = ['build.mjs', 'package.json', 'package-lock.json'];
  const walk = (dir) => {
    for (const name of readdirSync(join(ui, dir))) {
      const rel = dir + '/' + name;
      if (statSync(join(ui, rel)).isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk('src');
  files.sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0));
  const h = createHash('sha256');
  for (const f of files) {
    const sum = createHash('sha256').update(readFileSync(join(ui, f))).digest('hex');
    h.update(f + '\n' + sum + '\n');
  }
  return h.digest('hex');
}

const entries = readdirSync(join(ui, 'src'))
  .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  .map((f) => join(ui, 'src', f));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: entries,
  outdir: out,
  absWorkingDir: ui,
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

const files = {};
const report = [];
for (const [file, info] of Object.entries(result.metafile.outputs)) {
  if (!info.entryPoint) continue;
  const name = basename(info.entryPoint);
  const hashed = relative(out, join(ui, file)).split('\\').join('/');
  files[name] = hashed;
  const body = readFileSync(join(out, hashed));
  report.push(`${name.padEnd(10)} ${hashed.padEnd(24)} ${String(body.length).padStart(7)} B, gzip ${String(gzipSync(body, { level: 9 }).length).padStart(6)} B`);
}
const manifest = { source_hash: sourceHash(), files: Object.fromEntries(Object.entries(files).sort()) };
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
console.log(report.sort().join('\n'));
