import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const serverDir = path.join(__dirname, '..', '..');
/** The built entry point operators run; `pnpm build` (or `buildServer()`) makes it. */
export const SERVER_MAIN = path.join(serverDir, 'dist', 'main.js');

/** Compiles the server to server/dist, as `pnpm build` does (without wiping it first). */
export function buildServer(): void {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [serverDir] });
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: serverDir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`server build failed:\n${result.stdout}\n${result.stderr}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A spawned `node server/dist/main.js`, before or after it is ready. */
export interface SpawnedServer {
  name: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output: string[];
  /** Resolves with the exit code once the process has exited and its output is read. */
  exited: Promise<number | null>;
  /** SIGTERM (if still running), then resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ServerProcess extends SpawnedServer {
  url: string;
}

/**
 * The one way the tests run the built server as operators do: `node server/dist/main.js` with a
 * minimal environment (PATH, production mode, 127.0.0.1, the given PORT or a free one, warn logs)
 * and the given variables on top. It does not wait for anything; see `startServerProcess`.
 */
export async function spawnServer(name: string, env: Record<string, string>): Promise<SpawnedServer & { port: string }> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk) => output.push(String(chunk)));
  child.stderr?.on('data', (chunk) => output.push(String(chunk)));
  // 'close' comes after the output streams end, so `output` is complete when this resolves.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    name,
    port,
    child,
    output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Resolves once `url` answers 2xx; throws when `child` exits first or `timeoutMs` passes (and then
 * kills it). The one wait of every test that starts a process: the server here, the API and the
 * web preview of the browser tests.
 */
export async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  name: string,
  { timeoutMs = 30_000, output = () => '' }: { timeoutMs?: number; output?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not answering at ${url} within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Spawns the built server on a free port and resolves once its /healthz answers (30 s at most). */
export async function startServerProcess(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(name, env);
  const url = `http://127.0.0.1:${server.port}`;
  await waitUntilAnswering(`${url}/healthz`, server.child, name, { output: () => server.output.join('') });
  return { ...server, url };
}
