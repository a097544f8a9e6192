#!/usr/bin/env node
// Starts the whole product: the API (default port 4000) and the web app (default port 5173)
// on the embedded SQLite database unless DATABASE_URL is set. Run through `pnpm start`, which builds first.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const apiPort = process.env.PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '5173';
const host = process.env.HOST ?? '127.0.0.1';
const apiUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${apiPort}`;
const children = [];

function start(name, command, args, options) {
  const child = spawn(command, args, { stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} stopped (${signal ?? code}); stopping the product.`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitForReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

start('API', process.execPath, [path.join(root, 'server', 'dist', 'main.js')], {
  cwd: root,
  env: { PORT: apiPort, HOST: host, DATA_DIR: process.env.DATA_DIR ?? path.join(root, '.data') },
});

if (!(await waitForReady(apiUrl))) {
  console.error(`The API did not become ready at ${apiUrl}.`);
  stop(1);
} else {
  const hasWeb = fs.existsSync(path.join(root, 'web', 'dist', 'index.html'));
  if (hasWeb) {
    start('web app', 'pnpm', ['--filter', './web', 'exec', 'vite', 'preview', '--port', webPort, '--strictPort', '--host', host], {
      cwd: root,
      env: { API_URL: apiUrl, WEB_PORT: webPort },
    });
  }
  const demo = process.env.DATABASE_URL ? '' : `
  Demo sign-in:  owner@acme.test / pulze-demo
                 (also admin@, dev@, viewer@acme.test; owner@free.test, owner@one.test, owner@lapsed.test)`;
  console.log(`
Pulze API Keys is running.
  Web app:       ${hasWeb ? `http://${host}:${webPort}` : '(not built)'}
  GraphQL API:   ${apiUrl}/graphql
  Verify (HTTP): ${apiUrl}/v1/keys/verify
  Health:        ${apiUrl}/healthz  ${apiUrl}/readyz${demo}
Press Ctrl+C to stop.
`);
}
