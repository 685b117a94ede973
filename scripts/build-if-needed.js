#!/usr/bin/env node
// Runs `npm run build` when dist/ is missing or older than any TypeScript source,
// so `npm start` stays fast on an unchanged checkout.
'use strict';
const { execSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'dist', '.build-complete');

function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestSourceTime(path));
    } else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

const sourceTime = Math.max(
  ...['apps', 'libs', 'scripts', 'bench'].filter((d) => existsSync(join(root, d))).map((d) => newestSourceTime(join(root, d))),
  statSync(join(root, 'tsconfig.json')).mtimeMs,
  statSync(join(root, 'package-lock.json')).mtimeMs,
);
if (existsSync(marker) && statSync(marker).mtimeMs >= sourceTime) {
  process.exit(0);
}
console.log('Compiling TypeScript (first start or sources changed)...');
execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
