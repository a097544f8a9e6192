#!/usr/bin/env node
// Runs every check of the project: lint, typecheck, unit specs, the server's integration suite on
// SQLite and on MySQL/MariaDB, and the browser tests. Ends with one summary line of all tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const reports = path.join(root, 'artifacts', 'test-reports');
fs.rmSync(reports, { recursive: true, force: true });
fs.mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
const failedSteps = [];

function run(title, command, args, options = {}) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { cwd: options.cwd ?? root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  if (result.status !== 0) failedSteps.push(title);
  return result.status === 0;
}

/** Runs a jest suite and adds its counts from jest's JSON report (not from its console output). */
function jest(title, cwd, args = [], env = {}) {
  const report = path.join(reports, `${title.replace(/\W+/g, '-')}.json`);
  run(title, 'pnpm', ['exec', 'jest', '--json', `--outputFile=${report}`, ...args], { cwd: path.join(root, cwd), env });
  if (!fs.existsSync(report)) {
    failedSteps.push(`${title} (no report)`);
    return;
  }
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  if (r.numTotalTests === 0) failedSteps.push(`${title} (ran no test)`);
}

/** Runs a step that is one test in the summary: one passed or one failed. */
function step(title, command, args, options) {
  if (run(title, command, args, options)) passed++;
  else failed++;
}

const only = new Set((process.env.TEST_ONLY ?? '').split(',').filter(Boolean));
const want = (name) => only.size === 0 || only.has(name);

run('build shared and server', 'pnpm', ['--filter', './shared', '--filter', './server', 'build']);
if (want('lint')) run('lint', 'pnpm', ['lint']);
if (want('typecheck')) run('typecheck', 'pnpm', ['typecheck']);
if (want('shared')) jest('shared unit', 'shared');
if (want('sqlite')) jest('server on sqlite', 'server', [], { TEST_DB: 'sqlite' });
// The unit specs next to the code ran with the SQLite pass; the MySQL pass runs the integration suite.
if (want('mysql')) jest('server on mysql', 'server', ['test/'], { TEST_DB: 'mysql' });
// The Docker images' build steps, run without a Docker engine (scripts/images.mjs).
if (want('images')) step('images', 'node', ['scripts/images.mjs', 'check']);
const webPkgFile = path.join(root, 'web', 'package.json');
const webPkg = fs.existsSync(webPkgFile) ? JSON.parse(fs.readFileSync(webPkgFile, 'utf8')) : {};
if (want('web') && webPkg.scripts?.['test:e2e']) {
  if (run('build web', 'pnpm', ['--filter', './web', 'build'])) {
    jest('web in the browser', 'web', ['-c', 'e2e/jest.config.cjs']);
  }
}

console.log('');
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join('; ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedSteps.length || failed ? 1 : 0);
