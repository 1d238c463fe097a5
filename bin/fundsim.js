#!/usr/bin/env node
// The `fundsim` command: runs the compiled CLI (built by `npm install` through the prepare script).
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
try {
  require.resolve(entry);
} catch {
  console.error('fundsim is not built yet: run `npm install` (or `npm run build`) in the project folder first.');
  process.exit(1);
}
process.env.FUNDSIM_CLI_MAIN = '1';
require(entry);
