// Bundles the dashboard (apps/web) into dist/web: app.js (Preact, Chart.js, the typed API client),
// app.css and index.html, served by the API at / and /web/. No CDN: everything is in the bundle.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'apps/web/src/main.tsx')],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: join(root, 'apps/web/tsconfig.json'),
  outfile: join(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(root, 'apps/web/src/styles.css'), join(out, 'app.css'));
copyFileSync(join(root, 'apps/web/src/index.html'), join(out, 'index.html'));
