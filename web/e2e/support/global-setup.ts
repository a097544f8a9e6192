import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitUntilAnswering } from '../../../server/test/helpers/server-process';
import { stateFile, type E2EState } from './state';

const webDir = resolve(__dirname, '..', '..');
const repoDir = resolve(webDir, '..');

function logDir(): string {
  const dir = join(webDir, 'artifacts', 'logs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, logName: string): ChildProcess {
  const log = createWriteStream(join(logDir(), logName));
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/**
 * Starts the real API on a fresh embedded SQLite database (it migrates and seeds the demo data
 * on first start) and the built web app through `vite preview`, each on a free port.
 * E2E_SERVER_ENTRY can point at another build of the API entry point.
 */
export default async function globalSetup(): Promise<void> {
  const serverEntry = resolve(process.env.E2E_SERVER_ENTRY ?? join(repoDir, 'server', 'dist', 'main.js'));
  if (!existsSync(serverEntry)) {
    throw new Error(`API server build not found at ${serverEntry}. Run \`pnpm --filter ./shared build && pnpm --filter ./server build\` first.`);
  }
  if (!existsSync(join(webDir, 'dist', 'index.html')) || process.env.E2E_BUILD === '1') {
    const build = spawnSync('pnpm', ['run', 'build'], { cwd: webDir, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('web build failed');
  }

  const apiPort = await freePort();
  const webPort = await freePort();
  // The secret scanner's key set: served by the leaks test itself on this port (e2e/leaks.e2e.ts).
  const leakKeysPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pulze-e2e-data-'));
  // The gateway's credential for POST /v1/keys/usage: tests report calls with it (e2e/spending.e2e.ts).
  const usageReportToken = randomBytes(32).toString('hex');

  const api = start(
    process.execPath,
    [serverEntry],
    {
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      LEAK_KEYS_URL: `http://127.0.0.1:${leakKeysPort}/meta/public_keys/secret_scanning`,
      USAGE_REPORT_TOKEN: usageReportToken,
    },
    join(repoDir, 'server'),
    'api.log',
  );
  const processes: ChildProcess[] = [api];
  (globalThis as { __E2E_PROCESSES__?: ChildProcess[] }).__E2E_PROCESSES__ = processes;
  await waitUntilAnswering(`http://127.0.0.1:${apiPort}/readyz`, api, 'API server', { timeoutMs: 120_000, output: () => `see ${logDir()}` });

  const viteBin = join(webDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const web = start(
    process.execPath,
    [viteBin, 'preview', '--host', '127.0.0.1', '--port', String(webPort), '--strictPort'],
    { API_URL: `http://127.0.0.1:${apiPort}`, WEB_PORT: String(webPort) },
    webDir,
    'web.log',
  );
  processes.push(web);
  await waitUntilAnswering(`http://127.0.0.1:${webPort}/`, web, 'web preview', { timeoutMs: 60_000, output: () => `see ${logDir()}` });
  // The preview server forwards the API: prove it before any test relies on it.
  await waitUntilAnswering(`http://127.0.0.1:${webPort}/healthz`, web, 'web preview proxy to the API', { timeoutMs: 60_000, output: () => `see ${logDir()}` });

  const state: E2EState = { apiUrl: `http://127.0.0.1:${apiPort}`, webUrl: `http://127.0.0.1:${webPort}`, dataDir, leakKeysPort, usageReportToken };
  writeFileSync(stateFile(), JSON.stringify(state));
}
