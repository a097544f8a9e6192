#!/usr/bin/env node
// Gzipped size of what the initial route loads: the JS and CSS that dist/index.html references
// (entry script, modulepreloads, stylesheets). Lazy chunks (the playground) are not counted.
// Fails when over the budget.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 250;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) {
  console.error('dist/index.html not found: run `pnpm --filter ./web build` first.');
  process.exit(2);
}
const html = readFileSync(indexPath, 'utf8');
const assets = new Set();
for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)) assets.add(match[1]);
if (assets.size === 0) {
  console.error('No JS or CSS assets referenced by dist/index.html.');
  process.exit(2);
}
let total = 0;
for (const asset of [...assets].sort()) {
  const bytes = readFileSync(join(dist, asset));
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  console.log(`${asset.padEnd(44)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB  gzip ${(gz / 1024).toFixed(1).padStart(7)} KB`);
}
const totalKb = total / 1024;
console.log(`initial route (JS+CSS, gzipped): ${totalKb.toFixed(1)} KB (budget ${BUDGET_KB} KB)`);
if (totalKb > BUDGET_KB) {
  console.error(`Over budget by ${(totalKb - BUDGET_KB).toFixed(1)} KB.`);
  process.exit(1);
}
